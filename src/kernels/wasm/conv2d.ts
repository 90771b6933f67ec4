/**
 * @file Wasm kernels of conv2d and its two backward ops (float32, NCHW) over the threaded
 * gemm (gemm.ts). 3×3 stride-1 convs with enough channels take Winograd F(2×2, 3×3)
 * (winograd.ts), forward and for the input gradient. Otherwise the forward op is an
 * implicit gemm (the gemm packs column-matrix panels straight from the input) and the
 * backward ops materialise the column matrix in wasm (im2col/col2im), as the reference
 * kernels do in plain loops.
 *   conv2d:                y[n, g]  = w[g] · col(x[n, g])                (Og×K · K×P)
 *   conv2dBackwardInput:   dx[n, g] = col2im(w[g]ᵀ · dy[n, g])           (K×Og · Og×P)
 *   conv2dBackwardWeight:  dw[g]    = Σ_n dy[n, g] · col(x[n, g])ᵀ        (Og×P · P×K)
 * A 1×1 kernel with stride 1 and no padding needs no column matrix: x itself is one.
 * In the backward ops, images go through in chunks so the column matrix stays under COL_BUDGET floats.
 */
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Conv2dAttrs, Conv2dBackwardInputAttrs, Conv2dBackwardWeightAttrs } from '../reference/conv2d.js';
import type { Kernel } from '../registry.js';
import { acceptsFloat32 } from './elementwise.js';
import { gemm } from './gemm.js';
import { alloc, copyInts, fitsWasmMemory, heapF32, withArena } from './heap.js';
import { runJob } from './pool.js';
import { copyOut, stageContiguous } from './stage.js';
import { type WinogradShape, transposedShape, winogradApplies, winogradConv2d } from './winograd.js';

const JOB_IM2COL = 1;
const JOB_COL2IM = 2;
/** Column-matrix floats per chunk of images (64 MiB). */
const COL_BUDGET = 2 ** 24;
/** im2col/col2im elements above which the pool shares the work. */
const PARALLEL_ELEMENTS = 2 ** 17;

/** A conv2d call's shapes (WinogradShape's fields) plus what the column path needs. */
interface Geometry extends WinogradShape {
  readonly kh: number;
  readonly kw: number;
  /** Column rows per group (cg·kh·kw) and output positions per plane (oh·ow). */
  readonly k: number;
  readonly p: number;
  readonly attrs: Conv2dAttrs;
  /** 1×1, stride 1, no padding: the input planes are the column matrix. */
  readonly identityCols: boolean;
}

function geometry(x: readonly number[], weight: readonly number[], y: readonly number[], attrs: Conv2dAttrs): Geometry {
  const [n, c, h, w] = x;
  const [o, cg, kh, kw] = weight;
  const [, , oh, ow] = y;
  const { stride, padding, groups } = attrs;
  const identityCols = kh === 1 && kw === 1 && stride[0] === 1 && stride[1] === 1 && padding[0] === 0 && padding[1] === 0;
  return { n, c, h, w, o, groups, cg, og: o / groups, kh, kw, oh, ow, k: cg * kh * kw, p: oh * ow, attrs, identityCols };
}

/** Images per chunk so that the column matrix of a chunk fits COL_BUDGET. */
const imagesPerChunk = (g: Geometry): number => Math.max(1, Math.min(g.n, Math.floor(COL_BUDGET / Math.max(1, g.c * g.kh * g.kw * g.p))));

/** The im2col argument block (asm/conv.ts) for image data at `x`, columns at `col`, from image n0. */
function columnsArgs(g: Geometry, x: number, col: number, n0: number): number {
  const { stride, padding, dilation } = g.attrs;
  return copyInts([x, col, g.c, g.h, g.w, g.kh, g.kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], g.oh, g.ow, n0]);
}

