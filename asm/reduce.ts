/**
 * @file Float32 reductions and softmax over contiguous data. Sums accumulate in float64
 * (as the reference kernels do) so long rows do not drift; max propagates NaN.
 */
import { exp4, log4 } from './math';

const SUM = 0, MAX = 1, MIN = 2;

@inline function widenLo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function widenHi(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Sum of n floats at p, in float64. */
function sumRow(p: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const v = v128.load(p + (<usize>i << 2));
    const w = v128.load(p + (<usize>i << 2), 16);
    a0 = f64x2.add(a0, widenLo(v));
    a1 = f64x2.add(a1, widenHi(v));
    a2 = f64x2.add(a2, widenLo(w));
    a3 = f64x2.add(a3, widenHi(w));
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) total += <f64>load<f32>(p + (<usize>i << 2));
  return total;
}

@inline function pick4(op: i32, a: v128, b: v128): v128 {
  return op == MAX ? f32x4.max(a, b) : f32x4.min(a, b);
}
@inline function pick1(op: i32, a: f32, b: f32): f32 {
  return op == MAX ? Mathf.max(a, b) : Mathf.min(a, b);
}

/** Largest (MAX) or smallest (MIN) of n floats at p: ∓Infinity when n = 0, NaN if any is NaN. */
@inline function extremeRow(op: i32, p: usize, n: i32): f32 {
  const init: f32 = op == MAX ? -Infinity : Infinity;
  let a0 = f32x4.splat(init), a1 = f32x4.splat(init);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    a0 = pick4(op, a0, v128.load(p + (<usize>i << 2)));
    a1 = pick4(op, a1, v128.load(p + (<usize>i << 2), 16));
  }
  const a = pick4(op, a0, a1);
  let m = pick1(op, pick1(op, f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), pick1(op, f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
  for (; i < n; i++) m = pick1(op, m, load<f32>(p + (<usize>i << 2)));
  return m;
}

function maxRow(p: usize, n: i32): f32 {
  return extremeRow(MAX, p, n);
}
function minRow(p: usize, n: i32): f32 {
  return extremeRow(MIN, p, n);
}

/** Sum of n floats at p in float64, for rows longer than one staged chunk. */
export function sumF64(p: usize, n: i32): f64 {
  return sumRow(p, n);
}

/** dst[r] = op over src[r·n … r·n + n) for each of `rows` rows. */
export function reduceRows(op: i32, src: usize, dst: usize, rows: i32, n: i32): void {
  const step = <usize>n << 2;
  for (let r = 0; r < rows; r++, src += step, dst += 4) {
    store<f32>(dst, op == SUM ? <f32>sumRow(src, n) : op == MAX ? maxRow(src, n) : minRow(src, n));
  }
}

@inline function extremeCols(op: i32, src: usize, dst: usize, n: i32, inner: i32): void {
  const rowBytes = <usize>inner << 2;
  const inner4 = inner & ~3;
  const init: f32 = op == MAX ? -Infinity : Infinity;
  for (let j = 0; j < inner; j++) store<f32>(dst + (<usize>j << 2), init);
  for (let r = 0; r < n; r++, src += rowBytes) {
    let j = 0;
    for (; j < inner4; j += 4) {
      const q = dst + (<usize>j << 2);
      v128.store(q, pick4(op, v128.load(q), v128.load(src + (<usize>j << 2))));
    }
    for (; j < inner; j++) {
      const q = dst + (<usize>j << 2);
      store<f32>(q, pick1(op, load<f32>(q), load<f32>(src + (<usize>j << 2))));
    }
  }
}

/**
 * x viewed as [outer, n, inner] reduced over n: dst[o, j] = op over r of x[o, r, j].
 * Vectorised across j; `acc` is scratch for `inner` float64 partial sums.
 */
export function reduceCols(op: i32, src: usize, dst: usize, outer: i32, n: i32, inner: i32, acc: usize): void {
  const rowBytes = <usize>inner << 2;
  const inner4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    if (op == SUM) {
      memory.fill(acc, 0, <usize>inner << 3);
      for (let r = 0; r < n; r++, src += rowBytes) {
        let j = 0;
        for (; j < inner4; j += 4) {
          const v = v128.load(src + (<usize>j << 2));
          const q = acc + (<usize>j << 3);
          v128.store(q, f64x2.add(v128.load(q), widenLo(v)));
          v128.store(q, f64x2.add(v128.load(q, 16), widenHi(v)), 16);
        }
        for (; j < inner; j++) {
          const q = acc + (<usize>j << 3);
          store<f64>(q, load<f64>(q) + <f64>load<f32>(src + (<usize>j << 2)));
        }
      }
      for (let j = 0; j < inner; j++) store<f32>(dst + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
    } else if (op == MAX) {
      extremeCols(MAX, src, dst, n, inner);
      src += <usize>n * rowBytes;
    } else {
      extremeCols(MIN, src, dst, n, inner);
      src += <usize>n * rowBytes;
    }
    dst += rowBytes;
  }
}

/** Softmax (or log-softmax, `log` = 1) of each row of n floats. */
export function softmaxRows(log: i32, src: usize, dst: usize, rows: i32, n: i32): void {
  const step = <usize>n << 2;
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++, src += step, dst += step) {
    const max = maxRow(src, n);
    // A row of −Infinity (or one holding +Infinity) is left to produce NaN, as the reference.
    const m = f32x4.splat(max);
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    let i = 0;
    for (; i < n4; i += 4) {
      const e = exp4(f32x4.sub(v128.load(src + (<usize>i << 2)), m));
      if (!log) v128.store(dst + (<usize>i << 2), e);
      lo = f64x2.add(lo, widenLo(e));
      hi = f64x2.add(hi, widenHi(e));
    }
    const s = f64x2.add(lo, hi);
    let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (; i < n; i++) {
      const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(src + (<usize>i << 2)) - max)), 0);
      if (!log) store<f32>(dst + (<usize>i << 2), e);
      total += <f64>e;
    }
    if (log) {
      // (x − max) − log Σ: subtracting max first keeps the result exact near 0 for huge logits.
      const lt = log4(f32x4.splat(<f32>total));
      i = 0;
      for (; i < n4; i += 4) v128.store(dst + (<usize>i << 2), f32x4.sub(f32x4.sub(v128.load(src + (<usize>i << 2)), m), lt));
      const l = f32x4.extract_lane(lt, 0);
      for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)) - max - l);
    } else {
      const t = <f32>total;
      const tv = f32x4.splat(t);
      i = 0;
      for (; i < n4; i += 4) v128.store(dst + (<usize>i << 2), f32x4.div(v128.load(dst + (<usize>i << 2)), tv));
      for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) / t);
    }
  }
}
