/** @file The wasm reductions (sum, max, min) and softmax/logSoftmax against the reference kernels. */
import { describe, expect, it } from 'vitest';
import { findKernel } from '../../src/kernels/registry.js';
import { CHUNK } from '../../src/kernels/wasm/elementwise.js';
import { ODD_SIZES, expectMatchesReference, f32, permuted, randomF32, sliced, transposed } from './wasmHelpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

/** Sums accumulate in float64 on both sides; only the final rounding differs. */
const TOL = { rtol: 1e-6, atol: 1e-6 };
const EXACT = { rtol: 0, atol: 0 };

describe.skipIf(REFERENCE_ONLY)('wasm reductions', () => {
  for (const op of ['sum', 'max', 'min']) {
    const tol = op === 'sum' ? TOL : EXACT;
    it(`${op} over the last axis, odd sizes`, () => {
      // max and min of nothing are errors (the schema rejects them); a sum of nothing is 0.
      const lengths = op === 'sum' ? [...ODD_SIZES, 0] : ODD_SIZES;
      for (const rows of ODD_SIZES) for (const n of lengths) expectMatchesReference(op, [randomF32([rows, n], rows * 31 + n)], { axes: [1], keepDim: false }, tol);
    });
    it(`${op} over leading, middle and all axes`, () => {
      const x = randomF32([5, 17, 9], 3);
      for (const axes of [[0], [1], [2], [0, 1], [1, 2], [0, 1, 2], []]) {
        for (const keepDim of [false, true]) expectMatchesReference(op, [x], { axes, keepDim }, tol);
      }
    });
    it(`${op} over rows longer than a chunk, and many short rows`, () => {
      expectMatchesReference(op, [randomF32([3, CHUNK * 2 + 7], 4)], { axes: [1], keepDim: false }, tol);
      expectMatchesReference(op, [randomF32([CHUNK + 3, 3], 5)], { axes: [1], keepDim: false }, tol);
      expectMatchesReference(op, [randomF32([CHUNK * 3 + 1], 6)], { axes: [0], keepDim: false }, tol);
    });
    it(`${op} on non-contiguous, size-1 and empty inputs`, () => {
      expectMatchesReference(op, [transposed(randomF32([17, 33], 7))], { axes: [1], keepDim: false }, tol);
      expectMatchesReference(op, [sliced(randomF32([9, 40], 8), [2, 5], [5, 30])], { axes: [0], keepDim: true }, tol);
      expectMatchesReference(op, [permuted(randomF32([4, 5, 6], 9), [2, 0, 1])], { axes: [1, 2], keepDim: false }, tol);
      expectMatchesReference(op, [randomF32([1, 1], 10)], { axes: [0, 1], keepDim: false }, tol);
      expectMatchesReference(op, [randomF32([0, 4], 11)], { axes: [1], keepDim: false }, tol);
      expectMatchesReference(op, [randomF32([4, 0], 12)], { axes: [0], keepDim: false }, tol);
      if (op === 'sum') expectMatchesReference(op, [randomF32([0, 4], 13)], { axes: [0], keepDim: true }, tol);
    });
    it(`${op} propagates NaN and infinities`, () => {
      const x = f32([1, NaN, 3, -Infinity, 2, 5, Infinity, 0, -0, 7, 1, 2], [3, 4]);
      expectMatchesReference(op, [x], { axes: [1], keepDim: false }, tol);
      expectMatchesReference(op, [x], { axes: [0], keepDim: false }, tol);
    });
  }
  it('takes any axis set of a float32 input; float64 goes to the fast JS sum', () => {
    const x = randomF32([3, 4, 5], 1);
    expect(findKernel('sum', 'cpu', 'float32', [x], { axes: [0, 2], keepDim: false })?.backend).toBe('wasm');
    expect(findKernel('sum', 'cpu', 'float32', [x], { axes: [1, 2], keepDim: false })?.backend).toBe('wasm');
    const d = x.double();
    expect(findKernel('sum', 'cpu', 'float64', [d], { axes: [0, 2], keepDim: false })?.backend).toBe('fast');
  });

  for (const op of ['sum', 'max', 'min'] as const) {
    it(`${op} over non-adjacent axes, one block of adjacent axes at a time (conv bias gradients)`, () => {
      const tol = { rtol: 1e-5, atol: 1e-5 };
      const x = randomF32([5, 3, 7, 6, 2], 21);
      for (const axes of [[0, 2], [0, 2, 3], [0, 4], [1, 3], [0, 1, 3, 4], [0, 2, 4]]) {
        for (const keepDim of [false, true]) expectMatchesReference(op, [x], { axes, keepDim }, tol);
      }
      expectMatchesReference(op, [randomF32([32, 6, 28, 28], 22)], { axes: [0, 2, 3], keepDim: false }, tol);
      expectMatchesReference(op, [permuted(randomF32([4, 5, 6], 23), [2, 0, 1])], { axes: [0, 2], keepDim: true }, tol);
      expectMatchesReference(op, [randomF32([3, 0, 4], 24)], { axes: [0, 2], keepDim: false }, tol);
      const special = f32([1, NaN, 3, -Infinity, 2, 5, Infinity, 0, -0, 7, 1, 2], [2, 3, 2]);
      expectMatchesReference(op, [special], { axes: [0, 2], keepDim: false }, tol);
    });
  }
});

/**
 * Float32 exponentials (~1e-7 relative each): softmax is accurate relative to its values,
 * logSoftmax to the scale of its inputs (a log-probability near 0 carries the error of 1).
 */
const SOFTMAX_TOL = { softmax: { rtol: 2e-6, atol: 1e-7 }, logSoftmax: { rtol: 2e-6, atol: 2e-6 } };

describe.skipIf(REFERENCE_ONLY)('wasm softmax and logSoftmax', () => {
  for (const op of ['softmax', 'logSoftmax'] as const) {
    const tol = SOFTMAX_TOL[op];
    it(`${op} over the last axis`, () => {
      for (const rows of ODD_SIZES) for (const n of [1, 3, 10, 17, 65]) expectMatchesReference(op, [randomF32([rows, n], rows + n, -10, 10)], { axis: 1 }, tol);
      expectMatchesReference(op, [randomF32([2, CHUNK + 5], 3, -5, 5)], { axis: 1 }, tol);
    });
    it(`${op} on huge logits, views, trailing size-1 dims and 0-d`, () => {
      expectMatchesReference(op, [f32([1000, 0, -1000, 999, 1, 2, 3, 4], [2, 4])], { axis: 1 }, tol);
      expectMatchesReference(op, [transposed(randomF32([7, 5], 4, -3, 3))], { axis: 1 }, tol);
      expectMatchesReference(op, [randomF32([3, 6, 1, 1], 5)], { axis: 1 }, tol);
      expectMatchesReference(op, [randomF32([], 6)], { axis: 0 }, tol);
      expectMatchesReference(op, [randomF32([0, 5], 7)], { axis: 1 }, tol);
    });
    it(`${op} over a middle axis stays with the reference kernel`, () => {
      const x = randomF32([3, 4, 5], 1);
      expect(findKernel(op, 'cpu', 'float32', [x], { axis: 1 })?.backend).toBe('reference');
    });
  }
});
