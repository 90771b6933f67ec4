/**
 * @file Moving tensors in and out of wasm memory for one kernel call (see heap.ts).
 * Strided views keep their layout when the storage range they touch is compact (matmul
 * packs transposed operands itself); otherwise, or when asked, they are gathered into a
 * contiguous copy by a wasm loop.
 */
import { collapseDims, contiguousStrides, sizeOf } from '../../tensor/shape.js';
import { usesHeapAllocator } from '../../tensor/storage.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { contiguous } from '../reference/copy.js';
import { alloc, copyIn, copyInts, heapF32 } from './heap.js';
import { wasmKernels } from './module.js';

/** A tensor's data in wasm memory: byte address of its element [0, …, 0] and its strides. */
export interface Staged {
  readonly ptr: number;
  readonly strides: readonly number[];
}

/** Staged copies of sparse views (a column of a wide matrix) would waste more than this factor. */
const MAX_SPAN_WASTE = 2;

/** The first and last storage indices a view reads (strides are non-negative here). */
function storageSpan(t: Tensor): [number, number] {
  let lo = t.offset;
  let hi = t.offset;
  for (let d = 0; d < t.ndim; d++) {
    if (t.shape[d] <= 1) continue;
    const reach = (t.shape[d] - 1) * t.strides[d];
    if (reach >= 0) hi += reach;
    else lo += reach;
  }
  return [lo, hi];
}

/** Copies the storage range `t` reads into the arena, keeping its strides. */
export function stageStrided(t: Tensor): Staged {
  if (t.size === 0) return { ptr: alloc(16), strides: t.strides };
  const span = storageSpan(t);
  if (span[1] - span[0] + 1 <= MAX_SPAN_WASTE * t.size + 256) {
    const [lo, hi] = span;
    const p = copyIn(t.storage.data.subarray(lo, hi + 1));
    return { ptr: p + (t.offset - lo) * 4, strides: t.strides };
  }
  const c = contiguous(t);
  return { ptr: copyIn(c.storage.data.subarray(c.offset, c.offset + c.size)), strides: contiguousStrides(t.shape) };
}

/** Copies `t` into the arena as a contiguous row-major block; returns its byte address. */
export function stageContiguous(t: Tensor): number {
  if (t.isContiguous()) return copyIn(t.storage.data.subarray(t.offset, t.offset + t.size));
  const s = stageStrided(t);
  const dst = alloc(Math.ceil(t.size / 4) * 16);
  const [shape, [strides]] = collapseDims(t.shape, [s.strides]);
  const desc = copyInts([...shape, ...strides, ...shape.map(() => 0)]);
  wasmKernels().exports.gather(s.ptr, dst, shape.length, desc);
  return dst;
}

/** A new float32 tensor of `type` filled from wasm memory at byte address `ptr`. */
export function copyOut(ptr: number, type: TensorType, device: string): Tensor {
  const shape = type.shape as number[];
  // slice() copies into a fresh array without zero-filling it first, which `empty` would do.
  if (usesHeapAllocator()) return Tensor.fromData(heapF32().slice(ptr >> 2, (ptr >> 2) + sizeOf(shape)), shape, 'float32', device);
  return fillFrom(ptr, Tensor.uninitialized(shape, 'float32', device));
}

/** Fills the contiguous tensor `out` from wasm memory at byte address `ptr`; returns it. */
export function fillFrom(ptr: number, out: Tensor): Tensor {
  (out.storage.data as Float32Array).set(heapF32().subarray(ptr >> 2, (ptr >> 2) + out.size), out.offset);
  return out;
}
