/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export interface Conv2dOptions { stride?: number | [number, number]; padding?: number | [number, number]; dilation?: number | [number, number]; groups?: number }
export function conv2d(_x: Tensor, _w: Tensor, _b?: Tensor | null, _opts?: Conv2dOptions): Tensor { return todo('conv2d'); }
