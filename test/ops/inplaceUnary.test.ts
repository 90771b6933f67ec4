/**
 * @file Unary in-place ops (exp_ log_ sqrt_ tanh_ sigmoid_ relu_ neg_ abs_): the same values
 * as the out-of-place ops, written into self's own memory (no new buffer where the kernel
 * can), through views, with the version counter bumped and bad inputs refused.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { kernelsFor } from '../../src/kernels/registry.js';
import { type Allocator, currentAllocator, setAllocator } from '../../src/tensor/storage.js';
import { expectFlowgradError, randomTensor } from '../helpers/tensors.js';

const OPS = ['exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'neg', 'abs'] as const;
type Op = (typeof OPS)[number];
const positive = (op: Op) => op === 'log' || op === 'sqrt';
const input = (op: Op, shape: number[], seed: number, dtype: fg.DType) =>
  positive(op) ? randomTensor(shape, seed, 0.01, 5, dtype) : randomTensor(shape, seed, -4, 4, dtype);
const outOfPlace = (op: Op, x: fg.Tensor): fg.Tensor => (fg[op] as (t: fg.Tensor) => fg.Tensor)(x);
const inPlace = (op: Op, x: fg.Tensor): fg.Tensor => (x[`${op}_`] as () => fg.Tensor).call(x);

describe('unary in-place ops', () => {
  // Sizes: a few elements, one streamed chunk and a bit, and big enough for the thread pool.
  for (const op of OPS) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${op}_ (${dtype}) equals ${op} and writes into self's own buffer`, () => {
        for (const [size, seed] of [[7, 1], [16384 + 5, 2], [2 ** 18 + 3, 3]]) {
          const x = input(op, [size], seed, dtype);
          const expected = outOfPlace(op, x).toArray();
          const buffer = x.storage.data;
          const version = x.storage.version;
          expect(inPlace(op, x)).toBe(x);
          expect(x.storage.data).toBe(buffer);
          expect(x.storage.version).toBe(version + 1);
          expect(x.toArray()).toEqual(expected);
        }
      });
    }
    it(`${op}_ writes through a contiguous slice and a strided view into the base`, () => {
      const base = input(op, [6, 5], 4, 'float32');
      const rows = base.slice(0, 2, 4);
      const cols = base.transpose(0, 1).slice(0, 1, 3);
      const expectedRows = outOfPlace(op, rows).toArray();
      const untouched = base.slice(0, 0, 2).toArray();
      inPlace(op, rows);
      expect(base.slice(0, 2, 4).toArray()).toEqual(expectedRows);
      expect(base.slice(0, 0, 2).toArray()).toEqual(untouched);
      const expectedCols = outOfPlace(op, cols).toArray();
      inPlace(op, cols);
      expect(base.transpose(0, 1).slice(0, 1, 3).toArray()).toEqual(expectedCols);
    });
  }

  it.runIf(kernelsFor('exp').some((e) => e.writesInto))('allocate no storage on float32 tensors, even big ones (the kernel writes into self)', () => {
    const xs = OPS.map((op, i) => input(op, [2 ** 18 + 3], 10 + i, 'float32'));
    const outer = currentAllocator();
    let allocations = 0;
    const counting: Allocator = { name: 'counting', allocate: (dtype, length, zeroed) => (allocations++, outer.allocate(dtype, length, zeroed)) };
    setAllocator(counting);
    try {
      OPS.forEach((op, i) => inPlace(op, xs[i]));
    } finally {
      setAllocator(outer);
    }
    expect(allocations).toBe(0);
  });

  it('int32 tensors take neg_, abs_ and relu_, but not a float result', () => {
    const i = fg.tensor([-2, 3], { dtype: 'int32' });
    expect(i.neg_().toArray()).toEqual([2, -3]);
    expect(i.abs_().toArray()).toEqual([2, 3]);
    expectFlowgradError(() => i.exp_(), /^exp_: argument 'self' expected dtype float32 \(the result's dtype, which cannot be written back into self; use the out-of-place op\), got int32/);
    expect(i.toArray()).toEqual([2, 3]);
  });

  it('refuse leaves that require grad outside noGrad, expanded views, traced values and non-tensors', () => {
    const w = fg.tensor([1, 2], { requiresGrad: true });
    expectFlowgradError(() => w.exp_(), /^exp_: in-place op on a tensor that requires grad \(a leaf\); wrap it in fg.noGrad/);
    fg.noGrad(() => w.exp_());
    expect(w.toArray()[0]).toBeCloseTo(Math.E, 6);
    expectFlowgradError(() => fg.zeros([1]).expand([3]).tanh_(), /^tanh_: argument 'self' expected a tensor whose elements do not share memory/);
    expectFlowgradError(() => fg.jit((x: fg.Tensor) => x.sigmoid_())(fg.ones([2])), /^sigmoid_: in-place ops cannot be traced/);
    expectFlowgradError(() => fg.relu_(3 as never), /^relu_: argument 'self' expected a Tensor, got 3/);
  });

  it('a saved tensor changed in place is caught by backward', () => {
    const x = fg.tensor([0.5, 1], { requiresGrad: true });
    const y = x.mul(2);
    const z = y.exp();
    fg.noGrad(() => z.exp_());
    expect(() => z.sum().backward()).toThrow(fg.AutogradError);
  });
});
