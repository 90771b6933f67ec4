/**
 * @file Loads the wasm kernels module once, on first use, into one shared memory.
 *
 * Two builds of the same AssemblyScript sources ship in generated/kernelsWasm.ts: one with
 * relaxed-SIMD (fused multiply-add) and one with plain SIMD. Node 20 validates relaxed-SIMD
 * only behind `--experimental-wasm-relaxed-simd`; setting that flag from code before
 * compiling is enough (DESIGN.md, "Facts measured"), and newer Node needs no flag at all.
 * Whichever build validates first is used; FLOWGRAD_WASM_SIMD=plain forces the fallback.
 */
import { Buffer } from 'node:buffer';
import v8 from 'node:v8';
import { RELAXED_SIMD_WASM, SIMD_WASM } from './generated/kernelsWasm.js';
import { type WasmGlobal, type WasmMemory, type WasmModule, wasmApi } from './wasmApi.js';

/** The functions and constants the module exports (asm/index.ts). */
export interface KernelExports {
  runTask(kind: number, args: number, task: number, thread: number): void;
  unary(op: number, src: number, dst: number, n: number): void;
  binary(op: number, a: number, b: number, dst: number, n: number, mode: number): void;
  compare(op: number, a: number, b: number, dst: number, n: number, mode: number): void;
  binaryNd(op: number, a: number, b: number, dst: number, ndim: number, desc: number): void;
  gather(src: number, dst: number, ndim: number, desc: number): void;
  reduceRows(op: number, src: number, dst: number, rows: number, n: number): void;
  reduceCols(op: number, src: number, dst: number, outer: number, n: number, inner: number, acc: number): void;
  softmaxRows(log: number, src: number, dst: number, rows: number, n: number): void;
  sumF64(src: number, n: number): number;
  argmaxPool2x2(src: number, dst: number, planes: number, h: number, w: number, oh: number, ow: number): void;
  initMathConstants(): void;
  readonly MATH_TABLE_END: WasmGlobal;
  readonly MR: WasmGlobal;
  readonly NR: WasmGlobal;
  readonly KC: WasmGlobal;
  readonly MC: WasmGlobal;
}

/** The loaded module, its shared memory and which build was chosen. */
export interface WasmKernels {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly exports: KernelExports;
  /** Whether the fused multiply-add (relaxed-SIMD) build was chosen. */
  readonly relaxedSimd: boolean;
}

const PAGE = 65536;
/** Bytes below the arena: pool control words [0, 64), then the math constant table. */
export const RESERVED_BYTES = 1024;
/** The memory can grow to 4 GiB; V8 reserves the address space up front for shared memory. */
const MAX_PAGES = [65536, 16384];

let loaded: WasmKernels | null = null;

function compile(base64: string): WasmModule | null {
  const bytes = Buffer.from(base64, 'base64');
  if (!wasmApi.validate(bytes)) return null;
  try {
    return new wasmApi.Module(bytes);
  } catch {
    return null;
  }
}

function chooseModule(): { module: WasmModule; relaxedSimd: boolean } {
  if (process.env.FLOWGRAD_WASM_SIMD !== 'plain') {
    let relaxed = compile(RELAXED_SIMD_WASM);
    if (!relaxed) {
      try {
        v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // An engine without the flag simply keeps the plain build.
      }
      relaxed = compile(RELAXED_SIMD_WASM);
    }
    if (relaxed) return { module: relaxed, relaxedSimd: true };
  }
  const plain = compile(SIMD_WASM);
  if (!plain) throw new Error('internal: this JavaScript engine rejects the wasm SIMD kernels (set FLOWGRAD_BACKEND=reference)');
  return { module: plain, relaxedSimd: false };
}

function createMemory(): WasmMemory {
  let last: unknown;
  for (const maximum of MAX_PAGES) {
    try {
      return new wasmApi.Memory({ initial: 16, maximum, shared: true });
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** The loaded module (compiled and instantiated on the first call). */
export function wasmKernels(): WasmKernels {
  if (loaded) return loaded;
  const { module, relaxedSimd } = chooseModule();
  const memory = createMemory();
  const instance = new wasmApi.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  // The constant table sits below the arena (heap.ts); workers start later and share it.
  if (exports.MATH_TABLE_END.value > RESERVED_BYTES) throw new Error('internal: the wasm constant table overlaps the arena');
  exports.initMathConstants();
  loaded = { module, memory, exports, relaxedSimd };
  return loaded;
}

/** Bytes per wasm memory page. */
export const WASM_PAGE_BYTES = PAGE;
