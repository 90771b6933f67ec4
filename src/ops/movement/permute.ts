/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function permute(_x: Tensor, _dims: readonly number[]): Tensor { return todo('permute'); }
export function transpose(_x: Tensor, _dim0 = -2, _dim1 = -1): Tensor { return todo('transpose'); }
