/** @file The reference matmul kernel on strided layouts, against a naive triple loop. */
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/index.js';
import { matmulKernel } from '../../../src/kernels/reference/matmul.js';
import { makeView } from '../../../src/kernels/reference/views.js';
import type { DType } from '../../../src/tensor/dtype.js';
import { ARRAY_OF } from '../../../src/tensor/dtype.js';
import { contiguousStrides } from '../../../src/tensor/shape.js';

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;

/**
 * A [rows, cols] matrix (with optional batch dims) stored in a larger buffer in the given
 * dim order, at an offset, with `gap` − 1 unused slots after each element: every element
 * is reachable only through the strides.
 */
function stridedMatrix(shape: number[], order: number[], dtype: DType, gap = 1): Tensor {
  const physical = order.map((d) => shape[d]);
  const physicalStrides = contiguousStrides(physical).map((s) => s * gap);
  const strides = shape.map((_, d) => physicalStrides[order.indexOf(d)]);
  const size = 3 + gap * physical.reduce((a, b) => a * b, 1);
  const data = new ARRAY_OF[dtype](size).map(() => (dtype === 'int32' ? Math.round(rand() * 1e9) : rand()));
  return makeView(Tensor.fromData(data, [size], dtype), shape, strides, 3);
}

function naive(a: number[][][], b: number[][][], intMath: boolean): number[][][] {
  return a.map((am, t) =>
    am.map((row) =>
      b[t][0].map((_, j) => row.reduce((s, v, p) => (intMath ? (s + Math.imul(v, b[t][p][j])) | 0 : s + v * b[t][p][j]), 0)),
    ),
  );
}

const orders = { rowMajor: [0, 1, 2], transposed: [0, 2, 1], batchInner: [1, 2, 0], batchLast: [2, 1, 0] };

describe.each(['float64', 'float32', 'int32'] as const)('reference matmul kernel (%s)', (dtype) => {
  it.each(Object.entries(orders).flatMap(([na, oa]) => Object.entries(orders).map(([nb, ob]) => [na, oa, nb, ob] as const)))(
    'a %s, b %s',
    (_na, orderA, _nb, orderB) => {
      const [batch, k, n] = [3, 5, 6];
      // gap 1 gives unit strides, gap 2 none; m = 1 reads a strided b in place, m = 4 packs it first.
      for (const [gap, m] of [[1, 1], [1, 4], [2, 1], [2, 4]]) {
        const a = stridedMatrix([batch, m, k], orderA, dtype, gap);
        const b = stridedMatrix([batch, k, n], orderB, dtype, gap);
        const [y] = matmulKernel([a, b], {}, [{ shape: [batch, m, n], dtype }]);
        const want = naive(a.toArray(), b.toArray(), dtype === 'int32').flat(2);
        const tol = dtype === 'float32' ? 1e-6 : 1e-12;
        (y.toArray() as number[][][]).flat(2).forEach((v, i) => {
          if (dtype === 'int32') expect(v).toBe(want[i]);
          else expect(Math.abs(v - want[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i])));
        });
      }
    },
  );

  it('broadcasts a stride-0 batch operand', () => {
    const a = stridedMatrix([2, 3], [0, 1], dtype);
    const b = stridedMatrix([4, 3, 2], [0, 1, 2], dtype);
    const aBatched = makeView(a, [4, 2, 3], [0, ...a.strides]);
    const [y] = matmulKernel([aBatched, b], {}, [{ shape: [4, 2, 2], dtype }]);
    const want = naive(aBatched.toArray(), b.toArray(), dtype === 'int32');
    const tol = dtype === 'float32' ? 1e-6 : 1e-12;
    (y.toArray() as number[][][]).flat(2).forEach((v, i) => expect(Math.abs(v - want.flat(2)[i])).toBeLessThanOrEqual(tol * 4));
  });
});
