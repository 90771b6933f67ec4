/**
 * @file im2col and col2im tasks for conv2d (NCHW): the convolution becomes a gemm over
 * the column matrix, whose row (c, i, j) holds input channel c shifted by kernel tap (i, j)
 * at every output position (zeros where the tap falls in the padding).
 *
 * Column layout per image: [C·kh·kw, OH·OW], channels in order, so group g's rows are one
 * contiguous block. A task handles one (image, channel) pair: tasks never share output.
 */
import { arg } from './simd';

// Argument block (i32 words); written by src/kernels/wasm/conv2d.ts.
const X = 0, COL = 1, C_ = 2, H_ = 3, W_ = 4, KH = 5, KW = 6, SH = 7, SW = 8, PH = 9, PW = 10, DH = 11, DW = 12, OH_ = 13, OW_ = 14, N0 = 15;

/** The ow range [lo, hi) whose input column iw = ow·sw − pw + j·dw falls inside [0, w). */
@inline function validLo(shift: i32, sw: i32): i32 {
  // smallest ow with ow·sw + shift ≥ 0
  return shift >= 0 ? 0 : (-shift + sw - 1) / sw;
}
@inline function validHi(shift: i32, sw: i32, w: i32, ow: i32): i32 {
  // one past the largest ow with ow·sw + shift ≤ w − 1
  const last = w - 1 - shift;
  if (last < 0) return 0;
  const hi = last / sw + 1;
  return hi < ow ? hi : ow;
}

/** Fills the column rows of (image task / C, channel task % C) from the input plane. */
export function im2colTask(args: usize, task: i32): void {
  const C = arg(args, C_), H = arg(args, H_), W = arg(args, W_), kh = arg(args, KH), kw = arg(args, KW);
  const sh = arg(args, SH), sw = arg(args, SW), ph = arg(args, PH), pw = arg(args, PW), dh = arg(args, DH), dw = arg(args, DW);
  const OH = arg(args, OH_), OW = arg(args, OW_);
  const n = task / C, c = task % C;
  const plane = <usize>arg(args, X) + (<usize>(arg(args, N0) + n) * <usize>C + <usize>c) * <usize>H * <usize>W * 4;
  const P = <usize>OH * <usize>OW;
  let row = <usize>arg(args, COL) + (<usize>(n * C + c) * <usize>(kh * kw)) * P * 4;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++, row += P * 4) {
      const shift = j * dw - pw;
      const lo = validLo(shift, sw), hi = validHi(shift, sw, W, OW);
      for (let oh = 0; oh < OH; oh++) {
        const ih = oh * sh - ph + i * dh;
        const dst = row + <usize>(oh * OW) * 4;
        if (ih < 0 || ih >= H || lo >= hi) {
          memory.fill(dst, 0, <usize>OW << 2);
          continue;
        }
        if (lo > 0) memory.fill(dst, 0, <usize>lo << 2);
        if (hi < OW) memory.fill(dst + (<usize>hi << 2), 0, <usize>(OW - hi) << 2);
        const src = plane + <usize>(ih * W) * 4;
        if (sw == 1) {
          memory.copy(dst + (<usize>lo << 2), src + (<usize>(lo + shift) << 2), <usize>(hi - lo) << 2);
        } else {
          for (let ow = lo; ow < hi; ow++) store<f32>(dst + (<usize>ow << 2), load<f32>(src + (<usize>(ow * sw + shift) << 2)));
        }
      }
    }
  }
}

