/**
 * @file The wasm CPU backend: WebAssembly SIMD kernels (asm/*.ts, compiled by
 * scripts/buildWasm.mjs), multi-threaded over worker threads for matmul and conv2d.
 * registerWasmKernels() puts them beside the reference kernels at a higher priority; each
 * declares through `accepts` which inputs it takes (float32 ones) and leaves the rest to
 * the reference kernels.
 */
import { type KernelEntry, registerKernel } from '../registry.js';
import { BINARY_CODES, UNARY_CODES, type WasmBinaryOp, type WasmUnaryOp, acceptsFloat32, binaryKernel, unaryKernel } from './elementwise.js';
import { COMPARE_CODES, type WasmCompareOp, acceptsCompare, compareKernel } from './compare.js';
import { acceptsConv, acceptsConvBackwardInput, acceptsConvBackwardWeight, conv2dBackwardInputKernel, conv2dBackwardWeightKernel, conv2dKernel } from './conv2d.js';
import { acceptsMatmul, matmulKernel } from './matmul.js';
import { type WasmReduceOp, acceptsReduce, reduceKernel } from './reduce.js';
import { acceptsSoftmax, softmaxKernel } from './softmax.js';

/** Priority over the reference kernels (which register at 0). */
const PRIORITY = 10;
let registered = false;

/** The ops that have a wasm kernel, for tests and stats. */
export const WASM_OPS = {
  unary: Object.keys(UNARY_CODES) as WasmUnaryOp[],
  binary: Object.keys(BINARY_CODES) as WasmBinaryOp[],
  compare: Object.keys(COMPARE_CODES) as WasmCompareOp[],
  reduce: ['sum', 'max', 'min'] as WasmReduceOp[],
  other: ['matmul', 'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'softmax', 'logSoftmax'],
} as const;

/**
 * Registers every wasm kernel (once). FLOWGRAD_BACKEND=reference skips it, leaving the
 * reference kernels alone (for debugging, or an engine without wasm SIMD).
 */
export function registerWasmKernels(): void {
  if (registered || process.env.FLOWGRAD_BACKEND === 'reference') return;
  registered = true;
  const add = (op: string, entry: Pick<KernelEntry, 'kernel' | 'accepts' | 'writesInto'>) =>
    registerKernel(op, { backend: 'wasm', dtype: 'float32', priority: PRIORITY, ...entry });
  for (const op of WASM_OPS.unary) add(op, { kernel: unaryKernel(op), accepts: acceptsFloat32, writesInto: true });
  for (const op of WASM_OPS.binary) add(op, { kernel: binaryKernel(op), accepts: acceptsFloat32 });
  for (const op of WASM_OPS.compare) add(op, { kernel: compareKernel(op), accepts: acceptsCompare });
  for (const op of WASM_OPS.reduce) add(op, { kernel: reduceKernel(op), accepts: acceptsReduce });
  add('softmax', { kernel: softmaxKernel(false), accepts: acceptsSoftmax });
  add('logSoftmax', { kernel: softmaxKernel(true), accepts: acceptsSoftmax });
  add('matmul', { kernel: matmulKernel, accepts: acceptsMatmul });
  add('conv2d', { kernel: conv2dKernel, accepts: acceptsConv });
  add('conv2dBackwardInput', { kernel: conv2dBackwardInputKernel, accepts: acceptsConvBackwardInput });
  add('conv2dBackwardWeight', { kernel: conv2dBackwardWeightKernel, accepts: acceptsConvBackwardWeight });
}
