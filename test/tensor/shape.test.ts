/** @file Shape helpers: dim normalisation, shape arguments, reshape inference, symbolic sizes. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { checkShapeArg, contiguousStrides, inferReshape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf, symbolicSize } from '../../src/tensor/shape.js';
import { expectFlowgradError } from '../helpers/tensors.js';

describe('normalizeAxis', () => {
  it('maps negative dims from the end', () => {
    expect([0, 1, 2, -1, -2, -3].map((a) => normalizeAxis('op', 'dim', a, 3))).toEqual([0, 1, 2, 2, 1, 0]);
  });

  it('accepts 0 and -1 for a 0-d tensor, as PyTorch does', () => {
    expect(normalizeAxis('op', 'dim', 0, 0)).toBe(0);
    expect(normalizeAxis('op', 'dim', -1, 0)).toBe(0);
  });

  it('rejects out-of-range and non-integer dims with an AxisError naming op and argument', () => {
    expectFlowgradError(() => normalizeAxis('sum', 'dim', 3, 3), /^sum: argument 'dim' expected a dim in \[-3, 2\] for a 3-d tensor, got 3$/);
    expectFlowgradError(() => normalizeAxis('sum', 'dim', -4, 3), /expected a dim in \[-3, 2\] for a 3-d tensor, got -4/);
    expectFlowgradError(() => normalizeAxis('sum', 'dim', 1.5, 3), /got 1.5/);
    expectFlowgradError(() => normalizeAxis('sum', 'dim', 1, 0), /expected a dim in \[-1, 0\] for a 0-d tensor, got 1/);
    // A string dim is shown quoted, so it is not mistaken for the number.
    expectFlowgradError(() => normalizeAxis('sum', 'dim', '1', 3), /got "1"$/);
    expectFlowgradError(() => normalizeAxis('sum', 'dim', undefined, 3), /got undefined$/);
    expect(() => normalizeAxis('sum', 'dim', 5, 3)).toThrow(fg.AxisError);
  });
});

describe('normalizeAxes', () => {
  it('normalises, sorts and defaults to every dim', () => {
    expect(normalizeAxes('op', 'axis', [-1, 0], 3)).toEqual([0, 2]);
    expect(normalizeAxes('op', 'axis', 1, 3)).toEqual([1]);
    expect(normalizeAxes('op', 'axis', undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeAxes('op', 'axis', null, 2)).toEqual([0, 1]);
    expect(normalizeAxes('op', 'axis', [], 3)).toEqual([]);
    expect(normalizeAxes('op', 'axis', undefined, 0)).toEqual([]);
  });

  it('rejects repeated dims (also when spelled differently)', () => {
    expectFlowgradError(() => normalizeAxes('sum', 'axis', [0, -3], 3), /^sum: argument 'axis' expected distinct dims/);
  });
});

describe('checkShapeArg', () => {
  it('accepts arrays of non-negative integers, and one -1 when asked', () => {
    expect(checkShapeArg('op', 'shape', [2, 0, 3])).toEqual([2, 0, 3]);
    expect(checkShapeArg('op', 'shape', [-1, 2], true)).toEqual([-1, 2]);
  });

  it.each([[[2, -1]], [[1.5]], [[NaN]], [['2']], [3], [undefined], [[[2]]]])('rejects %j', (shape) => {
    expectFlowgradError(() => checkShapeArg('zeros', 'shape', shape), /^zeros: argument 'shape' expected an array of non-negative integers/);
  });

  it('rejects two -1s', () => {
    expectFlowgradError(() => checkShapeArg('reshape', 'shape', [-1, -1], true), /expected an array of non-negative integers \(one may be -1\)/);
  });
});

describe('inferReshape', () => {
  it('fills in -1', () => {
    expect(inferReshape('reshape', [2, 3], [-1, 2])).toEqual([3, 2]);
    expect(inferReshape('reshape', [2, 3], [6])).toEqual([6]);
    expect(inferReshape('reshape', [0, 3], [3, 0])).toEqual([3, 0]);
  });

  it('refuses a -1 beside a 0, where any size would do (as PyTorch does)', () => {
    expect(() => inferReshape('reshape', [0, 3], [0, -1])).toThrow(fg.ShapeError);
  });

  it('rejects a size mismatch with a ShapeError', () => {
    expectFlowgradError(() => inferReshape('reshape', [2, 3], [4, -1]), /^reshape: argument 'shape' expected shape with 6 elements, got \[4, -1\]/);
    expect(() => inferReshape('reshape', [2, 3], [5])).toThrow(fg.ShapeError);
  });

  it('lets -1 absorb a symbolic size, but not a product that has no single name', () => {
    expect(inferReshape('reshape', ['batch', 4], [-1, 4])).toEqual(['batch', 4]);
    expect(() => inferReshape('reshape', ['batch', 4], [-1, 2])).toThrow(fg.ShapeError);
  });
});

describe('sizes and strides', () => {
  it('sizeOf, contiguousStrides, shapesEqual', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(contiguousStrides([])).toEqual([]);
    expect(shapesEqual([2, 'n'], [2, 'n'])).toBe(true);
    expect(shapesEqual([2], [2, 1])).toBe(false);
  });

  it('symbolicSize multiplies known dims and names the symbolic ones', () => {
    expect(symbolicSize([2, 3])).toBe(6);
    expect(symbolicSize(['batch', 784])).toBe('batch*784');
    expect(symbolicSize(['batch', 1])).toBe('batch');
    expect(symbolicSize(['batch', 0])).toBe(0);
  });
});
