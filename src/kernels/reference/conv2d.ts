/**
 * @file Reference kernels of the three convolution ops (conv2d, conv2dBackwardInput,
 * conv2dBackwardWeight): im2col through one shared index map, then plain matmul loops.
 * They are the oracle for the fast kernels, so they accumulate in float64 whatever the dtype.
 */
import type { Dim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import type { Kernel } from '../registry.js';
import { type Window2d, windowIndexMap } from './window.js';

/** The canonical conv attributes, shared by the three ops and every backend. */
export interface Conv2dAttrs {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}
/** conv2dBackwardInput also needs the input's shape [N, C, H, W]: with stride > 1 several H give the same output. */
export interface Conv2dBackwardInputAttrs extends Conv2dAttrs {
  readonly inputShape: readonly Dim[];
}
/** conv2dBackwardWeight needs the weight's shape [O, C/groups, kH, kW] (the kernel size is not in its inputs). */
export interface Conv2dBackwardWeightAttrs extends Conv2dAttrs {
  readonly weightShape: readonly Dim[];
}

/** Sizes of one convolution; `k` is the im2col row count (taps per output), `p` the positions per plane. */
interface ConvSizes {
  readonly n: number;
  readonly c: number;
  readonly o: number;
  readonly groups: number;
  /** Input channels and output channels per group. */
  readonly cg: number;
  readonly og: number;
  readonly k: number;
  readonly p: number;
  readonly planeSize: number;
  readonly win: Window2d;
}

function convSizes(x: readonly Dim[], weight: readonly Dim[], y: readonly Dim[], attrs: Conv2dAttrs): ConvSizes {
  const [n, c, h, w] = x as number[];
  const [o, cg, kh, kw] = weight as number[];
  const [, , oh, ow] = y as number[];
  const { groups } = attrs;
  const win: Window2d = { h, w, kh, kw, oh, ow, stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation };
  return { n, c, o, groups, cg, og: o / groups, k: cg * kh * kw, p: oh * ow, planeSize: h * w, win };
}

/** Copies the channels of one group of one image into the im2col matrix [k, p] (zeros in the padding). */
function im2col(x: ArrayLike<number>, base: number, map: Int32Array, cols: Float64Array): void {
  for (let q = 0; q < map.length; q++) {
    const i = map[q];
    cols[q] = i < 0 ? 0 : x[base + i];
  }
}

/** Adds the im2col-shaped matrix `cols` back onto the elements each entry was read from. */
function col2imAdd(cols: Float64Array, map: Int32Array, dx: Float64Array, base: number): void {
  for (let q = 0; q < map.length; q++) {
    const i = map[q];
    if (i >= 0) dx[base + i] += cols[q];
  }
}

/** A tensor of `type` holding `values` (converted to float32 when the type says so). */
function finish(values: Float64Array, type: TensorType, device: string): Tensor {
  const out = Tensor.empty(type.shape as number[], type.dtype, device);
  out.storage.data.set(values);
  return out;
}

/** y[n, o] = Σ_c w[o, c] ⋆ x[n, c] over the channels of o's group. */
export const conv2dKernel: Kernel<Conv2dAttrs> = ([x, w], attrs, [yType]) => {
  const s = convSizes(x.shape, w.shape, yType.shape, attrs);
  const { cg, og, k, p } = s;
  const map = windowIndexMap(s.win, cg);
  const cols = new Float64Array(k * p);
  const y = new Float64Array(s.n * s.o * p);
  const xd = x.storage.data;
  const wd = w.storage.data;
  for (let n = 0; n < s.n; n++) {
    for (let g = 0; g < s.groups; g++) {
      im2col(xd, (n * s.c + g * cg) * s.planeSize, map, cols);
      for (let oc = g * og; oc < (g + 1) * og; oc++) {
        const yRow = (n * s.o + oc) * p;
        for (let t = 0; t < k; t++) {
          const a = wd[oc * k + t];
          const colRow = t * p;
          for (let j = 0; j < p; j++) y[yRow + j] += a * cols[colRow + j];
        }
      }
    }
  }
  return [finish(y, yType, x.device)];
};

/** dx from the output gradient: the transposed convolution of g with w (col2im of wᵀ·g). */
export const conv2dBackwardInputKernel: Kernel<Conv2dBackwardInputAttrs> = ([g, w], attrs, [dxType]) => {
  const s = convSizes(dxType.shape, w.shape, g.shape, attrs);
  const { cg, og, k, p } = s;
  const map = windowIndexMap(s.win, cg);
  const cols = new Float64Array(k * p);
  const dx = new Float64Array(s.n * s.c * s.planeSize);
  const gd = g.storage.data;
  const wd = w.storage.data;
  for (let n = 0; n < s.n; n++) {
    for (let grp = 0; grp < s.groups; grp++) {
      cols.fill(0);
      for (let oc = grp * og; oc < (grp + 1) * og; oc++) {
        const gRow = (n * s.o + oc) * p;
        for (let t = 0; t < k; t++) {
          const a = wd[oc * k + t];
          const colRow = t * p;
          for (let j = 0; j < p; j++) cols[colRow + j] += a * gd[gRow + j];
        }
      }
      col2imAdd(cols, map, dx, (n * s.c + grp * cg) * s.planeSize);
    }
  }
  return [finish(dx, dxType, g.device)];
};

/** dw from the input and the output gradient: dw[o, c] = Σ_n g[n, o] ⋆ x[n, c] (g·im2col(x)ᵀ). */
export const conv2dBackwardWeightKernel: Kernel<Conv2dBackwardWeightAttrs> = ([x, g], attrs, [dwType]) => {
  const s = convSizes(x.shape, dwType.shape, g.shape, attrs);
  const { cg, og, k, p } = s;
  const map = windowIndexMap(s.win, cg);
  const cols = new Float64Array(k * p);
  const dw = new Float64Array(s.o * k);
  const xd = x.storage.data;
  const gd = g.storage.data;
  for (let n = 0; n < s.n; n++) {
    for (let grp = 0; grp < s.groups; grp++) {
      im2col(xd, (n * s.c + grp * cg) * s.planeSize, map, cols);
      for (let oc = grp * og; oc < (grp + 1) * og; oc++) {
        const gRow = (n * s.o + oc) * p;
        for (let t = 0; t < k; t++) {
          const colRow = t * p;
          let dot = 0;
          for (let j = 0; j < p; j++) dot += gd[gRow + j] * cols[colRow + j];
          dw[oc * k + t] += dot;
        }
      }
    }
  }
  return [finish(dw, dwType, x.device)];
};
