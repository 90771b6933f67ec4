/**
 * @file The calling thread's view of the shared wasm memory, and a scratch arena in it.
 *
 * Every wasm kernel call copies its inputs into the arena, runs, copies its outputs out to
 * ordinary JS-owned tensors and releases what it took (withArena around the call), so
 * eager tensors never live in wasm memory and never need dispose(). Calls are synchronous
 * and not re-entrant, so a bump pointer is enough. The memory keeps the size of the largest
 * call so far (wasm memory cannot shrink); the arena never holds data between calls.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import { RESERVED_BYTES, WASM_PAGE_BYTES, wasmKernels } from './module.js';

/** Bytes [0, ARENA_BASE) hold the thread pool's control words and the math constants. */
const ARENA_BASE = RESERVED_BYTES;
const ALIGN = 64;
const SLACK = 64;

let top = ARENA_BASE;
let f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
let i32: Int32Array<ArrayBufferLike> = new Int32Array(0);
let viewsOf: ArrayBufferLike | null = null;

function refreshViews(): void {
  const buffer = wasmKernels().memory.buffer;
  if (buffer === viewsOf && f32.length * 4 === buffer.byteLength) return;
  viewsOf = buffer;
  f32 = new Float32Array(buffer);
  i32 = new Int32Array(buffer);
}

/** The memory as float32 (element index = byte address / 4). Valid until the next alloc. */
export function heapF32(): Float32Array<ArrayBufferLike> {
  refreshViews();
  return f32;
}

/** The memory as int32 (element index = byte address / 4). Valid until the next alloc. */
export function heapI32(): Int32Array<ArrayBufferLike> {
  refreshViews();
  return i32;
}

/**
 * Whether a call staging about `floats` float32 values stays well inside the 4 GiB wasm
 * memory; bigger calls are left to the reference kernels rather than fail to grow it.
 */
export const fitsWasmMemory = (floats: number): boolean => floats <= 2 ** 28;

/**
 * Reserves `bytes` (64-byte aligned) and returns the byte address; grows the memory as
 * needed. Every block has SLACK bytes after it: the SIMD loops round their length up to
 * whole vectors (up to 16 elements for the comparisons) and may touch that much past the end.
 */
export function alloc(bytes: number): number {
  const p = Math.ceil(top / ALIGN) * ALIGN;
  const end = p + Math.max(0, bytes) + SLACK;
  const memory = wasmKernels().memory;
  if (end > memory.buffer.byteLength) {
    memory.grow(Math.ceil((end - memory.buffer.byteLength) / WASM_PAGE_BYTES));
  }
  top = end;
  return p;
}

/** Bytes of arena in use; 0 between kernel calls (tests check nothing leaks). */
export const arenaBytesInUse = (): number => top - ARENA_BASE;

/** Runs `body` with arena space released afterwards, whatever happens. */
export function withArena<T>(body: () => T): T {
  const position = top;
  try {
    return body();
  } finally {
    top = position;
  }
}

/** Copies float32 values into fresh arena space and returns its byte address. */
export function copyIn(src: TypedArray): number {
  const p = alloc(src.length * 4);
  heapF32().set(src, p >> 2);
  return p;
}

/** Copies int32 words into fresh arena space and returns its byte address. */
export function copyInts(words: ArrayLike<number>): number {
  const p = alloc(words.length * 4);
  heapI32().set(words, p >> 2);
  return p;
}
