/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export interface Pool2dOptions { stride?: number | [number, number]; padding?: number | [number, number] }
export function maxPool2d(_x: Tensor, _kernel: number | [number, number], _opts?: Pool2dOptions): Tensor { return todo('maxPool2d'); }
export function avgPool2d(_x: Tensor, _kernel: number | [number, number], _opts?: Pool2dOptions): Tensor { return todo('avgPool2d'); }
