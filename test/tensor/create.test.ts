/** @file Tensor constructors: fg.tensor from JS data, and the fill patterns. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

describe('fg.tensor', () => {
  it('makes a 0-d tensor from a number or a boolean', () => {
    const x = fg.tensor(3.5);
    expect([x.shape, x.dtype, x.item()]).toEqual([[], 'float32', 3.5]);
    const b = fg.tensor(true);
    expect([b.shape, b.dtype, b.item()]).toEqual([[], 'bool', true]);
  });

  it('infers the shape of nested arrays', () => {
    const x = fg.tensor([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(x.shape).toEqual([2, 1, 3]);
    expect(x.toArray()).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(fg.tensor([]).shape).toEqual([0]);
    expect(fg.tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('infers dtype: numbers float32, all-booleans bool, a mix numeric', () => {
    expect(fg.tensor([1, 2]).dtype).toBe('float32');
    expect(fg.tensor([[true], [false]]).dtype).toBe('bool');
    expect(fg.tensor([]).dtype).toBe('float32');
    const mixed = fg.tensor([true, 2]);
    expect(mixed.dtype).toBe('float32');
    expect(mixed.toArray()).toEqual([1, 2]);
    expect(fg.tensor([2, false]).toArray()).toEqual([2, 0]);
  });

  it('keeps the dtype of a TypedArray', () => {
    expect(fg.tensor(new Float32Array([1])).dtype).toBe('float32');
    expect(fg.tensor(new Float64Array([1])).dtype).toBe('float64');
    expect(fg.tensor(new Int32Array([1])).dtype).toBe('int32');
    expect(fg.tensor(new Uint8Array([1])).dtype).toBe('bool');
  });

  it('converts to an explicit dtype', () => {
    expect(fg.tensor([1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(fg.tensor([0, 2, -1], { dtype: 'bool' }).toArray()).toEqual([false, true, true]);
    expect(fg.tensor([true, false], { dtype: 'float64' }).toArray()).toEqual([1, 0]);
    expect(fg.tensor(new Float64Array([0.1]), { dtype: 'float32' }).item()).toBe(Math.fround(0.1));
    // Every non-zero is true, as Boolean(0.5) (a typed-array set would truncate 0.5 to 0).
    expect(fg.tensor(new Float32Array([0, 0.5, -3]), { dtype: 'bool' }).toArray()).toEqual([false, true, true]);
  });

  it('stores bools as 0/1 even from a Uint8Array holding other values', () => {
    const b = fg.tensor(new Uint8Array([0, 5, 255]));
    expect(b.toArray()).toEqual([false, true, true]);
    expect(b.int().toArray()).toEqual([0, 1, 1]);
  });

  it('copies its input', () => {
    const data = new Float32Array([1, 2]);
    const t = fg.tensor(data);
    data[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
    const nested = [[1, 2]];
    const u = fg.tensor(nested);
    nested[0][0] = 9;
    expect(u.toArray()).toEqual([[1, 2]]);
  });

  it('keeps NaN and infinities in float tensors', () => {
    const x = fg.tensor([NaN, Infinity, -Infinity]);
    expect(x.toArray()).toEqual([NaN, Infinity, -Infinity]);
  });

  it('applies requiresGrad and device options', () => {
    const x = fg.tensor([1], { requiresGrad: true, device: 'cpu:0' });
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(true);
    expect(x.device).toBe('cpu:0');
    expect(fg.tensor([1]).device).toBe('cpu');
  });

  describe('rejects bad data with a ValueError naming tensor and data', () => {
    const cases: [string, unknown, RegExp][] = [
      ['undefined', undefined, /expected a number, boolean, nested array or TypedArray, got undefined/],
      ['null', null, /expected a number, boolean, nested array or TypedArray, got null/],
      ['a string', 'abc', /expected a number, boolean, nested array or TypedArray, got "abc"/],
      ['a string element', [[1, 'a']], /expected numbers or booleans \(possibly nested in arrays\), got an element that is "a"/],
      ['an undefined element (a hole)', [1, undefined, 3], /expected numbers or booleans .*, got an element that is undefined/],
      ['a plain object', { length: 2 }, /expected a number, boolean, nested array or TypedArray, got an Object/],
      ['a tensor', fg.tensor([1]), /got a float32 tensor of shape \[1\]/],
      ['a bigint', 1n, /got 1n \(a bigint\)/],
      ['an Int8Array', new Int8Array(2), /expected a Float32Array, Float64Array, Int32Array or Uint8Array, got an Int8Array/],
      ['a TypedArray inside an array', [new Float32Array(2)], /expected numbers or booleans .*, got an element that is a Float32Array/],
    ];
    it.each(cases)('%s', (_label, data, message) => {
      expectFlowgradError(() => fg.tensor(data as never), new RegExp(`^tensor: argument 'data' (expected .*)?${message.source}`));
    });
  });

  describe('rejects ragged arrays, saying where', () => {
    it.each([
      [[[1, 2], [3]], /expected a rectangular nested array \(data\[0\] has shape \[2\]\), got data\[1\] with shape \[1\]/],
      [[[1, 2], 3], /expected a rectangular nested array \(data\[0\] has shape \[2\]\), got data\[1\] with shape \[\]/],
      [[1, [2, 3]], /expected a rectangular nested array \(data\[0\] has shape \[\]\), got data\[1\] with shape \[2\]/],
      [[[[1], [2]], [[1], [2, 3]]], /expected a rectangular nested array \(data\[1\]\[0\] has shape \[1\]\), got data\[1\]\[1\] with shape \[2\]/],
      [[[], [1]], /expected a rectangular nested array \(data\[0\] has shape \[0\]\), got data\[1\] with shape \[1\]/],
    ])('%j', (data, message) => {
      expectFlowgradError(() => fg.tensor(data as never), new RegExp(`^tensor: argument 'data' ${message.source}`));
    });
  });

  it('rejects a cyclic array instead of overflowing the stack', () => {
    const a: unknown[] = [1];
    a.push(a);
    expectFlowgradError(() => fg.tensor(a as never), /tensor: argument 'data' expected nested arrays at most 64 levels deep/);
  });

  it('rejects NaN, infinities and out-of-range values for int32 and bool', () => {
    expectFlowgradError(() => fg.tensor([1, NaN], { dtype: 'int32' }), /^tensor: argument 'data' expected finite values for dtype int32, got NaN/);
    expectFlowgradError(() => fg.tensor([Infinity], { dtype: 'int32' }), /expected finite values for dtype int32, got Infinity/);
    expectFlowgradError(() => fg.tensor(new Float32Array([NaN]), { dtype: 'int32' }), /expected finite values for dtype int32, got NaN/);
    expectFlowgradError(() => fg.tensor([NaN], { dtype: 'bool' }), /expected finite values for dtype bool, got NaN/);
    expectFlowgradError(() => fg.tensor([2 ** 40], { dtype: 'int32' }), /expected values in the int32 range \[-2147483648, 2147483647\], got 1099511627776/);
    expect(fg.tensor([2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' }).toArray()).toEqual([2 ** 31 - 1, -(2 ** 31)]);
  });

  describe('rejects bad options, naming the option', () => {
    it.each([
      [5, /^tensor: argument 'opts' expected an options object \{ dtype\?, requiresGrad\?, device\? \}, got 5/],
      [[1], /^tensor: argument 'opts' expected an options object/],
      [{ dtype: 'float16' }, /^tensor: argument 'dtype' expected one of float32, float64, int32, bool, got "float16"/],
      [{ dtype: 'int' }, /^tensor: argument 'dtype' expected one of float32, float64, int32, bool, got "int"/],
      [{ device: 'gpu' }, /^tensor: argument 'device' expected a device name such as 'cpu' or 'cpu:0', got "gpu"/],
      [{ device: 0 }, /^tensor: argument 'device' expected a device name .*, got 0/],
      [{ requiresGrad: 'yes' }, /^tensor: argument 'requiresGrad' expected a boolean, got "yes"/],
    ])('%j', (opts, message) => expectFlowgradError(() => fg.tensor([1], opts as never), message));

    it('requiresGrad on an int tensor is a DTypeError', () => {
      expectFlowgradError(() => fg.tensor([1], { dtype: 'int32', requiresGrad: true }), /requiresGrad: argument 'self' expected dtype float32 or float64 .*, got int32/);
      expect(() => fg.tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(fg.DTypeError);
    });
  });
});

describe('fill patterns', () => {
  it('zeros, ones and full', () => {
    expect(fg.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(fg.ones([3], { dtype: 'int32' }).toArray()).toEqual([1, 1, 1]);
    expect(fg.ones([3], { dtype: 'int32' }).dtype).toBe('int32');
    expect(fg.full([2], 7).dtype).toBe('float32');
    expect(fg.full([2], true).toArray()).toEqual([true, true]);
    expect(fg.full([2], 1.5, { dtype: 'int32' }).toArray()).toEqual([1, 1]);
    expect(fg.full([1], NaN).toArray()).toEqual([NaN]);
    expect(fg.zeros([]).shape).toEqual([]);
    expect(fg.zeros([2, 0]).size).toBe(0);
  });

  it('zerosLike and onesLike copy shape, dtype and device', () => {
    const t = fg.tensor([[1, 2]], { dtype: 'int32', device: 'cpu:1' });
    const z = fg.zerosLike(t);
    expect([z.shape, z.dtype, z.device, z.toArray()]).toEqual([[1, 2], 'int32', 'cpu:1', [[0, 0]]]);
    expect(fg.onesLike(t, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('reject bad shapes and values naming the function', () => {
    expectFlowgradError(() => fg.zeros([2, -1]), /^zeros: argument 'shape' expected an array of non-negative integers, got an array of length 2/);
    expectFlowgradError(() => fg.ones([NaN]), /^ones: argument 'shape' expected an array of non-negative integers/);
    expectFlowgradError(() => fg.zeros(3 as never), /^zeros: argument 'shape' expected an array of non-negative integers, got 3/);
    expectFlowgradError(() => fg.zeros(undefined as never), /^zeros: argument 'shape' .*, got undefined/);
    expectFlowgradError(() => fg.full([2], 'a' as never), /^full: argument 'value' expected a number or boolean, got "a"/);
    expectFlowgradError(() => fg.full([2], NaN, { dtype: 'int32' }), /^full: argument 'value' expected finite values for dtype int32, got NaN/);
    expectFlowgradError(() => fg.zerosLike(undefined as never), /^zerosLike: argument 'self' expected a Tensor, got undefined/);
    expectFlowgradError(() => fg.onesLike([1, 2] as never), /^onesLike: argument 'self' expected a Tensor/);
  });

  it('reports a shape too large to allocate as a ValueError, not a RangeError', () => {
    expectFlowgradError(() => fg.zeros([1e10]), /^zeros: argument 'shape' expected a shape whose elements fit in one typed array, got \[10000000000\]/);
    expectFlowgradError(() => fg.eye(1e6), /^eye: argument 'n' expected a shape whose elements fit/);
    expectFlowgradError(() => fg.linspace(0, 1, 1e10), /^linspace: argument 'steps' expected a shape whose elements fit/);
  });
});

describe('arange', () => {
  it('arange(stop) and arange(start, stop, step) are int32 when all are integers', () => {
    const a = fg.arange(5);
    expect([a.dtype, a.toArray()]).toEqual(['int32', [0, 1, 2, 3, 4]]);
    expect(fg.arange(2, 8, 3).toArray()).toEqual([2, 5]);
    expect(fg.arange(3, 3).toArray()).toEqual([]);
  });

  it('is float32 when any argument is fractional', () => {
    const a = fg.arange(0, 2, 0.5);
    expect([a.dtype, a.toArray()]).toEqual(['float32', [0, 0.5, 1, 1.5]]);
    expect(fg.arange(0.5, 3).toArray()).toEqual([0.5, 1.5, 2.5]);
    expect(fg.arange(0, 1, 0.1).size).toBe(10);
  });

  it('counts down with a negative step, and is empty when the step points away', () => {
    expect(fg.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(fg.arange(0, 5, -1).toArray()).toEqual([]);
  });

  it('takes options in place of a missing stop or step', () => {
    expect(fg.arange(3, { dtype: 'float64' } as never).dtype).toBe('float64');
    const b = fg.arange(1, 4, { dtype: 'float64' } as never);
    expect([b.dtype, b.toArray()]).toEqual(['float64', [1, 2, 3]]);
    expect(fg.arange(0, 3, 1, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('rejects a zero step and non-finite bounds', () => {
    expectFlowgradError(() => fg.arange(0, 5, 0), /^arange: argument 'step' expected a non-zero number, got 0/);
    expectFlowgradError(() => fg.arange(0, Infinity), /^arange: argument 'stop' expected a finite number, got Infinity/);
    expectFlowgradError(() => fg.arange('a' as never), /^arange: argument 'start' expected a finite number, got "a"/);
    expectFlowgradError(() => fg.arange(0, 2 ** 40, 2 ** 38), /^arange: argument 'stop' expected values in the int32 range/);
  });
});

describe('eye and linspace', () => {
  it('eye(n) is the identity', () => {
    expect(fg.eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(fg.eye(2, { dtype: 'bool' }).toArray()).toEqual([[true, false], [false, true]]);
    expect(fg.eye(0).shape).toEqual([0, 0]);
    expectFlowgradError(() => fg.eye(-1), /^eye: argument 'n' expected a non-negative integer, got -1/);
    expectFlowgradError(() => fg.eye(2.5), /^eye: argument 'n' expected a non-negative integer, got 2.5/);
  });

  it('linspace includes both ends', () => {
    expect(fg.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(fg.linspace(1, -1, 3).toArray()).toEqual([1, 0, -1]);
    expect(fg.linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(fg.linspace(2, 3, 0).toArray()).toEqual([]);
    expect(fg.linspace(0, 1, 3, { dtype: 'float64' }).dtype).toBe('float64');
    expectFlowgradError(() => fg.linspace(0, 1, -1), /^linspace: argument 'steps' expected a non-negative integer, got -1/);
    expectFlowgradError(() => fg.linspace(0, NaN, 2), /^linspace: argument 'end' expected a finite number, got NaN/);
  });
});
