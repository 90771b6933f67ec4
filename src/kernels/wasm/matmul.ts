/**
 * @file The wasm matmul kernel: float32 [..., m, k] · [..., k, n] with broadcast batch dims.
 * Operands keep their strides (gemm packs transposed and sliced views at full speed).
 */
import { broadcastStrides } from '../../tensor/broadcast.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { gemm } from './gemm.js';
import { alloc, fitsWasmMemory, withArena } from './heap.js';
import { wasmKernels } from './module.js';
import { type Staged, copyOut, stageStrided } from './stage.js';

/** Inputs this kernel takes: float32 matrices (or batches of them) that fit the wasm memory. */
export function acceptsMatmul(inputs: readonly Tensor[]): boolean {
  const [a, b] = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.ndim < 2 || b.ndim < 2) return false;
  // The schema has checked that the batch dims broadcast: each output dim is the larger.
  let outSize = a.shape[a.ndim - 2] * b.shape[b.ndim - 1];
  for (let i = 3; i <= Math.max(a.ndim, b.ndim); i++) outSize *= Math.max(a.shape[a.ndim - i] ?? 1, b.shape[b.ndim - i] ?? 1);
  return fitsWasmMemory(a.size + b.size + outSize);
}

/** The wasm matmul kernel (float32, threaded for big products). */
export const matmulKernel: Kernel = ([a, b], _attrs, [outType]) => {
  const outShape = outType.shape as number[];
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  const size = sizeOf(outShape);
  if (size === 0 || k === 0) return [Tensor.empty(outShape, 'float32', a.device)];
  const batchShape = outShape.slice(0, -2);
  return [
    withArena(() => {
      const sa = stageStrided(a);
      const sb = stageStrided(b);
      const c = alloc(size * 4);
      const folded = foldBatchIntoRows(a, sa, b, batchShape, m);
      const offsets = folded ? [0, 0, 0] : batchOffsets(a, sa, b, sb, batchShape, m * n);
      const rows = folded ? size / n : m;
      const opA = { ptr: sa.ptr, rowStride: sa.strides[a.ndim - 2], colStride: sa.strides[a.ndim - 1] };
      const opB = { ptr: sb.ptr, rowStride: sb.strides[b.ndim - 2], colStride: sb.strides[b.ndim - 1] };
      if (transposeWins(rows, n)) {
        // Cᵀ = Bᵀ·Aᵀ, written straight into C through a column stride.
        gemm({
          m: n, n: rows, k,
          a: { ptr: opB.ptr, rowStride: opB.colStride, colStride: opB.rowStride },
          b: { ptr: opA.ptr, rowStride: opA.colStride, colStride: opA.rowStride },
          c: { ptr: c, rowStride: 1, colStride: n },
          offsets: swapOperands(offsets),
          accumulate: false,
        });
      } else {
        gemm({ m: rows, n, k, a: opA, b: opB, c: { ptr: c, rowStride: n }, offsets, accumulate: false });
      }
      return copyOut(c, outType, a.device);
    }),
  ];
};

/** N at most this is "small": the micro-kernel's NR-wide panels may waste most of their columns. */
const SMALL_N = 16;

/**
 * Whether computing Cᵀ = Bᵀ·Aᵀ takes clearly fewer micro-kernel tiles than C = A·B: for a
 * small N (a classifier's 10 outputs), whose NR-wide column panels are mostly padding,
 * while as the rows of Cᵀ it fills MR-row tiles (e.g. 10 = 2·5).
 */
function transposeWins(rows: number, n: number): boolean {
  if (n > SMALL_N || rows <= n) return false;
  const { exports } = wasmKernels();
  const mr = exports.MR.value as number;
  const nr = exports.NR.value as number;
  const tiles = (r: number, c: number) => Math.ceil(r / mr) * Math.ceil(c / nr);
  return tiles(n, rows) < 0.8 * tiles(rows, n);
}

/** [b, a, c] triples from [a, b, c] ones. */
function swapOperands(offsets: readonly number[]): number[] {
  const swapped = offsets.slice();
  for (let i = 0; i < swapped.length; i += 3) [swapped[i], swapped[i + 1]] = [offsets[i + 1], offsets[i]];
  return swapped;
}

/**
 * Whether the batch can join A's rows (one tall gemm instead of many short ones): when B is
 * shared by every batch item and A's batch dims step exactly one block of m rows each.
 */
function foldBatchIntoRows(a: Tensor, sa: Staged, b: Tensor, batchShape: number[], m: number): boolean {
  if (batchShape.length === 0) return false;
  if (b.shape.slice(0, -2).some((d) => d !== 1)) return false;
  if (a.ndim - 2 !== batchShape.length) return false;
  let expected = sa.strides[a.ndim - 2] * m;
  for (let d = a.ndim - 3; d >= 0; d--) {
    if (a.shape[d] !== 1 && sa.strides[d] !== expected) return false;
    expected *= a.shape[d];
  }
  return true;
}

/** [offA, offB, offC] per batch item, in row-major order over the broadcast batch shape. */
function batchOffsets(a: Tensor, sa: Staged, b: Tensor, sb: Staged, batchShape: number[], cStep: number): number[] {
  const strideA = broadcastStrides(a.shape.slice(0, -2), sa.strides.slice(0, -2), batchShape);
  const strideB = broadcastStrides(b.shape.slice(0, -2), sb.strides.slice(0, -2), batchShape);
  const count = batchShape.reduce((x, y) => x * y, 1);
  const offsets = new Array<number>(3 * count);
  const index = new Array<number>(batchShape.length).fill(0);
  let oa = 0;
  let ob = 0;
  for (let i = 0; i < count; i++) {
    offsets[3 * i] = oa;
    offsets[3 * i + 1] = ob;
    offsets[3 * i + 2] = i * cStep;
    for (let d = batchShape.length - 1; d >= 0; d--) {
      index[d]++;
      oa += strideA[d];
      ob += strideB[d];
      if (index[d] < batchShape[d]) break;
      oa -= strideA[d] * batchShape[d];
      ob -= strideB[d] * batchShape[d];
      index[d] = 0;
    }
  }
  return offsets;
}
