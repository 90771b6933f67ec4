/** @file max/min/argmax/argmin beyond the op table: tie-splitting gradients, dtypes, forward mode. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';
import { expectJvpMatchesFiniteDifferences } from '../../helpers/jvp.js';

const leaf = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64', requiresGrad: true });

describe('max / min gradient', () => {
  it('splits the gradient evenly among tied maxima (as torch.amax)', () => {
    const x = leaf([[1, 3, 3], [3, 1, 3]]);
    fg.max(x).backward();
    expectClose(x.grad!.toArray(), [[0, 0.25, 0.25], [0.25, 0, 0.25]]);
  });

  it('splits per reduction group along an axis, with keepDim and an upstream gradient', () => {
    const x = leaf([[2, 2, 1], [0, 5, -1]]);
    const [g] = fg.autograd.grad(fg.min(x, 1, true), [x], { gradOutputs: fg.tensor([[4], [10]], { dtype: 'float64' }) });
    expectClose(g.toArray(), [[0, 0, 4], [0, 0, 10]]);
    const [h] = fg.autograd.grad(fg.max(x, 1), [x], { gradOutputs: fg.tensor([4, 10], { dtype: 'float64' }) });
    expectClose(h.toArray(), [[2, 2, 0], [0, 10, 0]]);
  });

  it('gives NaN gradients where the result is NaN, as PyTorch', () => {
    const x = leaf([[1, NaN], [2, 3]]);
    fg.sum(fg.max(x, 1)).backward();
    const g = x.grad!.toArray() as number[][];
    expect(g[0].every(Number.isNaN)).toBe(true);
    expectClose(g[1], [0, 1]);
  });

  it('matches finite differences in forward mode', () => {
    const x = randomTensor([3, 4], 1);
    const t = randomTensor([3, 4], 2);
    expectJvpMatchesFiniteDifferences((a) => fg.max(a, 1), [x], [t]);
    expectJvpMatchesFiniteDifferences((a) => fg.min(a, [0, 1], true), [x], [t]);
    expectJvpMatchesFiniteDifferences((a) => fg.max(a.transpose(0, 1), -1), [x], [t]);
  });

  it('splits the tangent among ties in forward mode (the average of their tangents)', () => {
    const [, tOut] = fg.jvp((a) => fg.max(a), [fg.tensor([5, 1, 5], { dtype: 'float64' })], [fg.tensor([2, 7, 4], { dtype: 'float64' })]);
    expect(tOut.item()).toBe(3);
  });
});

describe('max / min / argmax dtypes and shapes', () => {
  it('keeps the input dtype for max and min', () => {
    for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
      const x = fg.tensor([[1, 0], [0, 1]], { dtype });
      expect(fg.max(x, 0).dtype).toBe(dtype);
      expect(fg.min(x).dtype).toBe(dtype);
    }
    expect(fg.max(fg.tensor([false, true])).item()).toBe(true);
  });

  it('returns int32 indices; without an axis a 0-d index into the flattened tensor', () => {
    const x = fg.tensor([[1, 9], [9, 2]]);
    const flat = fg.argmax(x);
    expect([flat.dtype, flat.shape, flat.item()]).toEqual(['int32', [], 1]);
    expect(fg.argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(fg.argmin(x, 0).dtype).toBe('int32');
    expect(x.argmax(1).toArray()).toEqual([1, 0]);
    expect(x.max(1, true).shape).toEqual([2, 1]);
  });

  it('reads non-contiguous inputs in place', () => {
    const x = fg.tensor([[1, 8, 3], [7, 2, 9]]).transpose(0, 1);
    expect(fg.max(x, 1).toArray()).toEqual([7, 8, 9]);
    expect(fg.argmin(x, 0).toArray()).toEqual([0, 1]);
    expect(fg.argmax(x).item()).toBe(5);
  });

  it('records no gradient for argmax', () => {
    const x = leaf([1, 2]);
    const i = fg.argmax(x);
    expect(i.requiresGrad).toBe(false);
    expect(i.gradFn).toBeNull();
  });
});
