/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function slice(_x: Tensor, _dim: number, _start?: number | null, _end?: number | null, _step?: number): Tensor { return todo('slice'); }
