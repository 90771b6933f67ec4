/**
 * @file Strided loops shared by the reference kernels.
 *
 * Kernels see tensors as (data, offset, strides); these helpers walk an output shape in
 * row-major order and keep one running offset per operand, so broadcast (stride 0) and
 * transposed inputs cost nothing extra and are never copied.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import { broadcastStrides } from '../../tensor/broadcast.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface Operand {
  readonly data: TypedArray;
  readonly offset: number;
  readonly strides: readonly number[];
}

/** An operand reading `t` broadcast to `shape`. */
export function operand(t: Tensor, shape: readonly number[]): Operand {
  return { data: t.storage.data, offset: t.offset, strides: broadcastStrides(t.shape, t.strides, shape) };
}

/**
 * Calls `inner(offsets, count, innerStrides)` once per row of the innermost dim, with each
 * operand's starting offset; the caller runs the tight loop over that row.
 */
export function forEachRow(
  shape: readonly number[],
  ops: readonly Operand[],
  inner: (offsets: number[], count: number, innerStrides: number[]) => void,
): void {
  const nd = shape.length;
  const offsets = ops.map((o) => o.offset);
  if (nd === 0) {
    inner(offsets, 1, ops.map(() => 0));
    return;
  }
  for (const d of shape) if (d === 0) return;
  const count = shape[nd - 1];
  const innerStrides = ops.map((o) => o.strides[nd - 1]);
  const index = new Array<number>(nd).fill(0);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  const cur = offsets.slice();
  for (let r = 0; r < rows; r++) {
    inner(cur, count, innerStrides);
    for (let d = nd - 2; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < ops.length; k++) cur[k] += ops[k].strides[d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < ops.length; k++) cur[k] -= ops[k].strides[d] * shape[d];
      index[d] = 0;
    }
  }
}
