/**
 * @file Wasm kernels of float32 softmax and logSoftmax along the last axis (or any axis
 * followed only by size-1 dims); rows stream through a chunk buffer in wasm memory.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { SoftmaxAttrs } from '../reference/softmax.js';
import type { Kernel } from '../registry.js';
import { CHUNK, acceptsFloat32 } from './elementwise.js';
import { alloc, heapF32, withArena } from './heap.js';
import { wasmKernels } from './module.js';
import { fillFrom, stageContiguous } from './stage.js';

/** Float32 input, softmax over a lane whose elements are adjacent in row-major order. */
export function acceptsSoftmax(inputs: readonly Tensor[], { axis }: SoftmaxAttrs): boolean {
  const [x] = inputs;
  return acceptsFloat32(inputs) && x.shape.slice(axis + 1).every((d) => d === 1);
}

/** The wasm kernel of softmax (or logSoftmax with `log`) over rows of a float32 tensor. */
export function softmaxKernel(log: boolean): Kernel<SoftmaxAttrs> {
  const flag = log ? 1 : 0;
  return ([x], { axis }, [outType]) => {
    const out = Tensor.uninitialized(outType.shape as number[], 'float32', x.device);
    const n = x.ndim === 0 ? 1 : x.shape[axis];
    if (out.size === 0) return [out];
    const rows = out.size / n;
    const { exports } = wasmKernels();
    return [
      withArena(() => {
        if (!x.isContiguous() || n > CHUNK) {
          const p = stageContiguous(x);
          exports.softmaxRows(flag, p, p, rows, n);
          return fillFrom(p, out);
        }
        const perChunk = Math.max(1, Math.floor(CHUNK / n));
        const buf = alloc(Math.min(perChunk, rows) * n * 4);
        const heap = heapF32();
        const src = x.storage.data;
        const dst = out.storage.data as Float32Array;
        for (let r = 0; r < rows; r += perChunk) {
          const m = Math.min(perChunk, rows - r) * n;
          const start = x.offset + r * n;
          heap.set(src.subarray(start, start + m), buf >> 2);
          exports.softmaxRows(flag, buf, buf, m / n, n);
          dst.set(heap.subarray(buf >> 2, (buf >> 2) + m), r * n);
        }
        return out;
      }),
    ];
  };
}
