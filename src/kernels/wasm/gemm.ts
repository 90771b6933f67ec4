/**
 * @file Drives the wasm gemm (asm/gemm.ts): C (+)= A·B over a batch of strided matrices,
 * split into tasks for the thread pool. Used by matmul and conv2d.
 */
import { alloc, copyInts, withArena } from './heap.js';
import { wasmKernels } from './module.js';
import { runJob, threadCount } from './pool.js';

/** Job kind of asm/index.ts runTask. */
export const JOB_GEMM = 0;

/** A strided matrix in wasm memory: byte address of element (0, 0), strides in elements. */
export interface MatrixRef {
  readonly ptr: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** One batched gemm: C (+)= A·B for each batch item, at the given element offsets. */
export interface GemmCall {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: MatrixRef;
  readonly b: MatrixRef;
  /** C's column stride is 1 unless given (any other stride is slower: scalar stores). */
  readonly c: { readonly ptr: number; readonly rowStride: number; readonly colStride?: number };
  /** Element offsets of A, B and C for each batch item: [a0, b0, c0, a1, b1, c1, …]. */
  readonly offsets: ArrayLike<number>;
  /** Add into C instead of overwriting it. */
  readonly accumulate: boolean;
  /** Sum every batch item into the same C (offsets of C then all equal), e.g. a weight gradient. */
  readonly sumBatch?: boolean;
  /**
   * Byte address of a conv2d im2col argument block: B is then that convolution's column
   * matrix, packed straight from the input planes (b.ptr + each B offset addresses one
   * image's group of channels; b's strides are unused), never materialised.
   */
  readonly convB?: number;
}

/** Below this many flops a job runs on the calling thread (waking workers costs ~10 µs). */
const PARALLEL_FLOPS = 4e6;
const NC_MAX = 512;
const ARGS_WORDS = 23;

interface Split {
  readonly ncb: number;
  readonly nJ: number;
  readonly mch: number;
  readonly nM: number;
}

/** Chooses column blocks and row chunks so there are about two tasks per thread. */
function split(call: GemmCall, batch: number, threads: number, mr: number, nr: number): Split {
  let ncb = Math.min(roundUp(call.n, nr), NC_MAX);
  let mch = call.m;
  const outer = call.sumBatch ? 1 : batch;
  const want = threads > 1 ? 2 * threads : 1;
  for (;;) {
    const nJ = Math.ceil(call.n / ncb);
    const nM = Math.ceil(call.m / mch);
    if (outer * nJ * nM >= want) return { ncb, nJ, mch, nM };
    // Halve the larger side: a row chunk repacks B, a column block repacks A.
    if (mch >= 2 * mr && mch >= ncb) mch = roundUp(Math.ceil(mch / 2), mr);
    else if (ncb >= 2 * nr) ncb = roundUp(Math.ceil(ncb / 2), nr);
    else if (mch >= 2 * mr) mch = roundUp(Math.ceil(mch / 2), mr);
    else return { ncb, nJ, mch, nM };
  }
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/** Runs the gemm; A, B and C must already be in wasm memory. */
export function gemm(call: GemmCall): void {
  const batch = call.offsets.length / 3;
  if (call.m === 0 || call.n === 0 || batch === 0) return;
  const { exports } = wasmKernels();
  const mr = exports.MR.value as number;
  const nr = exports.NR.value as number;
  const kc = exports.KC.value as number;
  const mc = exports.MC.value as number;
  const parallel = 2 * call.m * call.n * call.k * batch >= PARALLEL_FLOPS;
  const threads = parallel ? threadCount() : 1;
  const s = split(call, batch, threads, mr, nr);
  withArena(() => {
    const scratchStride = roundUp(kc * roundUp(s.ncb, nr) * 4 + mc * kc * 4 + mr * nr * 4, 64);
    const scratch = alloc(scratchStride * threads);
    const offsets = copyInts(call.offsets);
    const args = copyInts(
      argsBlock(call, batch, offsets, s, scratch, scratchStride),
    );
    const tasks = (call.sumBatch ? 1 : batch) * s.nJ * s.nM;
    runJob(JOB_GEMM, args, tasks, parallel);
  });
}

function argsBlock(call: GemmCall, batch: number, offsets: number, s: Split, scratch: number, scratchStride: number): number[] {
  const words = [
    call.m, call.n, call.k,
    call.a.ptr, call.a.rowStride, call.a.colStride,
    call.b.ptr, call.b.rowStride, call.b.colStride,
    call.c.ptr, call.c.rowStride,
    call.accumulate ? 1 : 0, batch, offsets,
    s.nJ, s.ncb, s.nM, s.mch,
    scratch, scratchStride, call.sumBatch ? 1 : 0,
    call.convB ?? 0, call.c.colStride ?? 1,
  ];
  if (words.length !== ARGS_WORDS) throw new Error('internal: gemm argument block');
  return words;
}