/** Runs im2col (or col2im) over images [n0, n0 + count) between image data at `x` and columns at `col`. */
function columnsJob(kind: number, g: Geometry, x: number, col: number, n0: number, count: number): void {
  const args = columnsArgs(g, x, col, n0);
  runJob(kind, args, count * g.c, count * g.c * g.kh * g.kw * g.p >= PARALLEL_ELEMENTS);
}

/** [a, b, c] offsets for each (image, group) pair of a chunk. */
function pairOffsets(count: number, groups: number, at: (n: number, grp: number) => [number, number, number]): number[] {
  const offsets: number[] = [];
  for (let n = 0; n < count; n++) for (let grp = 0; grp < groups; grp++) offsets.push(...at(n, grp));
  return offsets;
}

/**
 * y = conv2d(x, w) by Winograd where it applies, else by implicit gemm: the gemm packs its
 * B panels straight from the input planes (asm/conv.ts packBConv), so no column matrix is
 * written or read back.
 */
export const conv2dKernel: Kernel<Conv2dAttrs> = ([x, w], attrs, [yType]) => {
  const g = geometry(x.shape, w.shape, yType.shape as number[], attrs);
  return [
    withArena(() => {
      const px = stageContiguous(x);
      const pw = stageContiguous(w);
      const py = alloc(g.n * g.o * g.p * 4);
      if (g.n > 0 && winogradApplies(g, g.kh, g.kw, attrs)) {
        winogradConv2d(g, attrs, px, pw, py);
        return copyOut(py, yType, x.device);
      }
      const plane = g.h * g.w;
      gemm({
        m: g.og, n: g.p, k: g.k,
        a: { ptr: pw, rowStride: g.k, colStride: 1 },
        b: g.identityCols ? { ptr: px, rowStride: g.p, colStride: 1 } : { ptr: px, rowStride: 0, colStride: 0 },
        c: { ptr: py, rowStride: g.p },
        offsets: pairOffsets(g.n, g.groups, (n, grp) => [grp * g.og * g.k, (n * g.c + grp * g.cg) * plane, (n * g.o + grp * g.og) * g.p]),
        accumulate: false,
        convB: g.identityCols ? undefined : columnsArgs(g, px, 0, 0),
      });
      return copyOut(py, yType, x.device);
    }),
  ];
};

/**
 * dx from dy and w: for 3×3 stride-1 convs a Winograd conv of dy with the flipped weights
 * (winograd.ts); otherwise a gemm into the column matrix, then col2im.
 */
export const conv2dBackwardInputKernel: Kernel<Conv2dBackwardInputAttrs> = ([dy, w], attrs, [dxType]) => {
  const g = geometry(dxType.shape as number[], w.shape, dy.shape, attrs);
  return [
    withArena(() => {
      const pdy = stageContiguous(dy);
      const pw = stageContiguous(w);
      const pdx = alloc(g.n * g.c * g.h * g.w * 4);
      const viaWinograd = g.n > 0 && winogradApplies(g, g.kh, g.kw, attrs) ? transposedShape(g, attrs) : null;
      if (viaWinograd && winogradApplies(viaWinograd.shape, 3, 3, viaWinograd.attrs)) {
        winogradConv2d(viaWinograd.shape, viaWinograd.attrs, pdy, pw, pdx, true);
        return copyOut(pdx, dxType, dy.device);
      }
      const chunk = imagesPerChunk(g);
      const col = g.identityCols ? pdx : alloc(chunk * g.c * g.kh * g.kw * g.p * 4);
      for (let n0 = 0; n0 < g.n; n0 += chunk) {
        const count = Math.min(chunk, g.n - n0);
        const colBase = g.identityCols ? n0 * g.c * g.p : 0;
        gemm({
          m: g.k, n: g.p, k: g.og,
          a: { ptr: pw, rowStride: 1, colStride: g.k },
          b: { ptr: pdy, rowStride: g.p, colStride: 1 },
          c: { ptr: col, rowStride: g.p },
          offsets: pairOffsets(count, g.groups, (n, grp) => [grp * g.og * g.k, ((n0 + n) * g.o + grp * g.og) * g.p, colBase + (n * g.groups + grp) * g.k * g.p]),
          accumulate: false,
        });
        if (!g.identityCols) columnsJob(JOB_COL2IM, g, pdx, col, n0, count);
      }
      return copyOut(pdx, dxType, dy.device);
    }),
  ];
};

