/** @file matmul beyond the op table: torch.matmul's shape rules, dtype promotion, forward mode. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';
import { expectJvpMatchesFiniteDifferences } from '../../helpers/jvp.js';

describe('matmul shapes (torch.matmul)', () => {
  const cases: [number[], number[], number[]][] = [
    [[3], [3], []],
    [[3], [3, 4], [4]],
    [[2, 3], [3], [2]],
    [[2, 3], [3, 4], [2, 4]],
    [[5, 2, 3], [3], [5, 2]],
    [[3], [5, 3, 4], [5, 4]],
    [[2, 1, 3, 4], [5, 4, 6], [2, 5, 3, 6]],
    [[7, 1, 2, 3], [1, 6, 3, 2], [7, 6, 2, 2]],
    [[0, 2, 3], [3, 4], [0, 2, 4]],
    [[2, 0], [0, 4], [2, 4]],
  ];
  it.each(cases)('%j @ %j → %j', (sa, sb, expected) => {
    expect(fg.matmul(fg.ones(sa), fg.ones(sb)).shape).toEqual(expected);
  });

  it('gives zeros for an empty inner dim', () => {
    expect(fg.matmul(fg.ones([2, 0]), fg.ones([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('agrees with a per-batch loop under broadcasting', () => {
    const a = randomTensor([2, 1, 3, 4], 1);
    const b = randomTensor([5, 4, 6], 2);
    const y = fg.matmul(a, b);
    const rows = y.toArray() as number[][][][];
    const aa = a.toArray() as number[][][][];
    const bb = b.toArray() as number[][][];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 5; j++) {
        const want = aa[i][0].map((row) => bb[j][0].map((_, c) => row.reduce((s, v, p) => s + v * bb[j][p][c], 0)));
        expectClose(rows[i][j], want, 1e-12);
      }
    }
  });
});

describe('matmul dtypes', () => {
  it('promotes like binary ops', () => {
    const i = fg.ones([2, 2], { dtype: 'int32' });
    expect(fg.matmul(i, i).dtype).toBe('int32');
    expect(fg.matmul(i, fg.ones([2, 2])).dtype).toBe('float32');
    expect(fg.matmul(fg.ones([2, 2]), fg.ones([2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(fg.ones([2, 2]).matmul(fg.ones([2, 2])).dtype).toBe('float32');
  });

  it('propagates NaN and Infinity (no skipped zero products)', () => {
    const y = fg.matmul(fg.tensor([[0, 1]]), fg.tensor([[Infinity], [2]]));
    expect(y.item()).toBeNaN();
  });

  it('gives the gradient of an int32 operand to the float one only', () => {
    const w = fg.tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    fg.sum(fg.matmul(fg.tensor([[1, 1]], { dtype: 'int32' }), w)).backward();
    expectClose(w.grad!.toArray(), [[1, 1], [1, 1]]);
  });
});

describe('matmul gradients', () => {
  it('sums the gradient over broadcast batch dims', () => {
    const a = fg.tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
    const b = fg.ones([3, 2, 2], { dtype: 'float64', requiresGrad: true });
    fg.sum(fg.matmul(a, b)).backward();
    expectClose(a.grad!.toArray(), [[6, 6]]);
    expect(b.grad!.shape).toEqual([3, 2, 2]);
    expectClose(b.grad!.toArray(), [0, 1, 2].map(() => [[1, 1], [2, 2]]));
  });

  it('matches finite differences in forward mode', () => {
    expectJvpMatchesFiniteDifferences(fg.matmul, [randomTensor([2, 1, 2, 3], 3), randomTensor([3, 3, 2], 4)], [randomTensor([2, 1, 2, 3], 5), randomTensor([3, 3, 2], 6)]);
    expectJvpMatchesFiniteDifferences(fg.matmul, [randomTensor([3], 7), randomTensor([3], 8)], [randomTensor([3], 9), randomTensor([3], 10)]);
    expectJvpMatchesFiniteDifferences((a, b) => fg.matmul(a.transpose(0, 1), b), [randomTensor([3, 2], 11), randomTensor([3], 12)], [randomTensor([3, 2], 13), randomTensor([3], 14)]);
  });
});
