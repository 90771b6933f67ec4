/** @file prod's gradient with zeros among the inputs, and its forward mode. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';
import { expectJvpMatchesFiniteDifferences } from '../../helpers/jvp.js';

const gradOf = (data: number[][], axis?: number, dtype: fg.DType = 'float64') => {
  const x = fg.tensor(data, { dtype, requiresGrad: true });
  fg.sum(fg.prod(x, axis)).backward();
  return x.grad!.toArray() as number[][];
};

describe('prod gradient', () => {
  it('is the product of the other elements with no zeros', () => {
    expectClose(gradOf([[2, 3, 4]]), [[12, 8, 6]]);
  });

  it('is exact with one zero: only the zero gets a (non-zero) gradient', () => {
    expectClose(gradOf([[2, 0, 3], [0, 5, 1]], 1), [[0, 6, 0], [5, 0, 0]]);
  });

  it('is all zeros with two or more zeros in a group', () => {
    expectClose(gradOf([[0, 2, 0], [0, 0, 0]], 1), [[0, 0, 0], [0, 0, 0]]);
  });

  it('has no NaN in float32 with zeros', () => {
    const g = gradOf([[0, 4, 0.5], [1, 2, 3]], 0, 'float32');
    expectClose(g, [[1, 2, 3], [0, 4, 0.5]]);
  });

  it('gives exact second derivatives with one zero', () => {
    // p = x·y·z at (0, 2, 3): ∂²p/∂x∂y = z = 3, ∂²p/∂x∂z = y = 2, ∂²p/∂y∂z = x = 0.
    const x = fg.tensor([0, 2, 3], { dtype: 'float64', requiresGrad: true });
    const [g] = fg.autograd.grad(fg.prod(x), [x], { createGraph: true });
    const rows = [0, 1, 2].map((i) => fg.autograd.grad(g, [x], { gradOutputs: fg.tensor([0, 1, 2].map((j) => Number(i === j)), { dtype: 'float64' }), retainGraph: true })[0].toArray());
    expectClose(rows, [[0, 3, 2], [3, 0, 0], [2, 0, 0]]);
  });

  it('matches finite differences in forward mode, with and without zeros', () => {
    const t = randomTensor([2, 4], 3);
    expectJvpMatchesFiniteDifferences((a) => fg.prod(a, 1), [randomTensor([2, 4], 4)], [t]);
    expectJvpMatchesFiniteDifferences((a) => fg.prod(a, 1, true), [fg.tensor([[0, 2, 3, 4], [0, 0, 1, 2]], { dtype: 'float64' })], [t]);
    expectJvpMatchesFiniteDifferences((a) => fg.prod(a), [fg.tensor([[0, 2, 3, 4], [1, 3, 1, 2]], { dtype: 'float64' })], [t]);
  });

  it('gives int32 for bool, keeps other dtypes', () => {
    expect(fg.prod(fg.tensor([true, true])).dtype).toBe('int32');
    expect(fg.prod(fg.tensor([2, 3], { dtype: 'int32' })).dtype).toBe('int32');
    expect(fg.prod(fg.tensor([2, 3])).dtype).toBe('float32');
  });
});
