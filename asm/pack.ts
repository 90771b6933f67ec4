/**
 * @file Packing for the gemm: copies a block of A into MR-row panels ([k][MR] each) and a
 * block of B into 8-column panels ([k][8] each), zero-padding the last panel, so the
 * micro-kernel reads both contiguously. A stride other than 1 on the fast axis (a
 * transposed operand) is handled with 4×4 SIMD transposes, at the speed of a copy.
 */
import { imin } from './simd';
import { MR, NR } from './microkernel';

// 4×4 transpose of rows r0..r3; the results are the columns.
@inline function lo2(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 0, 4, 1, 5); }
@inline function hi2(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 2, 6, 3, 7); }
@inline function lo64(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 0, 1, 4, 5); }
@inline function hi64(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 2, 3, 6, 7); }

/** Stores the transpose of the 4×4 block whose rows are r0..r3 at d, d+step, d+2·step, d+3·step. */
@inline function storeTransposed(r0: v128, r1: v128, r2: v128, r3: v128, d: usize, step: usize): void {
  const t0 = lo2(r0, r1), t1 = hi2(r0, r1), t2 = lo2(r2, r3), t3 = hi2(r2, r3);
  v128.store(d, lo64(t0, t2));
  v128.store(d + step, hi64(t0, t2));
  v128.store(d + 2 * step, lo64(t1, t3));
  v128.store(d + 3 * step, hi64(t1, t3));
}

/** Packs one full MR-row panel of a row-major A (column stride 1): a transpose. MR is 4 or 5. */
function packAPanelRows(s: usize, rsA: i32, kc: i32, d: usize): void {
  const rs = <usize>rsA << 2;
  const dstep = <usize>MR << 2;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const p = s + (<usize>k << 2);
    const dk = d + <usize>k * dstep;
    storeTransposed(v128.load(p), v128.load(p + rs), v128.load(p + 2 * rs), v128.load(p + 3 * rs), dk, dstep);
    if (MR == 5) {
      // Row 4 goes one lane at a time after the transposed rows 0–3.
      const r4 = v128.load(p + 4 * rs);
      v128.store32_lane(dk, r4, 0, 16);
      v128.store32_lane(dk + dstep, r4, 1, 16);
      v128.store32_lane(dk + 2 * dstep, r4, 2, 16);
      v128.store32_lane(dk + 3 * dstep, r4, 3, 16);
    }
  }
  for (; k < kc; k++) {
    for (let r = 0; r < MR; r++) store<f32>(d + <usize>(k * MR + r) * 4, load<f32>(s + <usize>(r * rsA + k) * 4));
  }
}

/** Packs rows [0, mc) × cols [0, kc) of A (at s) into MR-row panels, zero-padding the last. */
export function packA(s: usize, rsA: i32, csA: i32, mc: i32, kc: i32, d: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = imin(MR, mc - ir);
    const src = s + <usize>ir * <usize>rsA * 4;
    const dst = d + <usize>ir * <usize>kc * 4;
    if (rows == MR && csA == 1) {
      packAPanelRows(src, rsA, kc, dst);
    } else if (rows == MR && rsA == 1) {
      // A transposed: the MR values of one k are contiguous.
      for (let k = 0; k < kc; k++) {
        const p = src + <usize>k * <usize>csA * 4;
        const q = dst + <usize>(k * MR) * 4;
        v128.store(q, v128.load(p));
        if (MR == 5) store<f32>(q, load<f32>(p, 16), 16);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(src + (<usize>r * <usize>rsA + <usize>k * <usize>csA) * 4) : 0;
          store<f32>(dst + <usize>(k * MR + r) * 4, v);
        }
      }
    }
  }
}

/** Packs rows [0, kc) × cols [0, nc) of B (at s) into NR-column panels, zero-padding the last. */
export function packB(s: usize, rsB: i32, csB: i32, kc: i32, nc: i32, d: usize): void {
  const rs = <usize>rsB << 2, cs = <usize>csB << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = imin(NR, nc - jr);
    const src = s + <usize>jr * cs;
    const dst = d + <usize>jr * <usize>kc * 4;
    if (cols == NR && csB == 1) {
      for (let k = 0; k < kc; k++) {
        const p = src + <usize>k * rs;
        const q = dst + (<usize>k << 5);
        v128.store(q, v128.load(p));
        v128.store(q, v128.load(p, 16), 16);
      }
    } else if (cols == NR && rsB == 1) {
      // B transposed: each column is contiguous in k; transpose 4×4 blocks.
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const p = src + (<usize>k << 2);
        const q = dst + (<usize>k << 5);
        storeTransposed(v128.load(p), v128.load(p + cs), v128.load(p + 2 * cs), v128.load(p + 3 * cs), q, 32);
        const p4 = p + 4 * cs;
        storeTransposed(v128.load(p4), v128.load(p4 + cs), v128.load(p4 + 2 * cs), v128.load(p4 + 3 * cs), q + 16, 32);
      }
      for (; k < kc; k++) {
        for (let j = 0; j < NR; j++) store<f32>(dst + <usize>(k * NR + j) * 4, load<f32>(src + <usize>j * cs + (<usize>k << 2)));
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let j = 0; j < NR; j++) {
          const v: f32 = j < cols ? load<f32>(src + <usize>k * rs + <usize>j * cs) : 0;
          store<f32>(dst + <usize>(k * NR + j) * 4, v);
        }
      }
    }
  }
}
