/**
 * @file Winograd F(2×2, 3×3) for conv2d with 3×3 kernels, stride 1, dilation 1: each 2×2
 * block ("tile") of outputs comes from a 4×4 input patch d as Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A,
 * so the 36 multiplies per tile and channel pair become 16, done as 16 gemms (one per
 * position ξ of the 4×4 transform): M[ξ] = U[ξ]·V[ξ], [O×C]·[C×T] (src/kernels/wasm/winograd.ts).
 *   U[ξ][o][c] = (G g[o, c] Gᵀ)[ξ]          weights, once per call
 *   V[ξ][c][t] = (Bᵀ d[c, t] B)[ξ]           input patches, per image
 *   y[o, tile t] = Aᵀ M[·][o][t] A           2×2 outputs, per image
 * The transforms run four tiles of a row at once, one tile per SIMD lane. Tile rows are
 * padded to a multiple of 4 tiles (TWP), so the lanes never cross rows; padded tiles read
 * zeros and are never written out. The transform matrices hold only 0, ±1 and ±½.
 */
import { arg } from './simd';

// Argument block (i32 words); written by src/kernels/wasm/winograd.ts.
const X = 0, V_ = 1, M_ = 2, Y = 3, U_ = 4, WT = 5, C_ = 6, O_ = 7, CG = 8, H_ = 9, W_ = 10, PH = 11, PW = 12;
const OH_ = 13, OW_ = 14, TH_ = 15, TWP = 16, SCRATCH = 17, SCRATCH_STRIDE = 18;
// FLIP: 1 when the weights are those of the forward conv whose input gradient this is:
// filter (o, c) is then the forward filter (c, o) of the group, rotated by 180°.
const FLIP = 19;

/** Groups of the conv: its input channels over CG. */
@inline function groupsOf(args: usize, cg: i32): i32 {
  return arg(args, C_) / cg;
}

/** Stores row r of u = t·Gᵀ, (a, ½(a+b+e), ½(a−b+e), e), at U[4r + j][o][c]. */
@inline function storeURow(u: usize, step: usize, r: i32, a: f32, b: f32, e: f32): void {
  const p = u + <usize>(4 * r) * step;
  store<f32>(p, a);
  store<f32>(p + step, 0.5 * (a + b + e));
  store<f32>(p + 2 * step, 0.5 * (a - b + e));
  store<f32>(p + 3 * step, e);
}

/** U[ξ][o][c] = (G g Gᵀ)[ξ] for output channel o = `task` and each of its CG input channels. */
export function winogradWeightTask(args: usize, task: i32): void {
  const O = arg(args, O_), cg = arg(args, CG), flip = arg(args, FLIP) != 0;
  const step = <usize>O * <usize>cg * 4; // from U[ξ] to U[ξ + 1]
  // Flipped: this conv's O channels are the forward conv's input channels, and its CG are
  // the forward conv's output channels per group; the forward weights are [groups·CG][og][3][3].
  const og = O / groupsOf(args, cg);
  for (let c = 0; c < cg; c++) {
    let g = <usize>arg(args, WT) + <usize>((task * cg + c) * 9) * 4;
    if (flip) g = <usize>arg(args, WT) + <usize>((((task / og) * cg + c) * og + task % og) * 9) * 4;
    let g00 = load<f32>(g), g01 = load<f32>(g, 4), g02 = load<f32>(g, 8);
    let g10 = load<f32>(g, 12), g11 = load<f32>(g, 16), g12 = load<f32>(g, 20);
    let g20 = load<f32>(g, 24), g21 = load<f32>(g, 28), g22 = load<f32>(g, 32);
    if (flip) {
      let t = g00; g00 = g22; g22 = t;
      t = g01; g01 = g21; g21 = t;
      t = g02; g02 = g20; g20 = t;
      t = g10; g10 = g12; g12 = t;
    }
    const u = <usize>arg(args, U_) + <usize>(task * cg + c) * 4;
    // t = G·g: rows g0, ½(g0+g1+g2), ½(g0−g1+g2), g2.
    storeURow(u, step, 0, g00, g01, g02);
    storeURow(u, step, 1, 0.5 * (g00 + g10 + g20), 0.5 * (g01 + g11 + g21), 0.5 * (g02 + g12 + g22));
    storeURow(u, step, 2, 0.5 * (g00 - g10 + g20), 0.5 * (g01 - g11 + g21), 0.5 * (g02 - g12 + g22));
    storeURow(u, step, 3, g20, g21, g22);
  }
}

// Columns 0 and 1 of four patches (lane k: the patch at column 2k) from eight input values.
@inline function patchCol0(v0: v128, v1: v128): v128 { return i32x4.shuffle(v0, v1, 0, 2, 4, 6); }
@inline function patchCol1(v0: v128, v1: v128): v128 { return i32x4.shuffle(v0, v1, 1, 3, 5, 7); }

