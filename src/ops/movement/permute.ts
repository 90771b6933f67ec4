/** @file permute / transpose: the same storage with dims reordered (a view, no copy). */
import { permuteView } from '../../kernels/reference/movement.js';
import { registerKernel } from '../../kernels/registry.js';
import { ValueError } from '../../errors.js';
import { normalizeAxis } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { normalizePermutation } from './dims.js';

declare module '../schema.js' {
  interface OpAttrMap {
    /** Output dim i is input dim dims[i]; a permutation of 0..ndim-1. */
    permute: { dims: readonly number[] };
  }
}

/** The permutation that undoes `dims`. */
const inverse = (dims: readonly number[]): number[] => {
  const inv = new Array<number>(dims.length);
  dims.forEach((d, i) => (inv[d] = i));
  return inv;
};

defineOp({
  name: 'permute',
  inputs: ['x'],
  infer: ([x], { dims }) => {
    const ndim = x.shape.length;
    // Attrs from a graph file are untrusted: only a permutation of non-negative dims is canonical.
    if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0) || dims.length !== ndim) {
      throw new ValueError('permute', 'dims', `a permutation of 0..${ndim - 1}`, dims);
    }
    normalizePermutation('permute', 'dims', dims, ndim);
    return [{ shape: dims.map((d) => x.shape[d]), dtype: x.dtype }];
  },
  vjp: ({ attrs }, [g]) => [apply1('permute', [g], { dims: inverse(attrs.dims) })],
  jvp: ({ attrs }, [t]) => [apply1('permute', [t], attrs)],
  fusion: 'injective',
  flags: { view: true },
});
registerKernel('permute', { backend: 'reference', device: '*', kernel: ([x], { dims }) => [permuteView(x, dims)] });

/**
 * A view of `x` with its dims reordered: output dim i is input dim dims[i] (negative dims
 * count from the end). `permute(x, [1, 0])` transposes a matrix.
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', 'self', x);
  const canonical = normalizePermutation('permute', 'dims', dims, x.ndim);
  if (canonical.every((d, i) => d === i)) return x;
  return apply1('permute', [x], { dims: canonical });
}

/**
 * A view of `x` with dims dim0 and dim1 swapped (by default the last two). As PyTorch's
 * `t()`, a 0-d or 1-d tensor called without dims comes back unchanged.
 */
export function transpose(x: Tensor, dim0?: number, dim1?: number): Tensor {
  checkTensor('transpose', 'self', x);
  if (x.ndim < 2 && dim0 === undefined && dim1 === undefined) return x;
  const a = normalizeAxis('transpose', 'dim0', dim0 ?? -2, x.ndim);
  const b = normalizeAxis('transpose', 'dim1', dim1 ?? -1, x.ndim);
  if (a === b || x.ndim === 0) return x;
  const dims = Array.from({ length: x.ndim }, (_, i) => i);
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}