/** dx plane of (image, channel) = the sum of the column entries that were read from it. */
export function col2imTask(args: usize, task: i32): void {
  const C = arg(args, C_), H = arg(args, H_), W = arg(args, W_), kh = arg(args, KH), kw = arg(args, KW);
  const sh = arg(args, SH), sw = arg(args, SW), ph = arg(args, PH), pw = arg(args, PW), dh = arg(args, DH), dw = arg(args, DW);
  const OH = arg(args, OH_), OW = arg(args, OW_);
  const n = task / C, c = task % C;
  const plane = <usize>arg(args, X) + (<usize>(arg(args, N0) + n) * <usize>C + <usize>c) * <usize>H * <usize>W * 4;
  const P = <usize>OH * <usize>OW;
  let row = <usize>arg(args, COL) + (<usize>(n * C + c) * <usize>(kh * kw)) * P * 4;
  memory.fill(plane, 0, <usize>H * <usize>W * 4);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++, row += P * 4) {
      const shift = j * dw - pw;
      const lo = validLo(shift, sw), hi = validHi(shift, sw, W, OW);
      if (lo >= hi) continue;
      for (let oh = 0; oh < OH; oh++) {
        const ih = oh * sh - ph + i * dh;
        if (ih < 0 || ih >= H) continue;
        const src = row + <usize>(oh * OW) * 4;
        const dst = plane + <usize>(ih * W) * 4;
        if (sw == 1) {
          const d = dst + (<usize>(lo + shift) << 2);
          const s = src + (<usize>lo << 2);
          const count = hi - lo;
          let k = 0;
          for (; k + 4 <= count; k += 4) {
            const o = <usize>k << 2;
            v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
          }
          for (; k < count; k++) {
            const o = <usize>k << 2;
            store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
          }
        } else {
          for (let ow = lo; ow < hi; ow++) {
            const d = dst + (<usize>(ow * sw + shift) << 2);
            store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ow << 2)));
          }
        }
      }
    }
  }
}

/**
 * Implicit im2col: packs rows [pc, pc + kc) × columns [jc0, jc0 + nc) of the column matrix of
 * the input planes at `planes` (one image's group of channels) straight into NR-column panels,
 * the layout packB gives a materialised one, so conv2d needs no column matrix at all.
 * `geo` is an im2col argument block (only its geometry words are read). Stride-1 panels of
 * eight outputs inside one row, reading inside the image, are two vector copies; panels at an
 * edge or with other strides go one value at a time; panels wholly in the padding are zeros.
 */
export function packBConv(geo: usize, planes: usize, pc: i32, kc: i32, jc0: i32, nc: i32, d: usize): void {
  const H = arg(geo, H_), W = arg(geo, W_), kh = arg(geo, KH), kw = arg(geo, KW);
  const sh = arg(geo, SH), sw = arg(geo, SW), ph = arg(geo, PH), pw = arg(geo, PW), dh = arg(geo, DH), dw = arg(geo, DW);
  const OW = arg(geo, OW_);
  const taps = kh * kw;
  const planeBytes = <usize>H * <usize>W * 4;
  const c0 = pc / taps, i0 = (pc % taps) / kw, j0 = (pc % taps) % kw;
  const jEnd = jc0 + nc;
  let oh = jc0 / OW, ow = jc0 % OW;
  // Panel by panel, k by k within one: the panel is written in order, and consecutive taps
  // read neighbouring input values.
  for (let p = jc0; p < jEnd; p += 8) {
    const row = sw == 1 && ow + 8 <= OW && p + 8 <= jEnd;
    let c = c0, i = i0, j = j0;
    let plane = planes + <usize>c * planeBytes;
    let dst = d;
    for (let k = 0; k < kc; k++, dst += 32) {
      if (row) {
        // Eight outputs of one row.
        const ih = oh * sh + i * dh - ph;
        const iw = ow + j * dw - pw;
        if (<u32>ih >= <u32>H || iw + 8 <= 0 || iw >= W) {
          v128.store(dst, i32x4.splat(0));
          v128.store(dst, i32x4.splat(0), 16);
        } else if (iw >= 0 && iw + 8 <= W) {
          const s = plane + (<usize>(ih * W + iw) << 2);
          v128.store(dst, v128.load(s));
          v128.store(dst, v128.load(s, 16), 16);
        } else {
          const s = plane + (<usize>(ih * W) << 2);
          for (let t = 0; t < 8; t++) {
            const x = iw + t;
            store<f32>(dst + (<usize>t << 2), <u32>x < <u32>W ? load<f32>(s + (<usize>x << 2)) : 0);
          }
        }
      } else {
        let y = oh, x = ow;
        for (let t = 0; t < 8; t++) {
          let v: f32 = 0;
          if (p + t < jEnd) {
            const ih = y * sh + i * dh - ph, iw = x * sw + j * dw - pw;
            if (<u32>ih < <u32>H && <u32>iw < <u32>W) v = load<f32>(plane + (<usize>(ih * W + iw) << 2));
            if (++x == OW) { x = 0; y++; }
          }
          store<f32>(dst + (<usize>t << 2), v);
        }
      }
      if (++j == kw) {
        j = 0;
        if (++i == kh) { i = 0; c++; plane += planeBytes; }
      }
    }
    d += <usize>kc << 5;
    ow += 8;
    while (ow >= OW) { ow -= OW; oh++; }
  }
}