/**
 * V for image/channel pair `task` (image task / C, channel task % C): the plane is first
 * copied into a zero-bordered scratch plane (the padding), so every patch load is in bounds.
 */
export function winogradInputTask(args: usize, task: i32, thread: i32): void {
  const C = arg(args, C_), H = arg(args, H_), W = arg(args, W_), ph = arg(args, PH), pw = arg(args, PW);
  const TH = arg(args, TH_), TW4 = arg(args, TWP);
  const n = task / C, c = task % C;
  const T = TH * TW4;
  // Padded plane: rows [−ph, 2·TH + 2 − ph), columns [−pw, 2·TW4 + 4 − pw) of the input.
  const HP = 2 * TH + 2, WP = 2 * TW4 + 4;
  const pad = <usize>arg(args, SCRATCH) + <usize>thread * <usize>arg(args, SCRATCH_STRIDE);
  memory.fill(pad, 0, <usize>(HP * WP) << 2);
  const plane = <usize>arg(args, X) + <usize>(n * C + c) * <usize>H * <usize>W * 4;
  const colLo = pw > 0 ? 0 : -pw; // first input column that lands in the padded plane
  const colHi = W < WP - pw ? W : WP - pw;
  for (let r = 0; r < H; r++) {
    const pr = r + ph;
    if (pr < 0 || pr >= HP || colHi <= colLo) continue;
    memory.copy(pad + (<usize>(pr * WP + colLo + pw) << 2), plane + (<usize>(r * W + colLo) << 2), <usize>(colHi - colLo) << 2);
  }
  const V = <usize>arg(args, V_) + <usize>(n * 16 * C + c) * <usize>T * 4;
  const step = <usize>C * <usize>T * 4; // from V[ξ] to V[ξ + 1]
  for (let th = 0; th < TH; th++) {
    const rowBase = pad + (<usize>(2 * th * WP) << 2);
    for (let q = 0; q < TW4; q += 4) {
      // Row i of four patches starting at columns 2q, 2q+2, 2q+4, 2q+6: columns j = 0..3.
      let p = rowBase + (<usize>(2 * q) << 2);
      const wpBytes = <usize>WP << 2;
      let a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32);
      let e0 = patchCol0(a0, a1), o0 = patchCol1(a0, a1);
      const d00 = e0, d01 = o0, d02 = i32x4.shuffle(e0, a2, 1, 2, 3, 4), d03 = i32x4.shuffle(o0, a2, 1, 2, 3, 5);
      p += wpBytes;
      a0 = v128.load(p); a1 = v128.load(p, 16); a2 = v128.load(p, 32);
      e0 = patchCol0(a0, a1); o0 = patchCol1(a0, a1);
      const d10 = e0, d11 = o0, d12 = i32x4.shuffle(e0, a2, 1, 2, 3, 4), d13 = i32x4.shuffle(o0, a2, 1, 2, 3, 5);
      p += wpBytes;
      a0 = v128.load(p); a1 = v128.load(p, 16); a2 = v128.load(p, 32);
      e0 = patchCol0(a0, a1); o0 = patchCol1(a0, a1);
      const d20 = e0, d21 = o0, d22 = i32x4.shuffle(e0, a2, 1, 2, 3, 4), d23 = i32x4.shuffle(o0, a2, 1, 2, 3, 5);
      p += wpBytes;
      a0 = v128.load(p); a1 = v128.load(p, 16); a2 = v128.load(p, 32);
      e0 = patchCol0(a0, a1); o0 = patchCol1(a0, a1);
      const d30 = e0, d31 = o0, d32 = i32x4.shuffle(e0, a2, 1, 2, 3, 4), d33 = i32x4.shuffle(o0, a2, 1, 2, 3, 5);
      // Bᵀ·d: rows d0 − d2, d1 + d2, d2 − d1, d1 − d3.
      const t00 = f32x4.sub(d00, d20), t01 = f32x4.sub(d01, d21), t02 = f32x4.sub(d02, d22), t03 = f32x4.sub(d03, d23);
      const t10 = f32x4.add(d10, d20), t11 = f32x4.add(d11, d21), t12 = f32x4.add(d12, d22), t13 = f32x4.add(d13, d23);
      const t20 = f32x4.sub(d20, d10), t21 = f32x4.sub(d21, d11), t22 = f32x4.sub(d22, d12), t23 = f32x4.sub(d23, d13);
      const t30 = f32x4.sub(d10, d30), t31 = f32x4.sub(d11, d31), t32 = f32x4.sub(d12, d32), t33 = f32x4.sub(d13, d33);
      // (Bᵀ·d)·B: each row (a0..a3) becomes (a0 − a2, a1 + a2, a2 − a1, a1 − a3).
      const v = V + (<usize>(th * TW4 + q) << 2);
      storeVRow(v, step, 0, t00, t01, t02, t03);
      storeVRow(v, step, 1, t10, t11, t12, t13);
      storeVRow(v, step, 2, t20, t21, t22, t23);
      storeVRow(v, step, 3, t30, t31, t32, t33);
    }
  }
}

