/**
 * @file squeeze / unsqueeze: remove or insert size-1 dims. Both are reshapes, which for
 * size-1 dims are always views, so they need no op of their own.
 */
import { normalizeAxes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { normalizeNewDim } from './dims.js';
import { reshape } from './reshape.js';

/**
 * `x` without its size-1 dims: all of them, or only those named by `dim` (a dim or a list).
 * A named dim whose size is not 1 is kept, as in PyTorch.
 */
export function squeeze(x: Tensor, dim?: number | number[]): Tensor {
  checkTensor('squeeze', 'self', x);
  const dims = normalizeAxes('squeeze', 'dim', dim, x.ndim);
  return reshape(x, x.shape.filter((d, i) => d !== 1 || !dims.includes(i)));
}

/** `x` with a size-1 dim inserted at position `dim`, in [-ndim - 1, ndim] (negative counts from the end). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', 'self', x);
  const at = normalizeNewDim('unsqueeze', 'dim', dim, x.ndim);
  return reshape(x, [...x.shape.slice(0, at), 1, ...x.shape.slice(at)]);
}
