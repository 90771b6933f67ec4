/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function gather(_x: Tensor, _dim: number, _index: Tensor): Tensor { return todo('gather'); }
export function indexSelect(_x: Tensor, _dim: number, _index: Tensor): Tensor { return todo('indexSelect'); }
