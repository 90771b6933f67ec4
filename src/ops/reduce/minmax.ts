/** @file STUB — to be implemented. */
import type { Tensor } from '../../tensor/tensor.js';
import { FlowgradError } from '../../errors.js';
const todo = (name: string): never => { throw new FlowgradError(`${name}: not implemented yet`); };
export function max(_x: Tensor, _axis?: number | number[], _keepDim?: boolean): Tensor { return todo('max'); }
export function min(_x: Tensor, _axis?: number | number[], _keepDim?: boolean): Tensor { return todo('min'); }
export function argmax(_x: Tensor, _axis?: number, _keepDim?: boolean): Tensor { return todo('argmax'); }
export function argmin(_x: Tensor, _axis?: number, _keepDim?: boolean): Tensor { return todo('argmin'); }
