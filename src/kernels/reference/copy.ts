/** @file Copies: contiguous() and dtype casts, used by the dispatcher and many kernels. */
import { type DType, isFloating } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { forEachRow, operand } from './strided.js';

/** `t` itself if it is contiguous from offset 0 of a storage of exactly its size, else a copy. */
export function contiguous(t: Tensor): Tensor {
  if (t.trace) return t;
  if (t.isContiguous() && t.offset === 0 && t.storage.data.length === t.size) return t;
  return copyAs(t, t.dtype);
}

/** A fresh contiguous tensor with `t`'s values converted to `dtype`. */
export function copyAs(t: Tensor, dtype: DType): Tensor {
  const out = Tensor.empty(t.shape, dtype, t.device);
  const dst = out.storage.data;
  if (t.isContiguous()) {
    const src = t.storage.data.subarray(t.offset, t.offset + t.size);
    if (dtype === 'bool') for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    else if (dtype === 'int32' && t.dtype !== 'int32' && t.dtype !== 'bool') for (let i = 0; i < src.length; i++) dst[i] = Math.trunc(src[i]);
    else dst.set(src);
    return out;
  }
  const x = operand(t, t.shape as number[]);
  const conv = dtype === 'bool' ? (v: number) => (v !== 0 ? 1 : 0) : dtype === 'int32' ? Math.trunc : (v: number) => v;
  let pos = 0;
  forEachRow(t.shape, [x], ([o], n, [s]) => {
    const src = x.data;
    for (let i = 0; i < n; i++) dst[pos++] = conv(src[o + i * s]);
  });
  return out;
}

/** Writes `src` (broadcast to dst's shape, converted to dst's dtype) into dst's strided storage. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const shape = dst.shape as number[];
  const d = dst.storage.data;
  const s = src.storage.data;
  // Same shape, both contiguous, and a conversion TypedArray.set does exactly: one bulk copy
  // (optimizers write every parameter back this way each step).
  if (dst.isContiguous() && src.isContiguous() && shapesEqual(dst.shape, src.shape) && (dst.dtype === src.dtype || (isFloating(dst.dtype) && src.dtype !== 'bool'))) {
    d.set(s.subarray(src.offset, src.offset + src.size), dst.offset);
    return;
  }
  const conv = dst.dtype === 'bool' ? (v: number) => (v !== 0 ? 1 : 0) : dst.dtype === 'int32' ? Math.trunc : (v: number) => v;
  forEachRow(shape, [{ data: d, offset: dst.offset, strides: dst.strides }, operand(src, shape)], ([od, os], n, [sd, ss]) => {
    for (let i = 0; i < n; i++) d[od + i * sd] = conv(s[os + i * ss]);
  });
}
