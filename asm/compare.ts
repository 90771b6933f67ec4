/**
 * @file Float32 comparisons with bool (one byte, 0 or 1) results, sixteen at a time:
 * lane masks are narrowed from 32 to 8 bits. The JS side pads every buffer by 64 bytes,
 * as up to fifteen elements past the end are read and written.
 */

const EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5;

@inline function mask(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case EQ: return f32x4.eq(a, b);
    case NE: return f32x4.ne(a, b);
    case LT: return f32x4.lt(a, b);
    case LE: return f32x4.le(a, b);
    case GT: return f32x4.gt(a, b);
    case GE: return f32x4.ge(a, b);
  }
  return unreachable();
}

/** Sixteen comparisons as sixteen bytes of 0 or 1. */
@inline function bytes16(op: i32, a0: v128, a1: v128, a2: v128, a3: v128, b0: v128, b1: v128, b2: v128, b3: v128): v128 {
  const lo = i16x8.narrow_i32x4_s(mask(op, a0, b0), mask(op, a1, b1));
  const hi = i16x8.narrow_i32x4_s(mask(op, a2, b2), mask(op, a3, b3));
  // Masks are −1 or 0; the signed narrows keep them so, and the AND makes them 1 or 0.
  return v128.and(i8x16.narrow_i16x8_s(lo, hi), i8x16.splat(1));
}

@inline function loop(op: i32, a: usize, b: usize, dst: usize, n: i32, mode: i32): void {
  const end = dst + <usize>((n + 15) & ~15);
  if (mode == 0) {
    for (; dst < end; a += 64, b += 64, dst += 16) {
      v128.store(dst, bytes16(op, v128.load(a), v128.load(a, 16), v128.load(a, 32), v128.load(a, 48), v128.load(b), v128.load(b, 16), v128.load(b, 32), v128.load(b, 48)));
    }
  } else if (mode == 1) {
    const s = v128.load32_splat(b);
    for (; dst < end; a += 64, dst += 16) v128.store(dst, bytes16(op, v128.load(a), v128.load(a, 16), v128.load(a, 32), v128.load(a, 48), s, s, s, s));
  } else {
    const s = v128.load32_splat(a);
    for (; dst < end; b += 64, dst += 16) v128.store(dst, bytes16(op, s, s, s, s, v128.load(b), v128.load(b, 16), v128.load(b, 32), v128.load(b, 48)));
  }
}

/** dst[i] = a[i] op b[i] as a byte, over n contiguous elements; mode 1: b is one scalar, mode 2: a is. */
export function compare(op: i32, a: usize, b: usize, dst: usize, n: i32, mode: i32): void {
  switch (op) {
    case EQ: loop(EQ, a, b, dst, n, mode); break;
    case NE: loop(NE, a, b, dst, n, mode); break;
    case LT: loop(LT, a, b, dst, n, mode); break;
    case LE: loop(LE, a, b, dst, n, mode); break;
    case GT: loop(GT, a, b, dst, n, mode); break;
    case GE: loop(GE, a, b, dst, n, mode); break;
  }
}
