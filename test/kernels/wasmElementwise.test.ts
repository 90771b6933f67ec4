/** @file The wasm elementwise kernels against the reference kernels. */
import { describe, expect, it } from 'vitest';
import { CHUNK } from '../../src/kernels/wasm/elementwise.js';
import { WASM_OPS } from '../../src/kernels/wasm/index.js';
import { ODD_SIZES, expanded, expectMatchesReference, f32, permuted, randomF32, sliced, transposed } from './wasmHelpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

/** ~2 ulp of float32 (the polynomial approximations) on top of the reference's rounding. */
const TOL = { rtol: 1e-6, atol: 1e-37 };
const EXACT = { rtol: 0, atol: 0 };
const TRANSCENDENTAL = new Set(['exp', 'log', 'tanh', 'sigmoid']);
const tolOf = (op: string) => (TRANSCENDENTAL.has(op) ? TOL : op === 'div' ? TOL : EXACT);

/** Inputs in the op's interesting range (log and sqrt on positives, exp across its range). */
function inputFor(op: string, shape: number[], seed: number) {
  if (op === 'log' || op === 'sqrt') return randomF32(shape, seed, 1e-6, 50);
  if (op === 'exp') return randomF32(shape, seed, -100, 90);
  if (op === 'tanh' || op === 'sigmoid') return randomF32(shape, seed, -20, 20);
  return randomF32(shape, seed, -3, 3);
}

const SPECIALS = [0, -0, 1, -1, 0.5, 1e-30, -1e-30, 1e-40, 88.7, 88.8, -87.4, -103, -104, 200, -200, Infinity, -Infinity, NaN, 3.4e38, -3.4e38, 0.625, -0.625, 0.6249, 9, -9];

describe.skipIf(REFERENCE_ONLY)('wasm unary kernels', () => {
  it('every op on every length near the unrolled loops\' edges', () => {
    for (const op of WASM_OPS.unary) {
      for (let n = 1; n <= 70; n++) expectMatchesReference(op, [inputFor(op, [n], n)], {}, tolOf(op));
    }
  });
  for (const op of WASM_OPS.unary) {
    it(`${op} matches the reference on odd sizes`, () => {
      for (const n of [...ODD_SIZES, CHUNK + 5]) expectMatchesReference(op, [inputFor(op, [n], n)], {}, tolOf(op));
    });
    it(`${op} on special values`, () => {
      expectMatchesReference(op, [f32(SPECIALS)], {}, tolOf(op));
    });
    it(`${op} on a tensor large enough for the thread pool`, () => {
      expectMatchesReference(op, [inputFor(op, [2 ** 18 + 13], 5)], {}, tolOf(op));
    });
    it(`${op} on a dense sweep of its range`, () => {
      const values = Array.from({ length: 20001 }, (_, i) => (op === 'log' || op === 'sqrt' ? 1e-3 * 1.0012 ** i : -110 + i * 0.01));
      expectMatchesReference(op, [f32(values)], {}, tolOf(op));
    });
    it(`${op} on non-contiguous, empty and size-1 inputs`, () => {
      const x = inputFor(op, [17, 33], 7);
      expectMatchesReference(op, [transposed(x)], {}, tolOf(op));
      expectMatchesReference(op, [sliced(x, [2, 3], [9, 20])], {}, tolOf(op));
      expectMatchesReference(op, [inputFor(op, [0, 5], 1)], {}, tolOf(op));
      expectMatchesReference(op, [inputFor(op, [1, 1, 1], 2)], {}, tolOf(op));
      expectMatchesReference(op, [inputFor(op, [], 3)], {}, tolOf(op));
    });
  }
});

