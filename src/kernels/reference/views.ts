/** @file View kernels: new shapes and strides over the same storage, no data moved. */
import { contiguousStrides } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { copyAs } from './copy.js';

export function makeView(x: Tensor, shape: readonly number[], strides: readonly number[], offset = x.offset): Tensor {
  const view = new Tensor(x.storage, shape, strides, offset, x.dtype, x.device);
  // A view of a traced value (detach() while tracing) stands for the same graph value.
  view.trace = x.trace;
  return view;
}

/**
 * Strides for viewing `x` as `shape` without copying, or null when its layout does not
 * allow it (PyTorch's `computeStride`): each run of merged input dims must be contiguous.
 */
export function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.isContiguous()) return contiguousStrides(shape);
  const oldShape = x.shape.filter((d) => d !== 1);
  const oldStrides = x.strides.filter((_, i) => x.shape[i] !== 1);
  const out = new Array<number>(shape.length);
  let oi = 0;
  let ni = 0;
  while (ni < shape.length) {
    if (shape[ni] === 1) {
      out[ni++] = 1;
      continue;
    }
    // Take old dims [oi, oj) and new dims [ni, nj) whose sizes multiply to the same total.
    let oldSize = oldShape[oi];
    let newSize = shape[ni];
    const oStart = oi;
    const nStart = ni;
    while (oldSize !== newSize) {
      if (oldSize < newSize) oldSize *= oldShape[++oi];
      else newSize *= shape[++ni];
    }
    for (let k = oStart; k < oi; k++) if (oldStrides[k] !== oldStrides[k + 1] * oldShape[k + 1]) return null;
    let stride = oldStrides[oi];
    for (let k = ni; k >= nStart; k--) {
      out[k] = stride;
      stride *= shape[k];
    }
    oi++;
    ni++;
  }
  return out;
}

/** A view of `x` as `shape` when possible, else a reshaped copy. */
export function reshapeKernelImpl(x: Tensor, shape: readonly number[]): Tensor {
  const strides = x.size === 0 ? contiguousStrides(shape) : viewStrides(x, shape);
  if (strides) return makeView(x, shape, strides);
  const c = copyAs(x, x.dtype);
  return makeView(c, shape, contiguousStrides(shape), 0);
}
