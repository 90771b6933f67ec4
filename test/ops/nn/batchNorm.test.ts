/** @file batchNorm beyond the op table: running statistics, eval mode, forward mode. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';
import { expectJvpMatchesFiniteDifferences } from '../../helpers/jvp.js';

describe('batchNorm', () => {
  it('updates the running statistics as a hand computation says', () => {
    // Channel 0 holds 1, 3, 5, 7 (mean 4, unbiased var 20/3); channel 1 holds 2, 2, 2, 6 (mean 3, unbiased var 4).
    const x = fg.tensor([[[1, 3], [2, 2]], [[5, 7], [2, 6]]]);
    const runningMean = fg.tensor([1, -1]);
    const runningVar = fg.tensor([2, 0.5]);
    fg.batchNorm(x, runningMean, runningVar, null, null, true, 0.25);
    expectClose(runningMean.toArray(), [0.75 * 1 + 0.25 * 4, 0.75 * -1 + 0.25 * 3]);
    expectClose(runningVar.toArray(), [0.75 * 2 + 0.25 * (20 / 3), 0.75 * 0.5 + 0.25 * 4]);
  });

  it('normalises with the biased batch variance in training mode', () => {
    const x = randomTensor([5, 2, 3], 20);
    const y = fg.batchNorm(x, null, null, null, null, true, 0.1, 0);
    const axes = [0, 2];
    expectClose(y.mean(axes).toArray(), [0, 0], 1e-12);
    expectClose(y.mul(y).mean(axes).toArray(), [1, 1], 1e-12);
  });

  it('records nothing on the tape for the running statistics', () => {
    const x = randomTensor([4, 2], 21).requiresGrad_();
    const runningMean = fg.zeros([2]);
    const runningVar = fg.ones([2]);
    const y = fg.batchNorm(x, runningMean, runningVar, null, null, true);
    expect(runningMean.gradFn).toBeNull();
    expect(runningMean.requiresGrad).toBe(false);
    expect(runningVar.requiresGrad).toBe(false);
    y.sum().backward();
    // Σ of a normalised channel does not depend on x.
    expectClose(x.grad!.toArray(), [[0, 0], [0, 0], [0, 0], [0, 0]], 1e-9);
  });

  it('uses the running statistics in eval mode and leaves them alone', () => {
    const runningMean = fg.tensor([1, 2]);
    const runningVar = fg.tensor([4, 9]);
    const y = fg.batchNorm(fg.tensor([[3, 2], [-1, 8]]), runningMean, runningVar, fg.tensor([2, 1]), fg.tensor([0, 1]), false, 0.1, 0);
    expectClose(y.toArray(), [[2, 1], [-2, 3]]);
    expectClose(runningMean.toArray(), [1, 2]);
    expectClose(runningVar.toArray(), [4, 9]);
  });

  it('updates float32 running statistics from float64 inputs', () => {
    const runningMean = fg.zeros([2]);
    fg.batchNorm(fg.tensor([[1, 2], [3, 4]], { dtype: 'float64' }), runningMean, null, null, null, true, 0.5);
    expect(runningMean.dtype).toBe('float32');
    expectClose(runningMean.toArray(), [1, 1.5]);
  });

  it('has a JVP that matches finite differences', () => {
    const w = randomTensor([2], 22);
    expectJvpMatchesFiniteDifferences((x) => fg.batchNorm(x, null, null, w, null, true), [randomTensor([3, 2, 2], 23)], [randomTensor([3, 2, 2], 24)]);
  });
});

describe('batchNorm running statistics under jit', () => {
  it('a jitted training step updates the captured running statistics as eager code does', () => {
    const make = () => ({ mean: fg.zeros([3], { dtype: 'float64' }), var: fg.ones([3], { dtype: 'float64' }) });
    const eager = make();
    const traced = make();
    const step = (stats: { mean: fg.Tensor; var: fg.Tensor }) => (x: fg.Tensor) => fg.batchNorm(x, stats.mean, stats.var, null, null, true, 0.1).sum();
    const jitted = fg.jit(step(traced));
    for (let i = 0; i < 3; i++) {
      const x = fg.randn([4, 3, 2, 2], { dtype: 'float64' }).mul(i + 1);
      step(eager)(x);
      jitted(x);
    }
    expect(jitted.traceCount).toBe(1);
    expectClose(traced.mean.toArray(), eager.mean.toArray(), 1e-12);
    expectClose(traced.var.toArray(), eager.var.toArray(), 1e-12);
    expect(jitted.graphFor(fg.zeros([4, 3, 2, 2], { dtype: 'float64' })).nodes.filter((n) => n.op === 'runningStatUpdate').length).toBe(2);
  });
});