describe.skipIf(REFERENCE_ONLY)('wasm binary kernels', () => {
  const cases: [string, number[], number[]][] = [
    ['same shape', [65, 3], [65, 3]],
    ['long', [CHUNK * 2 + 3], [CHUNK * 2 + 3]],
    ['scalar right', [17, 5], []],
    ['scalar left', [], [127]],
    ['size-1 right', [3, 17], [1, 1]],
    ['row broadcast (bias)', [33, 17], [17]],
    ['column broadcast', [33, 17], [33, 1]],
    ['both broadcast', [5, 1, 7], [1, 3, 1]],
    ['leading dims', [2, 3, 4, 5], [4, 5]],
    ['empty', [0, 3], [3]],
    ['size 1', [1], [1]],
  ];
  for (const op of WASM_OPS.binary) {
    it(`${op} matches the reference under broadcasting`, () => {
      for (const [, sa, sb] of cases) {
        const a = randomF32(sa, 11, -3, 3);
        const b = op === 'div' ? randomF32(sb, 12, 0.5, 3) : randomF32(sb, 12, -3, 3);
        expectMatchesReference(op, [a, b], {}, tolOf(op));
      }
    });
    it(`${op} on transposed, sliced and expanded views`, () => {
      const a = randomF32([17, 33], 21);
      const b = randomF32([33, 17], 22, 0.5, 2);
      expectMatchesReference(op, [a, transposed(b)], {}, tolOf(op));
      expectMatchesReference(op, [transposed(b), a], {}, tolOf(op));
      expectMatchesReference(op, [sliced(a, [1, 2], [5, 7]), sliced(transposed(b), [3, 1], [5, 7])], {}, tolOf(op));
      expectMatchesReference(op, [expanded(randomF32([7], 3), [5, 7]), sliced(a, [0, 0], [5, 7])], {}, tolOf(op));
      expectMatchesReference(op, [permuted(randomF32([2, 3, 4], 4), [2, 0, 1]), randomF32([4, 2, 3], 5, 0.5, 2)], {}, tolOf(op));
    });
    it(`${op} on special values`, () => {
      const a = f32([...SPECIALS, ...SPECIALS]);
      const b = f32([...SPECIALS, ...[...SPECIALS].reverse()]);
      expectMatchesReference(op, [a, b], {}, tolOf(op));
    });
  }
  /** Lengths around the 4-vector unrolled loops and their tails, and across chunk edges. */
  const LENGTHS = [...Array.from({ length: 70 }, (_, i) => i + 1), 127, 128, 129, 1023, CHUNK - 1, CHUNK, 2 * CHUNK + 9];
  for (const op of WASM_OPS.binary) {
    it(`${op} on every length near the unrolled loops' edges, with scalar operands`, () => {
      for (const n of LENGTHS) {
        const a = randomF32([n], n, -3, 3);
        const b = op === 'div' ? randomF32([n], n + 1, 0.5, 3) : randomF32([n], n + 1, -3, 3);
        expectMatchesReference(op, [a, b], {}, tolOf(op));
        expectMatchesReference(op, [a, f32([1.75], [])], {}, tolOf(op));
        expectMatchesReference(op, [f32([-1.25], [1]), b], {}, tolOf(op));
        // Rows of a broadcast (the n-d walk's vector-and-scalar rows).
        expectMatchesReference(op, [randomF32([3, n], n + 2, -3, 3), f32([0.5, 2, -1], [3, 1])], {}, tolOf(op));
      }
    });
  }
  for (const op of WASM_OPS.compare) {
    it(`${op} matches the reference on streamed layouts and special values`, () => {
      for (const n of [...ODD_SIZES, CHUNK + 17]) {
        const a = randomF32([n], n, -2, 2);
        // Half the elements equal, so eq/le/ge see ties.
        const b = f32(Array.from(a.dataSync(), (v, i) => (i % 2 ? v : v + 0.5)));
        expectMatchesReference(op, [a, b], {}, EXACT);
        expectMatchesReference(op, [a, f32([0.25], [])], {}, EXACT);
        expectMatchesReference(op, [f32([0], [1]), a], {}, EXACT);
      }
      expectMatchesReference(op, [f32(SPECIALS), f32([...SPECIALS].reverse())], {}, EXACT);
      expectMatchesReference(op, [randomF32([0, 3], 1), randomF32([0, 3], 2)], {}, EXACT);
    });
  }
  it('leaves strided or broadcast comparisons to the reference kernel', async () => {
    const { findKernel } = await import('../../src/kernels/registry.js');
    const a = randomF32([3, 4], 1);
    expect(findKernel('gt', 'cpu', 'float32', [a, randomF32([4], 2)], {})?.backend).toBe('reference');
    expect(findKernel('gt', 'cpu', 'float32', [transposed(randomF32([4, 3], 2)), a], {})?.backend).toBe('reference');
    expect(findKernel('gt', 'cpu', 'float32', [a, randomF32([1], 3)], {})?.backend).toBe('wasm');
  });
  it('leaves float64 and int32 to the reference kernels', async () => {
    const { findKernel } = await import('../../src/kernels/registry.js');
    const { Tensor } = await import('../../src/tensor/tensor.js');
    const d = Tensor.fromData(new Float64Array([1, 2]), [2], 'float64');
    expect(findKernel('add', 'cpu', 'float64', [d, d], {})?.backend).toBe('reference');
    expect(findKernel('exp', 'cpu', 'float64', [d], {})?.backend).toBe('reference');
    const x = randomF32([2], 1);
    expect(findKernel('add', 'cpu', 'float32', [x, x], {})?.backend).toBe('wasm');
  });
});
