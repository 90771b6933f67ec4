/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function batchNorm(_x: Tensor, _runningMean: Tensor | null, _runningVar: Tensor | null, _weight?: Tensor | null, _bias?: Tensor | null, _training = false, _momentum = 0.1, _eps = 1e-5): Tensor { return todo('batchNorm'); }
