import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as nn from '../../src/nn/index.js';
import { expectClose, expectFlowgradError, randomTensor } from '../helpers/tensors.js';

const set = (p: fg.Tensor, value: fg.Tensor): void => {
  fg.noGrad(() => p.copy_(value));
};

describe('Linear', () => {
  it('computes x·Wᵀ + b by hand, with the hand gradients', () => {
    const lin = new nn.Linear(2, 3, { dtype: 'float64' });
    set(lin.weight, fg.tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' }));
    set(lin.bias!, fg.tensor([0.5, -1, 2], { dtype: 'float64' }));
    const x = fg.tensor([[1, -1], [2, 0.5]], { dtype: 'float64' });
    const y = lin.call(x);
    expect(y.toArray()).toEqual([[-0.5, -2, 1], [3.5, 7, 15]]);
    y.sum().backward();
    expect(lin.weight.grad?.toArray()).toEqual([[3, -0.5], [3, -0.5], [3, -0.5]]);
    expect(lin.bias!.grad?.toArray()).toEqual([2, 2, 2]);
  });

  it('maps any leading dims, works without bias, and checks the last dim', () => {
    const lin = new nn.Linear(4, 2, { bias: false });
    expect(lin.bias).toBeNull();
    expect(lin.call(fg.randn([3, 5, 4])).shape).toEqual([3, 5, 2]);
    expectFlowgradError(() => lin.call(fg.randn([3, 5])), /Linear: argument 'input' expected shape \[\.\.\., 4\] .*got \[3, 5\]/);
    expectFlowgradError(() => new nn.Linear(-1, 2), /Linear: argument 'inFeatures' expected a non-negative integer, got -1/);
  });

  it('is initialised as PyTorch: weight and bias in U(±1/√inFeatures)', () => {
    fg.manualSeed(0);
    const lin = new nn.Linear(64, 200);
    const bound = 1 / 8;
    const w = Array.from(lin.weight.dataSync());
    const b = Array.from(lin.bias!.dataSync());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    // U(−a, a) has variance a²/3; 12800 draws estimate it well within 5 %.
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance / (bound * bound / 3)).toBeGreaterThan(0.95);
    expect(variance / (bound * bound / 3)).toBeLessThan(1.05);
  });
});

describe('Conv2d', () => {
  it('equals fg.conv2d with its own weight and bias', () => {
    const conv = new nn.Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2, dtype: 'float64' });
    expect(conv.weight.shape).toEqual([6, 2, 3, 2]);
    const x = randomTensor([2, 4, 7, 6], 3);
    const expected = fg.conv2d(x, conv.weight, conv.bias, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 });
    expectClose(conv.call(x).toArray(), expected.toArray(), 0);
  });

  it('matches a hand computation on a 1-channel 3×3 input', () => {
    const conv = new nn.Conv2d(1, 1, 2, { dtype: 'float64' });
    set(conv.weight, fg.tensor([[[[1, 0], [0, -1]]]], { dtype: 'float64' }));
    set(conv.bias!, fg.tensor([10], { dtype: 'float64' }));
    const x = fg.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { dtype: 'float64' });
    // each output = x[i][j] − x[i+1][j+1] + 10 = −4 + 10
    expect(conv.call(x).toArray()).toEqual([[[[6, 6], [6, 6]]]]);
  });

  it('uses the conv fan-in for its default init and checks arguments', () => {
    fg.manualSeed(2);
    const conv = new nn.Conv2d(3, 16, 5);
    const bound = 1 / Math.sqrt(3 * 25);
    expect(Math.max(...Array.from(conv.weight.dataSync(), Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(conv.bias!.dataSync(), Math.abs))).toBeLessThanOrEqual(bound);
    expectFlowgradError(() => new nn.Conv2d(3, 4, 3, { groups: 2 }), /Conv2d: argument 'inChannels' expected a multiple of groups = 2, got 3/);
    expectFlowgradError(() => conv.call(fg.randn([1, 2, 8, 8])), /Conv2d: argument 'input' expected shape \[N, 3, H, W\]/);
    expectFlowgradError(() => new nn.Conv2d(3, 4, 0), /kernelSize/);
  });
});