/** dw from x and dy: im2col, then one gemm per group summing the images. */
export const conv2dBackwardWeightKernel: Kernel<Conv2dBackwardWeightAttrs> = ([x, dy], attrs, [dwType]) => {
  const g = geometry(x.shape, dwType.shape as number[], dy.shape, attrs);
  return [
    withArena(() => {
      const px = stageContiguous(x);
      const pdy = stageContiguous(dy);
      const pdw = alloc(g.o * g.k * 4);
      const chunk = imagesPerChunk(g);
      const col = g.identityCols ? px : alloc(chunk * g.c * g.kh * g.kw * g.p * 4);
      for (let n0 = 0; n0 < g.n; n0 += chunk) {
        const count = Math.min(chunk, g.n - n0);
        if (!g.identityCols) columnsJob(JOB_IM2COL, g, px, col, n0, count);
        const colBase = g.identityCols ? n0 * g.c * g.p : 0;
        // One gemm per group, summing its images into the same dw block.
        for (let grp = 0; grp < g.groups; grp++) {
          gemm({
            m: g.og, n: g.k, k: g.p,
            a: { ptr: pdy, rowStride: g.p, colStride: 1 },
            b: { ptr: col, rowStride: 1, colStride: g.p },
            c: { ptr: pdw, rowStride: g.k },
            offsets: pairOffsets(count, 1, (n) => [((n0 + n) * g.o + grp * g.og) * g.p, colBase + (n * g.groups + grp) * g.k * g.p, grp * g.og * g.k]),
            accumulate: n0 > 0,
            sumBatch: true,
          });
        }
      }
      if (g.n === 0) heapZero(pdw, g.o * g.k);
      return copyOut(pdw, dwType, x.device);
    }),
  ];
};

/** dw of an empty batch is zero (no gemm ran to write it). */
function heapZero(ptr: number, count: number): void {
  heapF32().fill(0, ptr >> 2, (ptr >> 2) + count);
}

/** Floats of the conv2d output [N, O, OH, OW] for input x and weight w. */
function convOutSize(x: readonly number[], w: readonly number[], { stride, padding, dilation }: Conv2dAttrs): number {
  const out = (i: 0 | 1) => Math.max(0, Math.floor((x[2 + i] + 2 * padding[i] - dilation[i] * (w[2 + i] - 1) - 1) / stride[i]) + 1);
  return x[0] * w[0] * out(0) * out(1);
}


/** Float32 operands whose staged data, output and transform buffers (winograd.ts) fit the wasm memory. */
export const acceptsConv = (inputs: readonly Tensor[], attrs: Conv2dAttrs): boolean =>
  acceptsFloat32(inputs) && fitsWasmMemory(inputs[0].size + inputs[1].size + convOutSize(inputs[0].shape, inputs[1].shape, attrs) + COL_BUDGET);
/** As acceptsConv, for conv2dBackwardInput (dx has the shape attribute inputShape). */
export const acceptsConvBackwardInput = (inputs: readonly Tensor[], attrs: Conv2dBackwardInputAttrs): boolean =>
  acceptsFloat32(inputs) && fitsWasmMemory(inputs[0].size + inputs[1].size + sizeOf(attrs.inputShape as number[]) + COL_BUDGET);
/** As acceptsConv, for conv2dBackwardWeight (dw has the shape attribute weightShape). */
export const acceptsConvBackwardWeight = (inputs: readonly Tensor[], attrs: Conv2dBackwardWeightAttrs): boolean =>
  acceptsFloat32(inputs) && fitsWasmMemory(inputs[0].size + inputs[1].size + sizeOf(attrs.weightShape as number[]) + COL_BUDGET);
