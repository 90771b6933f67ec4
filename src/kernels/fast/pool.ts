/**
 * @file Fast JS kernels for max pooling without padding (LeNet's 2×2/2 and most CNNs'),
 * registered above the reference kernels. They index windows directly instead of through a
 * window index map, write the output dtype directly, and keep the reference's choice of
 * element: the first maximum in row-major window order wins ties, the first NaN wins.
 * test/kernels/fastPool.test.ts checks them against the reference kernels.
 */
import { ARRAY_OF } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import type { Pool2dAttrs } from '../reference/pool.js';
import { type Kernel, registerKernel } from '../registry.js';
import { argmaxPool2x2 } from '../wasm/maxPool.js';

interface Geometry {
  planes: number;
  h: number;
  w: number;
  oh: number;
  ow: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
}

const geometry = (x: Tensor, y: TensorType, { kernel, stride }: Pool2dAttrs): Geometry => {
  const [n, c, h, w] = x.shape;
  const [, , oh, ow] = y.shape as number[];
  return { planes: n * c, h, w, oh, ow, kh: kernel[0], kw: kernel[1], sh: stride[0], sw: stride[1] };
};

/**
 * The argmax of the last call per input tensor: maxPool2d's backward (and pick) read the same
 * x right after the forward did. Keyed by geometry and storage version, so an in-place change
 * of x or other pooling settings recompute.
 */
const lastArgmax = new WeakMap<Tensor, { key: string; version: number; at: Int32Array }>();

function cachedArgmax(x: Tensor, g: Geometry): Int32Array {
  const key = `${g.kh},${g.kw},${g.sh},${g.sw}`;
  const hit = lastArgmax.get(x);
  if (hit && hit.key === key && hit.version === x.storage.version) return hit.at;
  const at = argmax(x, g);
  lastArgmax.set(x, { key, version: x.storage.version, at });
  return at;
}

/** For each output position, the index (into x's data) of its window's maximum. */
function argmax(x: Tensor, g: Geometry): Int32Array {
  const { planes, h, w, oh, ow, kh, kw, sh, sw } = g;
  if (x.dtype === 'float32' && kh === 2 && kw === 2 && sh === 2 && sw === 2) return argmaxPool2x2(x, planes, h, w, oh, ow);
  const xd = x.storage.data;
  const out = new Int32Array(planes * oh * ow);
  let q = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const corner = base + oy * sh * w + ox * sw;
        let best = xd[corner];
        let at = corner;
        for (let ky = 0; ky < kh; ky++) {
          const row = corner + ky * w;
          for (let kx = 0; kx < kw; kx++) {
            const v = xd[row + kx];
            // `best === best` is false once best is NaN, so the first NaN is kept.
            if (v > best || (v !== v && best === best)) {
              best = v;
              at = row + kx;
            }
          }
        }
        out[q++] = at;
      }
    }
  }
  return out;
}

function gatherAt(source: Tensor, at: Int32Array, type: TensorType): Tensor {
  const sd = source.storage.data;
  const data = new ARRAY_OF[type.dtype](at.length);
  for (let q = 0; q < at.length; q++) data[q] = sd[at[q]];
  return Tensor.fromData(data, type.shape as number[], type.dtype, source.device);
}

const maxPool2d: Kernel<Pool2dAttrs> = ([x], attrs, [yType]) => [gatherAt(x, cachedArgmax(x, geometry(x, yType, attrs)), yType)];
const maxPool2dPick: Kernel<Pool2dAttrs> = ([x, t], attrs, [yType]) => [gatherAt(t, cachedArgmax(x, geometry(x, yType, attrs)), yType)];
const maxPool2dBackward: Kernel<Pool2dAttrs> = ([x, g], attrs, [dxType]) => {
  const geo = geometry(x, g, attrs);
  const at = cachedArgmax(x, geo);
  const gd = g.storage.data;
  const dx = new ARRAY_OF[dxType.dtype](x.size);
  if (geo.sh >= geo.kh && geo.sw >= geo.kw) {
    // Windows do not overlap: each input element receives at most one gradient.
    for (let q = 0; q < at.length; q++) dx[at[q]] = gd[q];
  } else {
    // Overlapping windows add several gradients at one place: sum in float64, as the reference does.
    const sums = new Float64Array(x.size);
    for (let q = 0; q < at.length; q++) sums[at[q]] += gd[q];
    dx.set(sums);
  }
  return [Tensor.fromData(dx, dxType.shape as number[], dxType.dtype, x.device)];
};

const unpadded = (_inputs: readonly Tensor[], attrs: Pool2dAttrs): boolean => attrs.padding[0] === 0 && attrs.padding[1] === 0;

let registered = false;

/** Registers the fast pooling kernels (once); FLOWGRAD_BACKEND=reference leaves the reference ones alone. */
export function registerFastPoolKernels(): void {
  if (registered || process.env.FLOWGRAD_BACKEND === 'reference') return;
  registered = true;
  const entry = { backend: 'fast', priority: 5, contiguousInputs: true, accepts: unpadded };
  registerKernel('maxPool2d', { ...entry, kernel: maxPool2d });
  registerKernel('maxPool2dPick', { ...entry, kernel: maxPool2dPick });
  registerKernel('maxPool2dBackward', { ...entry, kernel: maxPool2dBackward });
}
