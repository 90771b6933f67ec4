/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function concat(_ts: readonly Tensor[], _dim = 0): Tensor { return todo('concat'); }
export function stack(_ts: readonly Tensor[], _dim = 0): Tensor { return todo('stack'); }
