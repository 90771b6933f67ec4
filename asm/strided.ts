/**
 * @file Walks over strided operands: gather (make a view contiguous) and the n-d walk used
 * by broadcasting binary ops. The JS side collapses dims first, so `ndim` is small.
 *
 * A descriptor at `desc` holds i32 words: shape[ndim], then the strides (in elements) of
 * each operand [ndim each], then ndim zeroed words used here as the index counter.
 */
import { binaryRow } from './elementwise';

@inline function word(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}

/** Rows of the walk: the product of every dim but the last. */
@inline function outerRows(desc: usize, ndim: i32): i32 {
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= word(desc, d);
  return rows;
}

/** dst (contiguous) = the strided view at src. */
export function gather(src: usize, dst: usize, ndim: i32, desc: usize): void {
  const n = word(desc, ndim - 1);
  const s = word(desc, 2 * ndim - 1);
  const index = desc + (<usize>(2 * ndim) << 2);
  const rows = outerRows(desc, ndim);
  let pos: isize = 0;
  for (let r = 0; r < rows; r++) {
    const p = src + (<usize>pos << 2);
    if (s == 1) {
      memory.copy(dst, p, <usize>n << 2);
    } else {
      for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(p + (<usize>(i * s) << 2)));
    }
    dst += <usize>n << 2;
    for (let d = ndim - 2; d >= 0; d--) {
      const slot = index + (<usize>d << 2);
      const v = load<i32>(slot) + 1;
      const stride = word(desc, ndim + d);
      if (v < word(desc, d)) {
        store<i32>(slot, v);
        pos += stride;
        break;
      }
      store<i32>(slot, 0);
      pos -= <isize>stride * <isize>(v - 1);
    }
  }
}

/** dst (contiguous) = a op b, with a and b strided (stride 0 on broadcast dims). */
export function binaryNd(op: i32, a: usize, b: usize, dst: usize, ndim: i32, desc: usize): void {
  const n = word(desc, ndim - 1);
  const sa = word(desc, 2 * ndim - 1);
  const sb = word(desc, 3 * ndim - 1);
  const index = desc + (<usize>(3 * ndim) << 2);
  const rows = outerRows(desc, ndim);
  let pa: isize = 0, pb: isize = 0;
  for (let r = 0; r < rows; r++) {
    binaryRow(op, a + (<usize>pa << 2), sa, b + (<usize>pb << 2), sb, dst, n);
    dst += <usize>n << 2;
    for (let d = ndim - 2; d >= 0; d--) {
      const slot = index + (<usize>d << 2);
      const v = load<i32>(slot) + 1;
      const stA = word(desc, ndim + d), stB = word(desc, 2 * ndim + d);
      if (v < word(desc, d)) {
        store<i32>(slot, v);
        pa += stA;
        pb += stB;
        break;
      }
      store<i32>(slot, 0);
      pa -= <isize>stA * <isize>(v - 1);
      pb -= <isize>stB * <isize>(v - 1);
    }
  }
}
