import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as nn from '../../src/nn/index.js';
import * as optim from '../../src/optim/index.js';

function train(model: nn.Module, opt: optim.Optimizer<any>, x: fg.Tensor, y: fg.Tensor, steps: number): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = fg.crossEntropy(model.call(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

describe('training end to end', () => {
  it('an MLP with Adam overfits 16 random points with random labels', () => {
    fg.manualSeed(0);
    const x = fg.randn([16, 8]);
    const y = fg.tensor(Array.from({ length: 16 }, (_, i) => (i * 7) % 4), { dtype: 'int32' });
    const model = new nn.Sequential(new nn.Linear(8, 32), new nn.ReLU(), new nn.Linear(32, 4));
    const losses = train(model, new optim.Adam(model.parameters(), { lr: 0.02 }), x, y, 300);
    expect(losses[0]).toBeGreaterThan(1);
    expect(losses.at(-1)).toBeLessThan(0.01);
    expect(model.call(x).argmax(1).toArray()).toEqual(y.toArray());
  });

  it('a small CNN (conv, batch norm, pooling, dropout) with SGD + momentum overfits 8 images', () => {
    fg.manualSeed(1);
    const x = fg.randn([8, 1, 8, 8]);
    const y = fg.tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: 'int32' });
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(4, 8, 3), new nn.Tanh(), new nn.AvgPool2d(2), new nn.Flatten(), new nn.Dropout(0.1), new nn.Linear(8, 3),
    );
    const losses = train(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), x, y, 150);
    expect(losses.at(-1)).toBeLessThan(0.1);
    model.eval();
    expect(model.call(x).argmax(1).toArray()).toEqual(y.toArray());
  });
});
