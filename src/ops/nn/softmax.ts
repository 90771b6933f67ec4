/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function softmax(_x: Tensor, _dim = -1): Tensor { return todo('softmax'); }
export function logSoftmax(_x: Tensor, _dim = -1): Tensor { return todo('logSoftmax'); }
