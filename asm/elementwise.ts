/**
 * @file Elementwise float32 kernels. Contiguous loops run over whole vectors: the JS side
 * pads every buffer by 32 bytes, so no scalar tail is needed (unary ops write up to seven
 * elements past the end, binary ops up to three, inside that padding).
 */
import { exp4, log4, sigmoid4, tanh4 } from './math';

// Unary op codes (src/kernels/wasm/elementwise.ts).
const NEG = 0, ABS = 1, EXP = 2, LOG = 3, SQRT = 4, TANH = 5, SIGMOID = 6, RELU = 7, SIGN = 8;
// Binary op codes.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;

@inline function sign4(x: v128): v128 {
  const one = f32x4.splat(1);
  // ±1 with x's sign where x ≠ 0; x itself (±0 or NaN) elsewhere, as Math.sign.
  const unit = v128.or(one, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(unit, x, v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.lt(x, f32x4.splat(0))));
}

// The transcendental functions are long dependency chains: two vectors per iteration
// give the core two independent chains to overlap.
@inline function loop2(op: i32, src: usize, dst: usize, end: usize): void {
  for (; src < end; src += 32, dst += 32) {
    const a = v128.load(src), b = v128.load(src, 16);
    if (op == EXP) { v128.store(dst, exp4(a)); v128.store(dst, exp4(b), 16); }
    else if (op == LOG) { v128.store(dst, log4(a)); v128.store(dst, log4(b), 16); }
    else if (op == TANH) { v128.store(dst, tanh4(a)); v128.store(dst, tanh4(b), 16); }
    else { v128.store(dst, sigmoid4(a)); v128.store(dst, sigmoid4(b), 16); }
  }
}

@inline function simple4(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    // pmax(0, x) is 0 for NaN, as the reference's x > 0 ? x : 0.
    case RELU: return f32x4.pmax(f32x4.splat(0), x);
    case SIGN: return sign4(x);
  }
  return unreachable();
}

// The cheap ops, four vectors per iteration (see loopVV); n is a multiple of 8 here.
@inline function loopSimple(op: i32, src: usize, dst: usize, end: usize): void {
  for (; src + 64 <= end; src += 64, dst += 64) {
    const x0 = simple4(op, v128.load(src)), x1 = simple4(op, v128.load(src, 16));
    const x2 = simple4(op, v128.load(src, 32)), x3 = simple4(op, v128.load(src, 48));
    v128.store(dst, x0); v128.store(dst, x1, 16); v128.store(dst, x2, 32); v128.store(dst, x3, 48);
  }
  for (; src < end; src += 16, dst += 16) v128.store(dst, simple4(op, v128.load(src)));
}

/** dst[i] = op(src[i]) for i < n (rounded up to a multiple of 8); dst may equal src. */
export function unary(op: i32, src: usize, dst: usize, n: i32): void {
  const end = src + (<usize>((n + 7) & ~7) << 2);
  switch (op) {
    case NEG: loopSimple(NEG, src, dst, end); break;
    case ABS: loopSimple(ABS, src, dst, end); break;
    case EXP: loop2(EXP, src, dst, end); break;
    case LOG: loop2(LOG, src, dst, end); break;
    case SQRT: loopSimple(SQRT, src, dst, end); break;
    case TANH: loop2(TANH, src, dst, end); break;
    case SIGMOID: loop2(SIGMOID, src, dst, end); break;
    case RELU: loopSimple(RELU, src, dst, end); break;
    case SIGN: loopSimple(SIGN, src, dst, end); break;
    default: unreachable();
  }
}

/**
 * One task of a threaded unary job: elements [task·chunk, (task+1)·chunk) of n, in place.
 * Arguments (i32 words): op, src, dst, n, chunk (a multiple of 8).
 */
export function unaryTask(args: usize, task: i32): void {
  const n = load<i32>(args, 12), chunk = load<i32>(args, 16);
  const start = task * chunk;
  const count = n - start < chunk ? n - start : chunk;
  if (count <= 0) return;
  const offset = <usize>start << 2;
  unary(load<i32>(args), <usize>load<i32>(args, 4) + offset, <usize>load<i32>(args, 8) + offset, count);
}

@inline function apply4(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
  }
  return unreachable();
}

@inline function apply1(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return Mathf.max(a, b);
    case MINIMUM: return Mathf.min(a, b);
  }
  return unreachable();
}