@inline function storeVRow(v: usize, step: usize, r: i32, a0: v128, a1: v128, a2: v128, a3: v128): void {
  const p = v + <usize>(4 * r) * step;
  v128.store(p, f32x4.sub(a0, a2));
  v128.store(p + step, f32x4.add(a1, a2));
  v128.store(p + 2 * step, f32x4.sub(a2, a1));
  v128.store(p + 3 * step, f32x4.sub(a1, a3));
}

/** M[ξ] of the four tiles at m. */
@inline function loadM(m: usize, step: usize, xi: i32): v128 {
  return v128.load(m + <usize>xi * step);
}

/** Output plane of image/channel pair `task` (image task / O, channel task % O) from M. */
export function winogradOutputTask(args: usize, task: i32): void {
  const O = arg(args, O_), OH = arg(args, OH_), OW = arg(args, OW_);
  const TH = arg(args, TH_), TW4 = arg(args, TWP);
  const n = task / O, o = task % O;
  const T = TH * TW4;
  const M = <usize>arg(args, M_) + <usize>(n * 16 * O + o) * <usize>T * 4;
  const step = <usize>O * <usize>T * 4;
  const plane = <usize>arg(args, Y) + <usize>(n * O + o) * <usize>OH * <usize>OW * 4;
  for (let th = 0; th < TH; th++) {
    for (let q = 0; q < TW4; q += 4) {
      const m = M + (<usize>(th * TW4 + q) << 2);
      // Aᵀ·m: rows m0 + m1 + m2 and m1 − m2 − m3 (each row four column vectors).
      const s0 = f32x4.add(f32x4.add(loadM(m, step, 0), loadM(m, step, 4)), loadM(m, step, 8));
      const s1 = f32x4.add(f32x4.add(loadM(m, step, 1), loadM(m, step, 5)), loadM(m, step, 9));
      const s2 = f32x4.add(f32x4.add(loadM(m, step, 2), loadM(m, step, 6)), loadM(m, step, 10));
      const s3 = f32x4.add(f32x4.add(loadM(m, step, 3), loadM(m, step, 7)), loadM(m, step, 11));
      const r0 = f32x4.sub(f32x4.sub(loadM(m, step, 4), loadM(m, step, 8)), loadM(m, step, 12));
      const r1 = f32x4.sub(f32x4.sub(loadM(m, step, 5), loadM(m, step, 9)), loadM(m, step, 13));
      const r2 = f32x4.sub(f32x4.sub(loadM(m, step, 6), loadM(m, step, 10)), loadM(m, step, 14));
      const r3 = f32x4.sub(f32x4.sub(loadM(m, step, 7), loadM(m, step, 11)), loadM(m, step, 15));
      // (Aᵀ·m)·A: columns c0 + c1 + c2 and c1 − c2 − c3.
      const y00 = f32x4.add(f32x4.add(s0, s1), s2), y01 = f32x4.sub(f32x4.sub(s1, s2), s3);
      const y10 = f32x4.add(f32x4.add(r0, r1), r2), y11 = f32x4.sub(f32x4.sub(r1, r2), r3);
      // Interleave the tiles' two columns: outputs 2q .. 2q + 7 of rows 2th and 2th + 1.
      storeOutRow(plane, OH, OW, 2 * th, 2 * q, i32x4.shuffle(y00, y01, 0, 4, 1, 5), i32x4.shuffle(y00, y01, 2, 6, 3, 7));
      storeOutRow(plane, OH, OW, 2 * th + 1, 2 * q, i32x4.shuffle(y10, y11, 0, 4, 1, 5), i32x4.shuffle(y10, y11, 2, 6, 3, 7));
    }
  }
}

/** Stores outputs [col, col + 8) of row `row` (lo: the first four, hi: the rest), clipped to the plane. */
@inline function storeOutRow(plane: usize, OH: i32, OW: i32, row: i32, col: i32, lo: v128, hi: v128): void {
  if (row >= OH) return;
  const p = plane + (<usize>(row * OW + col) << 2);
  if (col + 8 <= OW) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
    return;
  }
  const left = OW - col;
  if (left > 0) store<f32>(p, f32x4.extract_lane(lo, 0));
  if (left > 1) store<f32>(p, f32x4.extract_lane(lo, 1), 4);
  if (left > 2) store<f32>(p, f32x4.extract_lane(lo, 2), 8);
  if (left > 3) store<f32>(p, f32x4.extract_lane(lo, 3), 12);
  if (left > 4) store<f32>(p, f32x4.extract_lane(hi, 0), 16);
  if (left > 5) store<f32>(p, f32x4.extract_lane(hi, 1), 20);
  if (left > 6) store<f32>(p, f32x4.extract_lane(hi, 2), 24);
}
