/**
 * @file Wasm kernels of the float32 elementwise ops. Contiguous operands stream through a
 * small buffer in wasm memory, chunk by chunk, so the data crosses DRAM once each way;
 * broadcast and strided operands are staged whole and walked by an n-d loop in wasm.
 */
import { broadcastStrides } from '../../tensor/broadcast.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { alloc, copyInts, fitsWasmMemory, heapF32, withArena } from './heap.js';
import { wasmKernels } from './module.js';
import { runJobInOrder, threadCount } from './pool.js';
import { collapseDims } from '../../tensor/shape.js';
import { fillFrom, stageContiguous, stageStrided } from './stage.js';

/** Op codes of asm/elementwise.ts (unary, then binary). */
export const UNARY_CODES = { neg: 0, abs: 1, exp: 2, log: 3, sqrt: 4, tanh: 5, sigmoid: 6, relu: 7, sign: 8 } as const;
export const BINARY_CODES = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 } as const;
export type WasmUnaryOp = keyof typeof UNARY_CODES;
export type WasmBinaryOp = keyof typeof BINARY_CODES;

/** Elements per streamed chunk: 64 KiB of float32 per operand stays in L2. */
export const CHUNK = 16384;
/** The transcendental ops are compute-bound: above this size the pool shares them. */
const THREADED = new Set<WasmUnaryOp>(['exp', 'log', 'tanh', 'sigmoid']);
const PARALLEL_ELEMENTS = 2 ** 18;
/** Elements per task of a threaded unary job: small enough that the first is done quickly. */
const PARALLEL_CHUNK = 2 ** 15;
/** Job kind of asm/index.ts runTask. */
const JOB_UNARY = 3;
/** Float32 operands of a size the wasm memory holds (a broadcast output is at most twice that). */
export const acceptsFloat32 = (inputs: readonly Tensor[]): boolean => inputs.every((t) => t.dtype === 'float32' && fitsWasmMemory(4 * t.size));

/**
 * The wasm kernel of a float32 unary op; strided inputs are gathered in wasm first. Every
 * path reads a chunk of x before it writes that chunk of the output, so `into` may be x.
 */
export function unaryKernel(op: WasmUnaryOp): Kernel {
  const code = UNARY_CODES[op];
  return ([x], _attrs, [outType], into) => {
    const out = into ?? Tensor.uninitialized(outType.shape as number[], 'float32', x.device);
    const n = out.size;
    if (n === 0) return [out];
    const { exports } = wasmKernels();
    const dst = (out.storage.data as Float32Array).subarray(out.offset, out.offset + n);
    return [
      withArena(() => {
        if (THREADED.has(op) && n >= PARALLEL_ELEMENTS && threadCount() > 1) {
          // The workers compute while this thread copies chunks in and finished chunks out.
          const streamIn = x.isContiguous();
          const p = streamIn ? alloc(n * 4) : stageContiguous(x);
          const tasks = Math.ceil(n / PARALLEL_CHUNK);
          const args = copyInts([code, p, p, n, PARALLEL_CHUNK]);
          const flags = alloc(tasks * 4);
          const heap = heapF32();
          const src = x.storage.data;
          const span = (t: number): [number, number] => [t * PARALLEL_CHUNK, Math.min(n, (t + 1) * PARALLEL_CHUNK)];
          const produce = (t: number) => {
            const [from, to] = span(t);
            heap.set(src.subarray(x.offset + from, x.offset + to), (p >> 2) + from);
          };
          runJobInOrder(JOB_UNARY, args, tasks, flags, streamIn ? produce : null, (t) => {
            const [from, to] = span(t);
            dst.set(heap.subarray((p >> 2) + from, (p >> 2) + to), from);
          });
          return out;
        }
        if (!x.isContiguous()) {
          const p = stageContiguous(x);
          exports.unary(code, p, p, n);
          return fillFrom(p, out);
        }
        const buf = alloc(Math.min(n, CHUNK) * 4);
        const heap = heapF32();
        const src = x.storage.data;
        for (let i = 0; i < n; i += CHUNK) {
          const m = Math.min(CHUNK, n - i);
          heap.set(src.subarray(x.offset + i, x.offset + i + m), buf >> 2);
          exports.unary(code, buf, buf, m);
          dst.set(heap.subarray(buf >> 2, (buf >> 2) + m), i);
        }
        return out;
      }),
    ];
  };
}

/** The wasm kernel of a float32 broadcasting binary op. */
export function binaryKernel(op: WasmBinaryOp): Kernel {
  const code = BINARY_CODES[op];
  return ([a, b], _attrs, [outType]) => {
    const shape = outType.shape as number[];
    const out = Tensor.uninitialized(shape, 'float32', a.device);
    const n = out.size;
    if (n === 0) return [out];
    const streamA = a.isContiguous() && (a.size === n || a.size === 1);
    const streamB = b.isContiguous() && (b.size === n || b.size === 1);
    return [withArena(() => (streamA && streamB ? streamBinary(code, a, b, out) : stridedBinary(code, a, b, out, shape)))];
  };
}

/** Both operands contiguous, each full-size or a single value (mode 1: b is, mode 2: a is). */
function streamBinary(code: number, a: Tensor, b: Tensor, out: Tensor): Tensor {
  const { exports } = wasmKernels();
  const n = out.size;
  const mode = b.size === 1 && n > 1 ? 1 : a.size === 1 && n > 1 ? 2 : 0;
  const chunk = Math.min(n, CHUNK);
  const pa = alloc(chunk * 4);
  const pb = alloc(chunk * 4);
  const heap = heapF32();
  if (mode === 1) heap[pb >> 2] = b.storage.data[b.offset];
  if (mode === 2) heap[pa >> 2] = a.storage.data[a.offset];
  const da = a.storage.data;
  const db = b.storage.data;
  const dst = out.storage.data as Float32Array;
  for (let i = 0; i < n; i += CHUNK) {
    const m = Math.min(CHUNK, n - i);
    if (mode !== 2) heap.set(da.subarray(a.offset + i, a.offset + i + m), pa >> 2);
    if (mode !== 1) heap.set(db.subarray(b.offset + i, b.offset + i + m), pb >> 2);
    const into = mode === 2 ? pb : pa;
    exports.binary(code, pa, pb, into, m, mode);
    dst.set(heap.subarray(into >> 2, (into >> 2) + m), i);
  }
  return out;
}

/** Broadcast or strided operands: staged whole, then one n-d walk in wasm. */
function stridedBinary(code: number, a: Tensor, b: Tensor, out: Tensor, shape: number[]): Tensor {
  const sa = stageStrided(a);
  const sb = stageStrided(b);
  const dst = alloc(sizeOf(shape) * 4);
  const [dims, [stridesA, stridesB]] = collapseDims(shape, [
    broadcastStrides(a.shape, sa.strides, shape),
    broadcastStrides(b.shape, sb.strides, shape),
  ]);
  const desc = copyInts([...dims, ...stridesA, ...stridesB, ...dims.map(() => 0)]);
  wasmKernels().exports.binaryNd(code, sa.ptr, sb.ptr, dst, dims.length, desc);
  return fillFrom(dst, out);
}