describe('pooling layers', () => {
  const x = fg.tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
  it('MaxPool2d and AvgPool2d pool 2×2 windows by hand', () => {
    expect(new nn.MaxPool2d(2).call(x).toArray()).toEqual([[[[6, 8], [14, 16]]]]);
    expect(new nn.AvgPool2d(2).call(x).toArray()).toEqual([[[[3.5, 5.5], [11.5, 13.5]]]]);
    expect(new nn.MaxPool2d(3, { stride: 1, padding: 1 }).call(x).shape).toEqual([1, 1, 4, 4]);
    expect(new nn.AvgPool2d([2, 1], { stride: [2, 1] }).call(x).toArray()).toEqual([[[[3, 4, 5, 6], [11, 12, 13, 14]]]]);
  });
  it('check their arguments', () => {
    expectFlowgradError(() => new nn.MaxPool2d(2, { padding: 2 }), /MaxPool2d: argument 'padding' expected at most half the kernel size/);
    expectFlowgradError(() => new nn.AvgPool2d(0), /AvgPool2d: argument 'kernelSize'/);
  });
});

describe('BatchNorm2d', () => {
  // Two channels; channel 0 holds 1, 2, 3, 4 and channel 1 holds 10, 10, 20, 20 over N = 2, H = 1, W = 2.
  const x = fg.tensor([[[[1, 2]], [[10, 10]]], [[[3, 4]], [[20, 20]]]], { dtype: 'float64' });

  it('normalises with batch statistics in training and updates the running ones (unbiased)', () => {
    const bn = new nn.BatchNorm2d(2, { dtype: 'float64' });
    const y = bn.call(x);
    const s0 = Math.sqrt(1.25 + 1e-5); // channel 0: mean 2.5, biased variance 1.25
    const s1 = Math.sqrt(25 + 1e-5); // channel 1: mean 15, biased variance 25
    expectClose(y.toArray(), [[[[-1.5 / s0, -0.5 / s0]], [[-5 / s1, -5 / s1]]], [[[0.5 / s0, 1.5 / s0]], [[5 / s1, 5 / s1]]]], 1e-12);
    expectClose(bn.runningMean!.toArray(), [0.25, 1.5], 1e-12);
    // 0.9·1 + 0.1·(unbiased variance: 5/3 and 100/3)
    expectClose(bn.runningVar!.toArray(), [0.9 + 0.1 * (5 / 3), 0.9 + 0.1 * (100 / 3)], 1e-12);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it('normalises with the running statistics in evaluation mode and leaves them alone', () => {
    const bn = new nn.BatchNorm2d(2, { dtype: 'float64' });
    bn.call(x);
    bn.eval();
    const mean = bn.runningMean!.toArray() as number[];
    const variance = bn.runningVar!.toArray() as number[];
    const y = bn.call(x);
    const f = (v: number, c: number): number => (v - mean[c]) / Math.sqrt(variance[c] + 1e-5);
    expectClose(y.toArray(), [[[[f(1, 0), f(2, 0)]], [[f(10, 1), f(10, 1)]]], [[[f(3, 0), f(4, 0)]], [[f(20, 1), f(20, 1)]]]], 1e-12);
    expect(bn.runningMean!.toArray()).toEqual(mean);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it('applies the affine weight and bias and trains them', () => {
    const bn = new nn.BatchNorm2d(2, { dtype: 'float64', momentum: 0.5 });
    set(bn.weight!, fg.tensor([2, 3], { dtype: 'float64' }));
    set(bn.bias!, fg.tensor([1, -1], { dtype: 'float64' }));
    const y = bn.call(x);
    const s0 = Math.sqrt(1.25 + 1e-5);
    expectClose((y.toArray() as number[][][][])[0][0][0], [1 + (2 * -1.5) / s0, 1 + (2 * -0.5) / s0], 1e-12);
    expectClose(bn.runningMean!.toArray(), [1.25, 7.5], 1e-12);
    y.sum().backward();
    expectClose(bn.bias!.grad!.toArray(), [4, 4], 1e-12);
  });

  it('keeps a cumulative average with momentum null, and uses batch statistics without tracking', () => {
    const bn = new nn.BatchNorm2d(2, { dtype: 'float64', momentum: null });
    bn.call(x);
    bn.call(x.mul(3));
    expectClose(bn.runningMean!.toArray(), [(2.5 + 7.5) / 2, (15 + 45) / 2], 1e-12);
    const free = new nn.BatchNorm2d(2, { dtype: 'float64', trackRunningStats: false, affine: false });
    expect(free.parameters()).toEqual([]);
    expect(Object.keys(free.stateDict())).toEqual([]);
    free.eval();
    expectClose(free.call(x).toArray(), new nn.BatchNorm2d(2, { dtype: 'float64' }).call(x).toArray(), 1e-12);
  });

  it('checks its input', () => {
    const bn = new nn.BatchNorm2d(3);
    expectFlowgradError(() => bn.call(fg.randn([2, 2, 4, 4])), /BatchNorm2d: argument 'input' expected shape \[N, 3, H, W\]/);
    expectFlowgradError(() => new nn.BatchNorm2d(3, { momentum: 2 }), /momentum/);
  });
});

describe('activations, Dropout, Flatten, Sequential', () => {
  it('ReLU, Tanh and Sigmoid are the elementwise functions', () => {
    const x = fg.tensor([-2, 0, 3], { dtype: 'float64' });
    expect(new nn.ReLU().call(x).toArray()).toEqual([0, 0, 3]);
    expectClose(new nn.Tanh().call(x).toArray(), [Math.tanh(-2), 0, Math.tanh(3)], 1e-15);
    expectClose(new nn.Sigmoid().call(x).toArray(), [1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))], 1e-15);
  });

  it('Dropout is the identity in evaluation mode and drops with scaling in training', () => {
    const drop = new nn.Dropout(0.25);
    const x = fg.ones([4000]);
    drop.eval();
    expect(drop.call(x)).toBe(x);
    drop.train();
    fg.manualSeed(5);
    const y = Array.from(drop.call(x).dataSync());
    expect(new Set(y)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const kept = y.filter((v) => v !== 0).length / y.length;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.03);
    expectFlowgradError(() => new nn.Dropout(1.5), /Dropout: argument 'p' expected a probability in \[0, 1\], got 1.5/);
  });

  it('Flatten merges all but the batch dim by default', () => {
    expect(new nn.Flatten().call(fg.zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0, 1).call(fg.zeros([2, 3, 4])).shape).toEqual([6, 4]);
  });

  it('Sequential composes its layers in order', () => {
    const a = new nn.Linear(2, 2, { dtype: 'float64' });
    const b = new nn.Linear(2, 1, { dtype: 'float64' });
    set(a.weight, fg.tensor([[1, 0], [0, -1]], { dtype: 'float64' }));
    set(a.bias!, fg.tensor([0, 0], { dtype: 'float64' }));
    set(b.weight, fg.tensor([[1, 1]], { dtype: 'float64' }));
    set(b.bias!, fg.tensor([0.5], { dtype: 'float64' }));
    const seq = new nn.Sequential(a, new nn.ReLU(), b);
    // relu([3, −4]) = [3, 0] → 3 + 0 + 0.5
    expect(seq.call(fg.tensor([[3, 4]], { dtype: 'float64' })).toArray()).toEqual([[3.5]]);
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBe(b);
    expect([...seq]).toEqual([a, seq.at(1), b]);
    seq.append(new nn.Tanh());
    expect([...seq.namedChildren()].map(([n]) => n)).toEqual(['0', '1', '2', '3']);
    expectFlowgradError(() => new nn.Sequential(3 as unknown as nn.Module), /Sequential: argument 'layers\[0\]' expected a Module/);
  });

  it('loss modules: CrossEntropyLoss is fg.crossEntropy, MSELoss the mean squared error', () => {
    const logits = fg.tensor([[1, 2, 3]]);
    const labels = fg.tensor([2], { dtype: 'int32' });
    expect(new nn.CrossEntropyLoss().call(logits, labels).item()).toBe(fg.crossEntropy(logits, labels).item());
    expect(new nn.MSELoss().call(fg.tensor([1, 2]), fg.tensor([3, 2])).item()).toBe(2);
    expectFlowgradError(() => nn.mseLoss(fg.zeros([2, 1]), fg.zeros([2])), /mseLoss: argument 'target' expected shape \[2, 1\]/);
  });
});