// One loop per op (the switch is outside), so each loop body is one SIMD instruction per
// vector; four vectors per iteration, then single ones, keep the loop overhead off the
// critical path (a single-vector loop ran at about half the speed on cached data).
@inline function loopVV(op: i32, a: usize, b: usize, dst: usize, end: usize): void {
  for (; dst + 64 <= end; a += 64, b += 64, dst += 64) {
    const x0 = apply4(op, v128.load(a), v128.load(b)), x1 = apply4(op, v128.load(a, 16), v128.load(b, 16));
    const x2 = apply4(op, v128.load(a, 32), v128.load(b, 32)), x3 = apply4(op, v128.load(a, 48), v128.load(b, 48));
    v128.store(dst, x0); v128.store(dst, x1, 16); v128.store(dst, x2, 32); v128.store(dst, x3, 48);
  }
  for (; dst < end; a += 16, b += 16, dst += 16) v128.store(dst, apply4(op, v128.load(a), v128.load(b)));
}
@inline function loopVS(op: i32, a: usize, b: v128, dst: usize, end: usize): void {
  for (; dst + 64 <= end; a += 64, dst += 64) {
    const x0 = apply4(op, v128.load(a), b), x1 = apply4(op, v128.load(a, 16), b);
    const x2 = apply4(op, v128.load(a, 32), b), x3 = apply4(op, v128.load(a, 48), b);
    v128.store(dst, x0); v128.store(dst, x1, 16); v128.store(dst, x2, 32); v128.store(dst, x3, 48);
  }
  for (; dst < end; a += 16, dst += 16) v128.store(dst, apply4(op, v128.load(a), b));
}
@inline function loopSV(op: i32, a: v128, b: usize, dst: usize, end: usize): void {
  for (; dst + 64 <= end; b += 64, dst += 64) {
    const x0 = apply4(op, a, v128.load(b)), x1 = apply4(op, a, v128.load(b, 16));
    const x2 = apply4(op, a, v128.load(b, 32)), x3 = apply4(op, a, v128.load(b, 48));
    v128.store(dst, x0); v128.store(dst, x1, 16); v128.store(dst, x2, 32); v128.store(dst, x3, 48);
  }
  for (; dst < end; b += 16, dst += 16) v128.store(dst, apply4(op, a, v128.load(b)));
}

/**
 * One row of a binary op: dst[i] = a[i·sa] op b[i·sb] for i < n. Unit and zero strides
 * run as vectors (rounded up to a multiple of 4); other strides run one element at a time.
 */
export function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, dst: usize, n: i32): void {
  const end = dst + (<usize>((n + 3) & ~3) << 2);
  if (sa == 1 && sb == 1) {
    switch (op) {
      case ADD: loopVV(ADD, a, b, dst, end); break;
      case SUB: loopVV(SUB, a, b, dst, end); break;
      case MUL: loopVV(MUL, a, b, dst, end); break;
      case DIV: loopVV(DIV, a, b, dst, end); break;
      case MAXIMUM: loopVV(MAXIMUM, a, b, dst, end); break;
      case MINIMUM: loopVV(MINIMUM, a, b, dst, end); break;
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(b);
    switch (op) {
      case ADD: loopVS(ADD, a, bv, dst, end); break;
      case SUB: loopVS(SUB, a, bv, dst, end); break;
      case MUL: loopVS(MUL, a, bv, dst, end); break;
      case DIV: loopVS(DIV, a, bv, dst, end); break;
      case MAXIMUM: loopVS(MAXIMUM, a, bv, dst, end); break;
      case MINIMUM: loopVS(MINIMUM, a, bv, dst, end); break;
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(a);
    switch (op) {
      case ADD: loopSV(ADD, av, b, dst, end); break;
      case SUB: loopSV(SUB, av, b, dst, end); break;
      case MUL: loopSV(MUL, av, b, dst, end); break;
      case DIV: loopSV(DIV, av, b, dst, end); break;
      case MAXIMUM: loopSV(MAXIMUM, av, b, dst, end); break;
      case MINIMUM: loopSV(MINIMUM, av, b, dst, end); break;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = load<f32>(a + (<usize>(i * sa) << 2));
      const y = load<f32>(b + (<usize>(i * sb) << 2));
      store<f32>(dst + (<usize>i << 2), apply1(op, x, y));
    }
  }
}

/** dst = a op b over n contiguous elements; mode 1: b is one scalar, mode 2: a is. */
export function binary(op: i32, a: usize, b: usize, dst: usize, n: i32, mode: i32): void {
  binaryRow(op, a, mode == 2 ? 0 : 1, b, mode == 1 ? 0 : 1, dst, n);
}
