/**
 * @file Single-precision matrix multiply C (+)= A·B, blocked as in GotoBLAS/BLIS.
 *
 * A, B and C are strided views (row and column strides in elements), so transposed and
 * sliced operands cost only their packing: each task copies a KC×NC block of B and an
 * MC×KC block of A into contiguous panels (with SIMD transposes where a stride is not 1),
 * then a register-blocked MR×NR micro-kernel runs over the panels. Work is split into
 * tasks over (batch, column block, row chunk) so threads can share one call.
 */
import { MR, NR, microKernel } from './microkernel';
import { packBConv } from './conv';
import { packA, packB } from './pack';
import { arg, at, imin } from './simd';

export { MR, NR };
/** Largest k block; K is cut into equal blocks of at most KC (a short last block wastes a C pass). */
export const KC: i32 = 384;
/** Rows of A packed at a time (a multiple of MR = 4 or 5); the block stays in L2. */
export const MC: i32 = 120;

// Argument block of a gemm job (i32 words); written by src/kernels/wasm/gemm.ts.
const M_ = 0, N_ = 1, K_ = 2, A_ = 3, RSA = 4, CSA = 5, B_ = 6, RSB = 7, CSB = 8, C_ = 9, RSC = 10;
const ACC = 11, BATCH = 12, OFFS = 13, NJ = 14, NCB = 15, NM = 16, MCH = 17, SCRATCH = 18, SCRATCH_STRIDE = 19, BATCH_INNER = 20;
// CONV_B: 0, or the im2col argument block of a conv2d whose column matrix is B, packed by
// packBConv straight from the input (implicit gemm):
// B's offsets then address an image's input planes and its strides are unused.
const CONV_B = 21;
// C's column stride: 1, or another (a transposed C, e.g. matmul computing Cᵀ = Bᵀ·Aᵀ when
// N is small), whose tiles then all go through the scratch tile.
const CSC = 22;

/** C block (+)= packed A block · packed B block, edge tiles through a scratch tile. */
function macroKernel(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, rsC: i32, csC: i32, acc: bool, tile: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = imin(NR, nc - jr);
    const b = pb + <usize>jr * <usize>kc * 4;
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = imin(MR, mc - ir);
      const a = pa + <usize>ir * <usize>kc * 4;
      const cp = c + (<usize>ir * <usize>rsC + <usize>jr * <usize>csC) * 4;
      if (mr == MR && nr == NR && csC == 1) {
        microKernel(kc, a, b, cp, rsC, acc);
      } else {
        microKernel(kc, a, b, tile, NR, false);
        for (let i = 0; i < mr; i++) {
          for (let j = 0; j < nr; j++) {
            const q = cp + (<usize>i * <usize>rsC + <usize>j * <usize>csC) * 4;
            const v = load<f32>(tile + <usize>(i * NR + j) * 4);
            store<f32>(q, acc ? load<f32>(q) + v : v);
          }
        }
      }
    }
  }
}

/** One batch item's share [m0, m1) × [jc0, jc0 + nc) of C. */
function gemmBlock(args: usize, b: i32, m0: i32, m1: i32, jc0: i32, nc: i32, acc0: bool, scratch: usize): void {
  const K = arg(args, K_);
  const rsA = arg(args, RSA), csA = arg(args, CSA), rsB = arg(args, RSB), csB = arg(args, CSB), rsC = arg(args, RSC), csC = arg(args, CSC);
  const offs = <usize>arg(args, OFFS) + <usize>b * 12;
  const A = at(<usize>arg(args, A_), load<i32>(offs));
  const B = at(<usize>arg(args, B_), load<i32>(offs, 4));
  const C = at(<usize>arg(args, C_), load<i32>(offs, 8)) + (<usize>jc0 * <usize>csC << 2);
  const ncb = arg(args, NCB);
  const convB = <usize>arg(args, CONV_B);
  const pb = scratch;
  const pa = pb + <usize>KC * <usize>((ncb + NR - 1) / NR * NR) * 4;
  const tile = pa + <usize>MC * <usize>KC * 4;
  if (K == 0) {
    if (acc0) return;
    for (let i = m0; i < m1; i++) {
      if (csC == 1) memory.fill(C + <usize>i * <usize>rsC * 4, 0, <usize>nc << 2);
      else for (let j = 0; j < nc; j++) store<f32>(C + (<usize>i * <usize>rsC + <usize>j * <usize>csC) * 4, 0);
    }
    return;
  }
  const blocks = (K + KC - 1) / KC;
  const kcStep = (K + blocks - 1) / blocks;
  for (let pc = 0; pc < K; pc += kcStep) {
    const kc = imin(kcStep, K - pc);
    if (convB != 0) packBConv(convB, B, pc, kc, jc0, nc, pb);
    else packB(B + (<usize>pc * <usize>rsB + <usize>jc0 * <usize>csB) * 4, rsB, csB, kc, nc, pb);
    const acc = acc0 || pc > 0;
    for (let ic = m0; ic < m1; ic += MC) {
      const mc = imin(MC, m1 - ic);
      packA(A + (<usize>ic * <usize>rsA + <usize>pc * <usize>csA) * 4, rsA, csA, mc, kc, pa);
      macroKernel(mc, nc, kc, pa, pb, C + <usize>ic * <usize>rsC * 4, rsC, csC, acc, tile);
    }
  }
}

/**
 * Runs task `task` of a gemm job on thread `thread` (which owns scratch slot `thread`).
 * With BATCH_INNER set, a task covers every batch item and accumulates them into the same
 * C (the batch is a sum, as in conv2d's weight gradient); otherwise tasks split the batch.
 */
export function gemmTask(args: usize, task: i32, thread: i32): void {
  const M = arg(args, M_), N = arg(args, N_);
  const nJ = arg(args, NJ), nM = arg(args, NM), ncb = arg(args, NCB), mch = arg(args, MCH);
  const m = task % nM;
  const j = (task / nM) % nJ;
  const jc0 = j * ncb;
  const nc = imin(ncb, N - jc0);
  const m0 = m * mch;
  const m1 = imin(M, m0 + mch);
  if (nc <= 0 || m0 >= m1) return;
  const scratch = <usize>arg(args, SCRATCH) + <usize>thread * <usize>arg(args, SCRATCH_STRIDE);
  const acc = arg(args, ACC) != 0;
  if (arg(args, BATCH_INNER) != 0) {
    const batch = arg(args, BATCH);
    for (let b = 0; b < batch; b++) gemmBlock(args, b, m0, m1, jc0, nc, acc || b > 0, scratch);
  } else {
    gemmBlock(args, task / (nM * nJ), m0, m1, jc0, nc, acc, scratch);
  }
}
