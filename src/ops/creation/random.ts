/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
import type { TensorOptions } from '../../tensor/create.js';
export function rand(_shape: readonly number[], _opts?: TensorOptions): Tensor { return todo('rand'); }
export function randn(_shape: readonly number[], _opts?: TensorOptions): Tensor { return todo('randn'); }
