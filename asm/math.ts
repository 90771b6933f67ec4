/**
 * @file Float32 transcendental functions on four lanes, after Cephes (expf, logf, tanhf):
 * range reduction plus a short polynomial, within ~3 ulp of the correctly rounded value.
 * NaN in gives NaN out; overflow gives ±Infinity, underflow gives (sub)normals or 0.
 *
 * V8 rematerialises every v128 constant inside a loop (three instructions each), so the
 * constants live in a table in memory instead and cost one load each, usually folded into
 * the instruction that uses them. initMathConstants() writes the table once, before any
 * thread runs a kernel; [0, 64) below it holds the thread pool's control words.
 */
import { madd } from './simd';

const TABLE: usize = 64;
// One 16-byte slot per constant, in table order.
const EXP_LO: usize = TABLE + 0, EXP_HI: usize = TABLE + 16, LOG2E: usize = TABLE + 32;
const ROUNDER: usize = TABLE + 48, LN2_HI: usize = TABLE + 64, LN2_LO: usize = TABLE + 80;
const EXP_P0: usize = TABLE + 96, EXP_P1: usize = TABLE + 112, EXP_P2: usize = TABLE + 128;
const EXP_P3: usize = TABLE + 144, EXP_P4: usize = TABLE + 160, EXP_P5: usize = TABLE + 176;
const ONE: usize = TABLE + 192, TWO: usize = TABLE + 208, HALF: usize = TABLE + 224;
const ZERO: usize = TABLE + 240, INF: usize = TABLE + 256, NEG_INF: usize = TABLE + 272;
const NAN: usize = TABLE + 288, BIAS: usize = TABLE + 304, SIGN_BIT: usize = TABLE + 320;
const MIN_NORMAL: usize = TABLE + 336, TWO_POW_23: usize = TABLE + 352, TWENTY_THREE: usize = TABLE + 368;
const LOG_BIAS: usize = TABLE + 384, MANTISSA: usize = TABLE + 400, HALF_EXPONENT: usize = TABLE + 416;
const SQRT_HALF: usize = TABLE + 432, LOG_P0: usize = TABLE + 448, LOG_P1: usize = TABLE + 464;
const LOG_P2: usize = TABLE + 480, LOG_P3: usize = TABLE + 496, LOG_P4: usize = TABLE + 512;
const LOG_P5: usize = TABLE + 528, LOG_P6: usize = TABLE + 544, LOG_P7: usize = TABLE + 560;
const LOG_P8: usize = TABLE + 576, TANH_P0: usize = TABLE + 592, TANH_P1: usize = TABLE + 608;
const TANH_P2: usize = TABLE + 624, TANH_P3: usize = TABLE + 640, TANH_P4: usize = TABLE + 656;
const TANH_SMALL: usize = TABLE + 672;

/** The end of the table (bytes), checked by the JS side against its reserved space. */
export const MATH_TABLE_END: i32 = <i32>TABLE + 688;

@inline function f(at: usize, value: f32): void {
  v128.store(at, f32x4.splat(value));
}
@inline function i(at: usize, value: i32): void {
  v128.store(at, i32x4.splat(value));
}

export function initMathConstants(): void {
  f(EXP_LO, -104.0); f(EXP_HI, 88.8); f(LOG2E, 1.44269504088896341);
  // 1.5·2^23: adding it rounds a float in (−2^22, 2^22) to an integer in the low mantissa bits.
  f(ROUNDER, 12582912.0);
  // ln 2 split so that n·LN2_HI is exact for |n| ≤ 150.
  f(LN2_HI, 0.693359375); f(LN2_LO, -2.12194440e-4);
  f(EXP_P0, 1.9875691500e-4); f(EXP_P1, 1.3981999507e-3); f(EXP_P2, 8.3334519073e-3);
  f(EXP_P3, 4.1665795894e-2); f(EXP_P4, 1.6666665459e-1); f(EXP_P5, 5.0000001201e-1);
  f(ONE, 1); f(TWO, 2); f(HALF, 0.5); f(ZERO, 0); f(INF, Infinity); f(NEG_INF, -Infinity); f(NAN, NaN);
  i(BIAS, 127); i(SIGN_BIT, 0x80000000);
  f(MIN_NORMAL, 1.17549435e-38); f(TWO_POW_23, 8388608.0); f(TWENTY_THREE, 23);
  i(LOG_BIAS, 126); i(MANTISSA, 0x007fffff); i(HALF_EXPONENT, 0x3f000000); f(SQRT_HALF, 0.707106781186547524);
  f(LOG_P0, 7.0376836292e-2); f(LOG_P1, -1.1514610310e-1); f(LOG_P2, 1.1676998740e-1);
  f(LOG_P3, -1.2420140846e-1); f(LOG_P4, 1.4249322787e-1); f(LOG_P5, -1.6668057665e-1);
  f(LOG_P6, 2.0000714765e-1); f(LOG_P7, -2.4999993993e-1); f(LOG_P8, 3.3333331174e-1);
  f(TANH_P0, -5.70498872745e-3); f(TANH_P1, 2.06390887954e-2); f(TANH_P2, -5.37397155531e-2);
  f(TANH_P3, 1.33314422036e-1); f(TANH_P4, -3.33332819422e-1); f(TANH_SMALL, 0.625);
}

