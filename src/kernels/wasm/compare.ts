/**
 * @file Wasm kernels of the float32 comparisons (eq, ne, lt, le, gt, ge; bool results).
 * Only the streaming layout is taken (each operand contiguous and full-size or a single
 * value, as in relu's gradient gt(x, 0)); other broadcasts stay with the reference kernel.
 */
import { broadcastShapes } from '../../tensor/broadcast.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { CHUNK, acceptsFloat32 } from './elementwise.js';
import { alloc, heapF32, withArena } from './heap.js';
import { wasmKernels } from './module.js';

/** Op codes of asm/compare.ts. */
export const COMPARE_CODES = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 } as const;
export type WasmCompareOp = keyof typeof COMPARE_CODES;

/** Float32 operands, each contiguous and either full-size or a single value. */
export function acceptsCompare(inputs: readonly Tensor[]): boolean {
  if (!acceptsFloat32(inputs)) return false;
  const [a, b] = inputs;
  const n = (broadcastShapes('compare', a.shape, b.shape) as number[]).reduce((p, d) => p * d, 1);
  return inputs.every((t) => t.isContiguous() && (t.size === n || t.size === 1));
}

/** The wasm kernel of a float32 comparison (bool output). */
export function compareKernel(op: WasmCompareOp): Kernel {
  const code = COMPARE_CODES[op];
  return ([a, b], _attrs, [outType]) => {
    const out = Tensor.uninitialized(outType.shape as number[], 'bool', a.device);
    const n = out.size;
    if (n === 0) return [out];
    const { exports } = wasmKernels();
    withArena(() => {
      const mode = b.size === 1 && n > 1 ? 1 : a.size === 1 && n > 1 ? 2 : 0;
      const chunk = Math.min(n, CHUNK);
      const pa = alloc(chunk * 4);
      const pb = alloc(chunk * 4);
      const pd = alloc(chunk);
      const heap = heapF32();
      const bytes = new Uint8Array(heap.buffer);
      if (mode === 1) heap[pb >> 2] = b.storage.data[b.offset];
      if (mode === 2) heap[pa >> 2] = a.storage.data[a.offset];
      const dst = out.storage.data as Uint8Array;
      for (let i = 0; i < n; i += CHUNK) {
        const m = Math.min(CHUNK, n - i);
        if (mode !== 2) heap.set(a.storage.data.subarray(a.offset + i, a.offset + i + m), pa >> 2);
        if (mode !== 1) heap.set(b.storage.data.subarray(b.offset + i, b.offset + i + m), pb >> 2);
        exports.compare(code, pa, pb, pd, m, mode);
        dst.set(bytes.subarray(pd, pd + m), i);
      }
    });
    return [out];
  };
}
