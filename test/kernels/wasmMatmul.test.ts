/** @file The wasm matmul kernel against the reference kernel: odd sizes, views, broadcasting. */
import { describe, it } from 'vitest';
import { ODD_SIZES, expanded, expectMatchesReference, permuted, randomF32, sliced, transposed } from './wasmHelpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

/** Float32 dot products of length k: error grows like k·ε·Σ|ab|. */
const tolFor = (k: number) => ({ rtol: 1e-5, atol: 1e-6 * (k + 1) });

describe.skipIf(REFERENCE_ONLY)('wasm matmul kernel', () => {
  it('matches the reference on odd sizes', () => {
    let seed = 1;
    for (const m of ODD_SIZES) {
      for (const k of ODD_SIZES) {
        for (const n of [1, 8, 17, 65]) expectMatchesReference('matmul', [randomF32([m, k], seed++), randomF32([k, n], seed++)], {}, tolFor(k));
      }
    }
  });

  it('takes transposed operands (all four combinations) and sliced ones', () => {
    for (const [m, k, n] of [[17, 65, 33], [127, 129, 65], [5, 300, 9]]) {
      const a = randomF32([m, k], 1);
      const at = transposed(randomF32([k, m], 2));
      const b = randomF32([k, n], 3);
      const bt = transposed(randomF32([n, k], 4));
      for (const [x, y] of [[a, b], [at, b], [a, bt], [at, bt]]) expectMatchesReference('matmul', [x, y], {}, tolFor(k));
    }
    const big = randomF32([40, 50], 5);
    expectMatchesReference('matmul', [sliced(big, [3, 5], [17, 21]), sliced(big, [1, 2], [21, 13])], {}, tolFor(21));
    // A column slice of a wide matrix: too sparse to stage whole, gathered instead.
    const wide = randomF32([30, 400], 6);
    expectMatchesReference('matmul', [sliced(wide, [0, 7], [30, 3]), randomF32([3, 5], 7)], {}, tolFor(3));
  });

  it('computes small-N products as Cᵀ = Bᵀ·Aᵀ (transposed C), for every operand layout', () => {
    let seed = 100;
    for (const [m, k, n] of [[128, 256, 10], [256, 128, 10], [37, 19, 1], [64, 7, 3], [101, 33, 11], [300, 65, 13], [41, 5, 2]]) {
      const a = randomF32([m, k], seed++);
      const at = transposed(randomF32([k, m], seed++));
      const b = randomF32([k, n], seed++);
      const bt = transposed(randomF32([n, k], seed++));
      for (const [x, y] of [[a, b], [at, b], [a, bt], [at, bt]]) expectMatchesReference('matmul', [x, y], {}, tolFor(k));
    }
    // Batched (separate items, and rows folded into one tall product), broadcast and sliced.
    expectMatchesReference('matmul', [randomF32([3, 40, 17], seed++), randomF32([3, 17, 10], seed++)], {}, tolFor(17));
    expectMatchesReference('matmul', [randomF32([4, 30, 9], seed++), randomF32([9, 6], seed++)], {}, tolFor(9));
    expectMatchesReference('matmul', [expanded(randomF32([50, 8], seed++), [2, 50, 8]), randomF32([2, 8, 5], seed++)], {}, tolFor(8));
    const big = randomF32([90, 70], seed++);
    expectMatchesReference('matmul', [sliced(big, [3, 5], [60, 21]), sliced(big, [1, 2], [21, 7])], {}, tolFor(21));
    // Large enough to run on the thread pool.
    expectMatchesReference('matmul', [randomF32([3000, 300], seed++), randomF32([300, 10], seed++)], {}, tolFor(300));
  });

  it('runs large products on the thread pool', () => {
    expectMatchesReference('matmul', [randomF32([200, 300], 8), randomF32([300, 250], 9)], {}, tolFor(300));
    expectMatchesReference('matmul', [transposed(randomF32([513, 130], 10)), transposed(randomF32([257, 513], 11))], {}, tolFor(513));
    expectMatchesReference('matmul', [randomF32([1000, 40], 12), randomF32([40, 3], 13)], {}, tolFor(40));
  });

  it('broadcasts batch dims', () => {
    const cases: [number[], number[]][] = [
      [[2, 3, 5, 7], [7, 4]],
      [[5, 7], [4, 7, 3]],
      [[2, 1, 5, 7], [1, 3, 7, 4]],
      [[3, 17, 65], [3, 65, 9]],
      [[1, 1, 4, 4], [4, 4]],
      [[6, 9, 33], [33, 17]],
    ];
    let seed = 20;
    for (const [sa, sb] of cases) expectMatchesReference('matmul', [randomF32(sa, seed++), randomF32(sb, seed++)], {}, tolFor(sa[sa.length - 1]));
  });

  it('takes expanded (stride 0) and permuted batch dims', () => {
    const a = expanded(randomF32([5, 7], 30), [4, 5, 7]);
    expectMatchesReference('matmul', [a, randomF32([4, 7, 3], 31)], {}, tolFor(7));
    const p = permuted(randomF32([5, 3, 7], 32), [1, 0, 2]);
    expectMatchesReference('matmul', [p, randomF32([7, 6], 33)], {}, tolFor(7));
    expectMatchesReference('matmul', [randomF32([3, 5, 7], 34), permuted(randomF32([6, 3, 7], 35), [1, 2, 0])], {}, tolFor(7));
  });

  it('handles empty and size-1 operands', () => {
    const cases: [number[], number[]][] = [
      [[0, 5], [5, 3]],
      [[4, 0], [0, 3]],
      [[4, 5], [5, 0]],
      [[0, 4, 5], [5, 3]],
      [[1, 1], [1, 1]],
      [[1, 9], [9, 1]],
      [[9, 1], [1, 9]],
    ];
    let seed = 40;
    for (const [sa, sb] of cases) expectMatchesReference('matmul', [randomF32(sa, seed++), randomF32(sb, seed++)], {}, tolFor(9));
  });
});