@inline function c(at: usize): v128 {
  return v128.load(at);
}

/** acc·x + k (fused in the relaxed-SIMD build). */
@inline function horner(x: v128, acc: v128, k: usize): v128 {
  return madd(acc, x, c(k));
}

/** e^x. */
@inline export function exp4(input: v128): v128 {
  // Clamp so both halves of the 2^n scale below stay normal. pmax(x, lo) = x < lo ? lo : x
  // keeps a NaN x (as does pmin), and a NaN then flows through every step below.
  const x = f32x4.pmin(f32x4.pmax(input, c(EXP_LO)), c(EXP_HI));
  const t = madd(x, c(LOG2E), c(ROUNDER));
  const n = f32x4.sub(t, c(ROUNDER));
  let r = f32x4.sub(x, f32x4.mul(n, c(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, c(LN2_LO)));
  let p = c(EXP_P0);
  p = horner(r, p, EXP_P1);
  p = horner(r, p, EXP_P2);
  p = horner(r, p, EXP_P3);
  p = horner(r, p, EXP_P4);
  p = horner(r, p, EXP_P5);
  p = f32x4.add(madd(p, f32x4.mul(r, r), r), c(ONE));
  // 2^n as two factors 2^(n>>1)·2^(n−(n>>1)), each within the normal range.
  const ni = i32x4.sub(t, c(ROUNDER));
  const h1 = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(h1, c(BIAS)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h1), c(BIAS)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** ln x: NaN below 0 and for NaN, −Infinity at 0, +Infinity at +Infinity. */
@inline export function log4(x: v128): v128 {
  // Subnormal inputs are scaled by 2^23 first.
  const tiny = f32x4.lt(x, c(MIN_NORMAL));
  const bits = v128.bitselect(f32x4.mul(x, c(TWO_POW_23)), x, tiny);
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), c(LOG_BIAS)));
  e = f32x4.sub(e, v128.and(tiny, c(TWENTY_THREE)));
  // Mantissa in [0.5, 1); below √½ use 2m − 1 and e − 1, else m − 1.
  let m = v128.or(v128.and(bits, c(MANTISSA)), c(HALF_EXPONENT));
  const small = f32x4.lt(m, c(SQRT_HALF));
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), c(ONE));
  e = f32x4.sub(e, v128.and(small, c(ONE)));
  const z = f32x4.mul(m, m);
  let y = c(LOG_P0);
  y = horner(m, y, LOG_P1);
  y = horner(m, y, LOG_P2);
  y = horner(m, y, LOG_P3);
  y = horner(m, y, LOG_P4);
  y = horner(m, y, LOG_P5);
  y = horner(m, y, LOG_P6);
  y = horner(m, y, LOG_P7);
  y = horner(m, y, LOG_P8);
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, c(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, c(HALF)));
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(e, c(LN2_HI)));
  r = v128.bitselect(x, r, f32x4.eq(x, c(INF)));
  r = v128.bitselect(c(NEG_INF), r, f32x4.eq(x, c(ZERO)));
  return v128.bitselect(c(NAN), r, v128.not(f32x4.ge(x, c(ZERO))));
}

/** tanh x: an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above. */
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = c(TANH_P0);
  p = horner(z, p, TANH_P1);
  p = horner(z, p, TANH_P2);
  p = horner(z, p, TANH_P3);
  p = horner(z, p, TANH_P4);
  const near = madd(f32x4.mul(p, z), x, x);
  const e = exp4(f32x4.add(ax, ax));
  const far = f32x4.sub(c(ONE), f32x4.div(c(TWO), f32x4.add(e, c(ONE))));
  // tanh is odd: give the far branch x's sign.
  const signed = v128.or(far, v128.and(x, c(SIGN_BIT)));
  return v128.bitselect(near, signed, f32x4.lt(ax, c(TANH_SMALL)));
}

/** 1/(1 + e^−x), from e^−|x| so that nothing overflows. */
@inline export function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(c(ONE), f32x4.add(c(ONE), e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, c(ZERO)));
}
