/**
 * @file Reference kernels for permute, slice (and its backward) and concat. permute and
 * slice are views: they only rewrite shape, strides and offset over the same storage.
 */
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { copyInto } from './copy.js';
import { makeView } from './views.js';

/** Canonical slice attrs: 0 ≤ dim < ndim, 0 ≤ start ≤ end ≤ size of dim, step ≥ 1. */
export interface SliceAttrs {
  readonly dim: number;
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** The number of elements a canonical slice keeps: ⌈(end − start) / step⌉. */
export const sliceLength = ({ start, end, step }: SliceAttrs): number => Math.max(0, Math.ceil((end - start) / step));

/** A fresh contiguous tensor of zeros (filled explicitly: an allocator may hand out reused memory). */
export function zerosOf(shape: readonly number[], dtype: DType, device: string): Tensor {
  const out = Tensor.empty(shape, dtype, device);
  out.storage.data.fill(0);
  return out;
}

/** A view with dims reordered: output dim i is input dim dims[i]. */
export function permuteView(x: Tensor, dims: readonly number[]): Tensor {
  return makeView(x, dims.map((d) => x.shape[d]), dims.map((d) => x.strides[d]));
}

/** A view keeping elements start, start + step, … (< end) of one dim. */
export function sliceView(x: Tensor, attrs: SliceAttrs): Tensor {
  const { dim, start, step } = attrs;
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[dim] = sliceLength(attrs);
  strides[dim] *= step;
  // An empty slice may start at the end of the dim; it reads nothing, so keep the offset in range.
  const offset = shape[dim] === 0 ? x.offset : x.offset + start * x.strides[dim];
  return makeView(x, shape, strides, offset);
}

/** sliceBackward: zeros of the input's shape with `g` written where the slice read. */
export const sliceBackwardKernel: Kernel<SliceAttrs> = ([g], attrs, [outType]) => {
  const out = zerosOf(outType.shape as number[], outType.dtype, g.device);
  copyInto(sliceView(out, attrs), g);
  return [out];
};

/** concat: each input copied into its stretch of the output along `dim`. */
export const concatKernel: Kernel<{ readonly dim: number }> = (inputs, { dim }, [outType]) => {
  const out = Tensor.empty(outType.shape as number[], outType.dtype, inputs[0].device);
  let start = 0;
  for (const x of inputs) {
    const n = x.shape[dim];
    if (n > 0) copyInto(sliceView(out, { dim, start, end: start + n, step: 1 }), x);
    start += n;
  }
  return [out];
};
