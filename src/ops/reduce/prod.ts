/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function prod(_x: Tensor, _axis?: number | number[], _keepDim?: boolean): Tensor { return todo('prod'); }
