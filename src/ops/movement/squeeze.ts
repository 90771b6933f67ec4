/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function squeeze(_x: Tensor, _dim?: number | number[]): Tensor { return todo('squeeze'); }
export function unsqueeze(_x: Tensor, _dim: number): Tensor { return todo('unsqueeze'); }
