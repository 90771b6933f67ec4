/** @file softmax / logSoftmax beyond the op table: stability, dtypes, forward mode. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';
import { expectJvpMatchesFiniteDifferences } from '../../helpers/jvp.js';

describe('softmax', () => {
  it('stays finite on huge logits', () => {
    const x = fg.tensor([1000, 1000, -1000], { requiresGrad: true });
    const y = fg.softmax(x);
    expectClose(y.toArray(), [0.5, 0.5, 0]);
    const logY = fg.logSoftmax(x);
    expectClose(logY.toArray(), [-Math.LN2, -Math.LN2, -2000 - Math.LN2], 1e-6);
    logY.sum().backward();
    for (const g of x.grad!.dataSync()) expect(Number.isFinite(g)).toBe(true);
  });

  it('computes int inputs in float32', () => {
    const y = fg.softmax(fg.tensor([[0, 1]], { dtype: 'int32' }), 1);
    expect(y.dtype).toBe('float32');
    expectClose(y.toArray(), [[1 / (1 + Math.E), Math.E / (1 + Math.E)]]);
  });

  it('keeps float64 and sums to 1 along the dim', () => {
    const y = fg.softmax(randomTensor([2, 3, 4], 1), 1);
    expect(y.dtype).toBe('float64');
    expectClose(y.sum(1).toArray(), [[1, 1, 1, 1], [1, 1, 1, 1]], 1e-12);
  });

  it('reads strided (transposed) inputs', () => {
    const x = randomTensor([3, 2], 2);
    expectClose(fg.softmax(x.transpose(0, 1), 1).toArray(), fg.softmax(x, 0).transpose(0, 1).toArray(), 1e-12);
  });

  it('logSoftmax equals log of softmax', () => {
    const x = randomTensor([3, 5], 3, -3, 3);
    expectClose(fg.logSoftmax(x).toArray(), fg.softmax(x).log().toArray(), 1e-12);
  });

  it('has JVP rules that match finite differences', () => {
    expectJvpMatchesFiniteDifferences((x) => fg.softmax(x, 0), [randomTensor([3, 2], 4)], [randomTensor([3, 2], 5)]);
    expectJvpMatchesFiniteDifferences((x) => fg.logSoftmax(x), [randomTensor([2, 4], 6)], [randomTensor([2, 4], 7)]);
  });

  it('is available as a method', () => {
    const x = randomTensor([2, 3], 8);
    expectClose(x.softmax(-1).toArray(), fg.softmax(x).toArray());
    expectClose(x.logSoftmax(0).toArray(), fg.logSoftmax(x, 0).toArray());
  });
});
