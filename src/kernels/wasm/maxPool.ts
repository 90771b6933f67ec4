/**
 * @file The wasm argmax of 2×2 windows at stride 2 (asm/pool.ts), which the fast max-pool
 * kernels (kernels/fast/pool.ts) use for float32 instead of their branchy scalar loop.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { alloc, copyIn, heapI32, withArena } from './heap.js';
import { wasmKernels } from './module.js';

/** For contiguous float32 x of `planes` h×w planes: the index into x's data of each 2×2 window's maximum. */
export function argmaxPool2x2(x: Tensor, planes: number, h: number, w: number, oh: number, ow: number): Int32Array {
  return withArena(() => {
    const src = copyIn(x.storage.data.subarray(x.offset, x.offset + x.size));
    const dst = alloc(planes * oh * ow * 4);
    wasmKernels().exports.argmaxPool2x2(src, dst, planes, h, w, oh, ow);
    const at = heapI32().slice(dst >> 2, (dst >> 2) + planes * oh * ow);
    if (x.offset !== 0) for (let q = 0; q < at.length; q++) at[q] += x.offset;
    return at;
  });
}
