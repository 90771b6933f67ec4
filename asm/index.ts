/**
 * @file Entry of the wasm kernels module: every export the JS side calls.
 * Memory is imported (one shared memory for all threads); the module allocates nothing
 * and has no data segments, so each thread can instantiate it over the same memory.
 */
import { col2imTask, im2colTask } from './conv';
import { unaryTask } from './elementwise';
import { gemmTask } from './gemm';
import { winogradInputTask, winogradOutputTask, winogradWeightTask } from './winograd';

export { MR, NR, KC, MC } from './gemm';
export { unary, binary } from './elementwise';
export { compare } from './compare';
export { gather, binaryNd } from './strided';
export { argmaxPool2x2 } from './pool';
export { initMathConstants, MATH_TABLE_END } from './math';
export { reduceRows, reduceCols, softmaxRows, sumF64 } from './reduce';

/** Job kinds run through the thread pool (src/kernels/wasm/pool.ts). */
const JOB_GEMM = 0, JOB_IM2COL = 1, JOB_COL2IM = 2, JOB_UNARY = 3, JOB_WINOGRAD_WEIGHT = 4, JOB_WINOGRAD_INPUT = 5, JOB_WINOGRAD_OUTPUT = 6;

/** Runs one task of a job; called by the calling thread and by every pool worker. */
export function runTask(kind: i32, args: usize, task: i32, thread: i32): void {
  if (kind == JOB_GEMM) gemmTask(args, task, thread);
  else if (kind == JOB_IM2COL) im2colTask(args, task);
  else if (kind == JOB_COL2IM) col2imTask(args, task);
  else if (kind == JOB_UNARY) unaryTask(args, task);
  else if (kind == JOB_WINOGRAD_WEIGHT) winogradWeightTask(args, task);
  else if (kind == JOB_WINOGRAD_INPUT) winogradInputTask(args, task, thread);
  else if (kind == JOB_WINOGRAD_OUTPUT) winogradOutputTask(args, task);
}
