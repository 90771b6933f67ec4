/** @file crossEntropy and nllLoss beyond the op table: gradients, forward mode, reductions. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { nllLoss } from '../../../src/ops/nn/nllLoss.js';
import { expectClose, expectFlowgradError, randomTensor } from '../../helpers/tensors.js';
import { expectJvpMatchesFiniteDifferences } from '../../helpers/jvp.js';

const labels = (data: number[]) => fg.tensor(data, { dtype: 'int32' });

describe('crossEntropy', () => {
  it('has gradient (softmax − onehot) / N', () => {
    const logits = randomTensor([2, 3], 10, -2, 2).requiresGrad_();
    fg.crossEntropy(logits, labels([2, 0])).backward();
    const p = fg.softmax(logits.detach()).toArray() as number[][];
    expectClose(logits.grad!.toArray(), [[p[0][0] / 2, p[0][1] / 2, (p[0][2] - 1) / 2], [(p[1][0] - 1) / 2, p[1][1] / 2, p[1][2] / 2]], 1e-12);
  });

  it('stays finite on huge logits', () => {
    const loss = fg.crossEntropy(fg.tensor([[1000, 0], [0, 1000]]), labels([1, 1]));
    expectClose(loss.item(), 500, 1e-6);
  });

  it('returns a float32 0-d loss for float32 logits', () => {
    const loss = fg.crossEntropy(fg.zeros([4, 5]), labels([0, 1, 2, 3]));
    expect(loss.shape).toEqual([]);
    expect(loss.dtype).toBe('float32');
    expectClose(loss.item(), Math.log(5));
  });

  it('has a JVP that matches finite differences', () => {
    const y = labels([1, 0, 2]);
    expectJvpMatchesFiniteDifferences((x) => fg.crossEntropy(x, y), [randomTensor([3, 3], 11)], [randomTensor([3, 3], 12)]);
  });
});

describe('nllLoss', () => {
  const logProbs = fg.tensor([[-1, -2], [-3, -4]], { dtype: 'float64' });
  it('reduces by mean, sum or none', () => {
    expectClose(nllLoss(logProbs, labels([1, 0])).item(), 2.5);
    expectClose(nllLoss(logProbs, labels([1, 0]), 'sum').item(), 5);
    expectClose(nllLoss(logProbs, labels([1, 0]), 'none').toArray(), [2, 3]);
  });

  it('checks labels in its kernel too, naming the op', () => {
    expectFlowgradError(() => nllLoss(logProbs, labels([0, 2])), /nllLoss: argument 'labels' expected class indices in \[0, 2\) \(labels\[1\]\), got 2/);
    expectFlowgradError(() => nllLoss(logProbs, labels([0])), /nllLoss: argument 'labels' expected shape \[2\] \(one label per row of logProbs\), got \[1\]/);
    expectFlowgradError(() => nllLoss(logProbs, labels([0, 1]), 'avg' as never), /nllLoss: argument 'reduction' expected 'mean', 'sum' or 'none', got "avg"/);
  });
});
