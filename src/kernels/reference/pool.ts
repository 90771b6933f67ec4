/**
 * @file Reference kernels of the pooling ops. Every plane (one image, one channel) is
 * pooled alone through the shared window index map; the three max-pooling ops all route
 * through one argmax routine, so forward, backward and pick agree on the chosen element.
 */
import type { Dim } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import type { Kernel } from '../registry.js';
import { type Window2d, windowIndexMap } from './window.js';

/** The canonical pooling attributes (pairs are [height, width]). */
export interface Pool2dAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}
/** avgPool2dBackward also needs the input's shape [N, C, H, W]: with stride > 1 several H give the same output. */
export interface Pool2dBackwardAttrs extends Pool2dAttrs {
  readonly inputShape: readonly Dim[];
}

interface PoolSizes {
  /** Planes (N·C), elements per input plane, taps per window, positions per output plane. */
  readonly planes: number;
  readonly planeSize: number;
  readonly taps: number;
  readonly positions: number;
  /** [taps, positions]: input offset within the plane, −1 in the padding. */
  readonly map: Int32Array;
}

function poolSizes(x: readonly Dim[], y: readonly Dim[], attrs: Pool2dAttrs): PoolSizes {
  const [n, c, h, w] = x as number[];
  const [, , oh, ow] = y as number[];
  const [kh, kw] = attrs.kernel;
  const win: Window2d = { h, w, kh, kw, oh, ow, stride: attrs.stride, padding: attrs.padding, dilation: [1, 1] };
  return { planes: n * c, planeSize: h * w, taps: kh * kw, positions: oh * ow, map: windowIndexMap(win, 1) };
}

function finish(values: Float64Array, type: TensorType, device: string): Tensor {
  const out = Tensor.empty(type.shape as number[], type.dtype, device);
  out.storage.data.set(values);
  return out;
}

/** Mean over each window; padded taps count as zeros in the divisor (count_include_pad). */
export const avgPool2dKernel: Kernel<Pool2dAttrs> = ([x], attrs, [yType]) => {
  const { planes, planeSize, taps, positions, map } = poolSizes(x.shape, yType.shape, attrs);
  const xd = x.storage.data;
  const y = new Float64Array(planes * positions);
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * planeSize;
    for (let j = 0; j < positions; j++) {
      let total = 0;
      for (let t = 0; t < taps; t++) {
        const i = map[t * positions + j];
        if (i >= 0) total += xd[base + i];
      }
      y[plane * positions + j] = total / taps;
    }
  }
  return [finish(y, yType, x.device)];
};

/** The transpose of avgPool2d: each window's gradient spread evenly over its taps. */
export const avgPool2dBackwardKernel: Kernel<Pool2dBackwardAttrs> = ([g], attrs, [dxType]) => {
  const { planes, planeSize, taps, positions, map } = poolSizes(dxType.shape, g.shape, attrs);
  const gd = g.storage.data;
  const dx = new Float64Array(planes * planeSize);
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * planeSize;
    for (let j = 0; j < positions; j++) {
      const share = gd[plane * positions + j] / taps;
      for (let t = 0; t < taps; t++) {
        const i = map[t * positions + j];
        if (i >= 0) dx[base + i] += share;
      }
    }
  }
  return [finish(dx, dxType, g.device)];
};

/**
 * For each window of x, the offset (within its plane) of its maximum: the first one on
 * ties, the first NaN if any (NaN propagates, as in PyTorch). Padding (−∞) never wins:
 * every window holds at least one real element because padding ≤ kernel / 2.
 */
function windowArgmax(x: Tensor, sizes: PoolSizes): Int32Array {
  const { planes, planeSize, taps, positions, map } = sizes;
  const xd = x.storage.data;
  const arg = new Int32Array(planes * positions);
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * planeSize;
    for (let j = 0; j < positions; j++) {
      let best = -Infinity;
      let at = -1;
      for (let t = 0; t < taps; t++) {
        const i = map[t * positions + j];
        if (i < 0) continue;
        const v = xd[base + i];
        // `best === best` is false once best is NaN, so the first NaN is kept.
        if (at < 0 || v > best || (v !== v && best === best)) {
          best = v;
          at = i;
        }
      }
      arg[plane * positions + j] = at;
    }
  }
  return arg;
}

/** Reads `source` at the argmax of each of x's windows (source has x's shape). */
function pickAtArgmax(x: Tensor, source: Tensor, yType: TensorType, attrs: Pool2dAttrs): Tensor {
  const sizes = poolSizes(x.shape, yType.shape, attrs);
  const arg = windowArgmax(x, sizes);
  const sd = source.storage.data;
  const y = new Float64Array(arg.length);
  for (let q = 0; q < arg.length; q++) y[q] = sd[Math.floor(q / sizes.positions) * sizes.planeSize + arg[q]];
  return finish(y, yType, x.device);
}

/** Maximum over each window (padding is −∞). */
export const maxPool2dKernel: Kernel<Pool2dAttrs> = ([x], attrs, [yType]) => [pickAtArgmax(x, x, yType, attrs)];

/** maxPool2dPick(x, t): t read where maxPool2d(x) read x, the JVP of max pooling. */
export const maxPool2dPickKernel: Kernel<Pool2dAttrs> = ([x, t], attrs, [yType]) => [pickAtArgmax(x, t, yType, attrs)];

/** maxPool2dBackward(x, g): each window's gradient added at its argmax in x. */
export const maxPool2dBackwardKernel: Kernel<Pool2dAttrs> = ([x, g], attrs, [dxType]) => {
  const sizes = poolSizes(x.shape, g.shape, attrs);
  const arg = windowArgmax(x, sizes);
  const gd = g.storage.data;
  const dx = new Float64Array(sizes.planes * sizes.planeSize);
  for (let q = 0; q < arg.length; q++) dx[Math.floor(q / sizes.positions) * sizes.planeSize + arg[q]] += gd[q];
  return [finish(dx, dxType, x.device)];
};
