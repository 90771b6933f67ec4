/**
 * @file Wasm kernels of the float32 reductions sum, max and min. A block of adjacent axes
 * sees the input as [outer, reduced, inner]: rows when inner = 1, columns otherwise. Other
 * axis sets (a conv bias gradient sums over [0, 2, 3]) reduce one block of adjacent axes
 * at a time, the last block first, without leaving wasm memory.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { ReduceAttrs } from '../reference/reduce.js';
import type { Kernel } from '../registry.js';
import { CHUNK, acceptsFloat32 } from './elementwise.js';
import { alloc, heapF32, withArena } from './heap.js';
import { wasmKernels } from './module.js';
import { fillFrom, stageContiguous } from './stage.js';

/** Op codes of asm/reduce.ts. */
const CODES = { sum: 0, max: 1, min: 2 } as const;
export type WasmReduceOp = keyof typeof CODES;

/** Float32 input; axes sorted without repeats (as the schema normalises them). */
export function acceptsReduce(inputs: readonly Tensor[], attrs: ReduceAttrs): boolean {
  const { axes } = attrs;
  return acceptsFloat32(inputs) && axes.every((a, i) => i === 0 || a > axes[i - 1]);
}

/** Maximal runs of adjacent axes, last run first: [[2, 3], [0]] for [0, 2, 3]. */
function adjacentRuns(axes: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && a === last[last.length - 1] + 1) last.push(a);
    else runs.push([a]);
  }
  return runs.reverse();
}

/** [outer, reduced, inner] sizes of x for a block of axes. */
function split3(shape: readonly number[], axes: readonly number[]): [number, number, number] {
  const first = axes.length ? axes[0] : shape.length;
  const last = axes.length ? axes[axes.length - 1] : shape.length - 1;
  const prod = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  return [prod(0, first), prod(first, last + 1), prod(last + 1, shape.length)];
}

/** The wasm kernel of sum, max or min over any axes (float32). */
export function reduceKernel(op: WasmReduceOp): Kernel<ReduceAttrs> {
  const code = CODES[op];
  return ([x], { axes }, [outType]) => {
    const out = Tensor.empty(outType.shape as number[], 'float32', x.device);
    if (out.size === 0) return [out];
    const runs = adjacentRuns(axes);
    return [
      withArena(() => {
        if (runs.length <= 1) {
          const [outer, red, inner] = split3(x.shape, axes);
          if (inner === 1 && x.isContiguous()) return streamRows(code, x, outer, red, out);
        }
        // Reduced dims stay as size 1, so the axes of the earlier runs keep their positions.
        const shape = [...x.shape];
        let src = stageContiguous(x);
        for (const run of runs.length > 0 ? runs : [[]]) {
          src = reduceBlock(code, src, shape, run);
          for (const a of run) shape[a] = 1;
        }
        return fillFrom(src, out);
      }),
    ];
  };
}

/** Reduces the adjacent axes `run` of the contiguous data at `src` (of `shape`) into new arena space. */
function reduceBlock(code: number, src: number, shape: readonly number[], run: readonly number[]): number {
  const { exports } = wasmKernels();
  const [outer, red, inner] = split3(shape, run);
  const dst = alloc(outer * inner * 4);
  if (inner === 1) exports.reduceRows(code, src, dst, outer, red);
  else exports.reduceCols(code, src, dst, outer, red, inner, alloc(inner * 8));
  return dst;
}

/** Rows of a contiguous x streamed through a chunk buffer; rows longer than a chunk in pieces. */
function streamRows(code: number, x: Tensor, rows: number, n: number, out: Tensor): Tensor {
  const { exports } = wasmKernels();
  const src = x.storage.data;
  const dst = out.storage.data as Float32Array;
  const buf = alloc(Math.min(Math.max(n, 1) * rows, CHUNK) * 4);
  const res = alloc(rows * 4);
  const heap = heapF32();
  if (n <= CHUNK) {
    const perChunk = Math.max(1, Math.floor(CHUNK / Math.max(n, 1)));
    for (let r = 0; r < rows; r += perChunk) {
      const count = Math.min(perChunk, rows - r);
      const start = x.offset + r * n;
      heap.set(src.subarray(start, start + count * n), buf >> 2);
      exports.reduceRows(code, buf, res + r * 4, count, n);
    }
    dst.set(heap.subarray(res >> 2, (res >> 2) + rows));
    return out;
  }
  for (let r = 0; r < rows; r++) {
    let acc = code === CODES.sum ? 0 : code === CODES.max ? -Infinity : Infinity;
    for (let i = 0; i < n; i += CHUNK) {
      const m = Math.min(CHUNK, n - i);
      const start = x.offset + r * n + i;
      heap.set(src.subarray(start, start + m), buf >> 2);
      if (code === CODES.sum) acc += exports.sumF64(buf, m);
      else {
        exports.reduceRows(code, buf, res, 1, m);
        acc = code === CODES.max ? Math.max(acc, heap[res >> 2]) : Math.min(acc, heap[res >> 2]);
      }
    }
    dst[r] = acc;
  }
  return out;
}
