/** @file dtype promotion: the tensor–tensor lattice and weak typing of JS numbers. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { weakNumberType } from '../../src/tensor/dtype.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const DTYPES: fg.DType[] = ['bool', 'int32', 'float32', 'float64'];
const sample = (dtype: fg.DType) => fg.tensor(dtype === 'bool' ? [true, false] : [1, 2], { dtype });

describe('promoteTypes', () => {
  // bool < int32 < float32 < float64: the higher of the two wins, in either order.
  it.each(DTYPES.flatMap((a, i) => DTYPES.map((b, j) => [a, b, DTYPES[Math.max(i, j)]] as const)))('%s with %s is %s', (a, b, out) => {
    expect(fg.promoteTypes(a, b)).toBe(out);
  });

  it('keeps int32 with float32 at float32 (not NumPy float64)', () => {
    expect(fg.promoteTypes('int32', 'float32')).toBe('float32');
  });

  it('rejects names that are not dtypes', () => {
    expectFlowgradError(() => fg.promoteTypes('float16' as never, 'int32'), /promoteTypes: argument 'a' expected one of float32, float64, int32, bool, got "float16"/);
    expectFlowgradError(() => fg.promoteTypes('int32', undefined as never), /promoteTypes: argument 'b' expected one of .*, got undefined/);
  });
});

describe('binary ops between tensors promote', () => {
  const numeric = DTYPES.filter((d) => d !== 'bool');
  it.each(DTYPES.flatMap((a) => numeric.map((b) => [a, b] as const)))('%s + %s', (a, b) => {
    const out = fg.add(sample(a), sample(b));
    expect(out.dtype).toBe(fg.promoteTypes(a, b));
    expect(fg.add(sample(b), sample(a)).dtype).toBe(out.dtype);
  });

  it('computes in the promoted dtype', () => {
    expect(fg.add(fg.tensor([1], { dtype: 'int32' }), fg.tensor([0.5])).toArray()).toEqual([1.5]);
    expect(fg.mul(fg.tensor([true, false]), fg.tensor([3, 3], { dtype: 'int32' })).toArray()).toEqual([3, 0]);
  });

  it('rejects arithmetic on two bool tensors with a DTypeError', () => {
    expectFlowgradError(() => fg.add(fg.tensor([true]), fg.tensor([false])), /add: argument 'self' expected dtype a numeric dtype, got bool/);
  });
});

describe('JS numbers are weakly typed', () => {
  it('float32 tensor + 1 stays float32, float64 + 1 stays float64', () => {
    expect(fg.tensor([1, 2]).add(1).dtype).toBe('float32');
    expect(fg.tensor([1, 2], { dtype: 'float64' }).add(1.5).dtype).toBe('float64');
  });

  it('a float32 tensor is not widened by a number float32 cannot hold exactly', () => {
    const out = fg.tensor([0]).add(0.1);
    expect(out.dtype).toBe('float32');
    expect(out.item()).toBe(Math.fround(0.1));
  });

  it('int32 + 1 stays int32; int32 + 1.5 gives float32', () => {
    const i = fg.tensor([1, 2], { dtype: 'int32' });
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(1).toArray()).toEqual([2, 3]);
    const f = i.add(1.5);
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual([2.5, 3.5]);
  });

  it('bool + 2 gives int32, and so does bool + 1 (arithmetic on bools is integer arithmetic)', () => {
    const b = fg.tensor([true, false]);
    expect(b.add(2).dtype).toBe('int32');
    expect(b.add(2).toArray()).toEqual([3, 2]);
    expect(b.add(1).dtype).toBe('int32');
    expect(b.add(1).toArray()).toEqual([2, 1]);
    expect(fg.sub(1, b).toArray()).toEqual([0, 1]);
    expect(b.mul(0.5).dtype).toBe('float32');
  });

  it('numbers work in either position of the free functions', () => {
    const x = fg.tensor([1, 2], { dtype: 'int32' });
    expect(fg.sub(10, x).toArray()).toEqual([9, 8]);
    expect(fg.sub(10, x).dtype).toBe('int32');
    expect(fg.div(1, fg.tensor([2, 4])).toArray()).toEqual([0.5, 0.25]);
  });

  it('comparisons with numbers return bool without widening the tensor', () => {
    expect(fg.tensor([1, 2], { dtype: 'int32' }).gt(1.5).toArray()).toEqual([false, true]);
    expect(fg.tensor([true, false]).eq(1).toArray()).toEqual([true, false]);
    expect(fg.tensor([true, false]).eq(1).dtype).toBe('bool');
  });

  it('a JS boolean keeps the tensor dtype', () => {
    expect(fg.where(fg.tensor([true, false]), fg.tensor([true, true]), false as never).dtype).toBe('bool');
    expect(fg.tensor([1, 2], { dtype: 'int32' }).add(true as never).dtype).toBe('int32');
  });

  it('weakNumberType follows the same rules', () => {
    expect(weakNumberType('float32', 1e10)).toBe('float32');
    expect(weakNumberType('int32', 3)).toBe('int32');
    expect(weakNumberType('int32', 0.5)).toBe('float32');
    expect(weakNumberType('bool', 1)).toBe('int32');
    expect(weakNumberType('bool', -2)).toBe('int32');
    expect(weakNumberType('bool', 0.5)).toBe('float32');
  });

  it('two numbers make float32 scalars', () => {
    const out = fg.add(1, 2);
    expect(out.dtype).toBe('float32');
    expect(out.shape).toEqual([]);
    expect(out.item()).toBe(3);
  });
});

describe('floating ops on integer tensors', () => {
  it('exp, sqrt and mean of int32 compute in float32', () => {
    const i = fg.tensor([1, 4], { dtype: 'int32' });
    expect(i.sqrt().dtype).toBe('float32');
    expect(i.sqrt().toArray()).toEqual([1, 2]);
    expect(i.mean().dtype).toBe('float32');
    expect(i.mean().item()).toBe(2.5);
  });

  it('int32 / int32 is true division in float32', () => {
    const out = fg.div(fg.tensor([1, 3], { dtype: 'int32' }), fg.tensor([2, 2], { dtype: 'int32' }));
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([0.5, 1.5]);
  });
});
