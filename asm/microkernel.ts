/**
 * @file The gemm micro-kernels: C[MR×8] (+)= Apanel·Bpanel over kc steps, the MR·8 sums
 * held in registers. Packed panels (pack.ts) give MR values of A and 8 of B per step.
 *
 * V8 (TurboFan) schedules every load of the loop body before the arithmetic, so all of a
 * step's operands are live at once besides the accumulators, and x64 gives wasm 15 usable
 * xmm registers. A wider kernel spills an accumulator to the stack on every step (a 6×8
 * kernel measured 28 GFLOP/s against 57 for these). So:
 * - relaxed SIMD (FMA, no temporary): 5×8, rows 0–3 of A in one load splatted by shuffles
 *   (pure ops, placed next to their use): 10 accumulators + 5 operands.
 * - plain SIMD (a multiply needs a temporary): 4×8 with broadcast loads: 8 + 6 + 1.
 */
import { madd } from './simd';

export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 5 : 4;
export const NR: i32 = 8;

@inline function store8(c: usize, lo: v128, hi: v128, acc: bool): void {
  if (acc) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/** C[5×8] (+)= Apanel·Bpanel, for the relaxed-SIMD build. */
function kernel5x8s(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a4 = v128.load(pa);
    let a = i32x4.shuffle(a4, a4, 0, 0, 0, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(a4, a4, 1, 1, 1, 1); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(a4, a4, 2, 2, 2, 2); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(a4, a4, 3, 3, 3, 3); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    pa += 20; pb += 32;
  }
  const step = <usize>ldc << 2;
  store8(c, c00, c01, acc); c += step;
  store8(c, c10, c11, acc); c += step;
  store8(c, c20, c21, acc); c += step;
  store8(c, c30, c31, acc); c += step;
  store8(c, c40, c41, acc);
}
/** C[4×8] (+)= Apanel·Bpanel, for the plain-SIMD build. */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += 32;
  }
  const step = <usize>ldc << 2;
  store8(c, c00, c01, acc); c += step;
  store8(c, c10, c11, acc); c += step;
  store8(c, c20, c21, acc); c += step;
  store8(c, c30, c31, acc);
}

/** The build's micro-kernel: c[i·ldc + j] (+)= Σ_k pa[k·MR + i]·pb[k·8 + j]. */
@inline export function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, acc: bool): void {
  if (MR == 5) kernel5x8s(kc, pa, pb, c, ldc, acc);
  else kernel4x8(kc, pa, pb, c, ldc, acc);
}
