import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { expectClose, expectFlowgradError } from '../helpers/tensors.js';

const f64 = { dtype: 'float64' as const };
/** Runs `steps` steps with the gradient fixed at c = [0.5, 1], from p = [1, −2]; returns p after each. */
function run(opts: Partial<optim.SGDHyper>, steps: number): number[][] {
  const p = fg.tensor([1, -2], { ...f64, requiresGrad: true });
  const opt = new optim.SGD([p], opts);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    p.grad = fg.tensor([0.5, 1], f64);
    opt.step();
    out.push(p.toArray());
  }
  return out;
}

describe('SGD', () => {
  it('plain: p ← p − lr·g', () => {
    expectClose(run({ lr: 0.1 }, 2), [[0.95, -2.1], [0.9, -2.2]], 1e-15);
  });

  it('momentum 0.9 with weight decay 0.1 (hand-computed, 3 steps)', () => {
    // step 1: g = c + 0.1·p = [0.6, 0.8], buf = g, p = [0.94, −2.08]
    // step 2: g = [0.594, 0.792], buf = 0.9·[0.6, 0.8] + g = [1.134, 1.512], p = [0.8266, −2.2312]
    // step 3: g = [0.58266, 0.77688], buf = [1.60326, 2.13768], p = [0.666274, −2.444968]
    expectClose(run({ lr: 0.1, momentum: 0.9, weightDecay: 0.1 }, 3), [[0.94, -2.08], [0.8266, -2.2312], [0.666274, -2.444968]], 1e-14);
  });

  it('Nesterov momentum (hand-computed)', () => {
    // step 1: buf = c, g = c + 0.9·buf = [0.95, 1.9]; step 2: buf = 1.9·c, g = c + 0.9·buf = [1.355, 2.71]
    expectClose(run({ lr: 0.1, momentum: 0.9, nesterov: true }, 2), [[0.905, -2.19], [0.7695, -2.461]], 1e-14);
  });

  it('dampening scales new gradients after the first step', () => {
    // step 1: buf = c (no dampening on the first step); step 2: buf = 0.9·c + 0.5·c = 1.4·c
    expectClose(run({ lr: 0.1, momentum: 0.9, dampening: 0.5 }, 2), [[0.95, -2.1], [0.88, -2.24]], 1e-14);
  });

  it('maximize ascends', () => {
    expectClose(run({ lr: 0.1, maximize: true }, 1), [[1.05, -1.9]], 1e-15);
  });

  it('skips parameters without a gradient and keeps per-group learning rates', () => {
    const a = fg.tensor([1], { ...f64, requiresGrad: true });
    const b = fg.tensor([1], { ...f64, requiresGrad: true });
    const c = fg.tensor([1], { ...f64, requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b, c], lr: 1 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 1]);
    a.grad = fg.tensor([1], f64);
    b.grad = fg.tensor([1], f64);
    opt.step();
    expect([a.item(), b.item(), c.item()]).toEqual([0.9, 0, 1]);
  });

  it('zeroGrad sets gradients to null; step works on leaves that require grad under the hood', () => {
    const p = fg.tensor([2, 3], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.5 });
    p.mul(p).sum().backward();
    opt.step();
    expect(p.toArray()).toEqual([0, 0]);
    expect(p.requiresGrad && p.isLeaf).toBe(true);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('step(closure) re-evaluates the loss with grad recording on and returns it', () => {
    const p = fg.tensor([3], { ...f64, requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.25 });
    const loss = fg.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = p.mul(p).sum();
        l.backward();
        return l;
      }),
    );
    expect(loss?.item()).toBe(9);
    expect(p.item()).toBe(1.5);
  });

  it('checks its arguments', () => {
    const p = fg.zeros([1], { requiresGrad: true });
    expectFlowgradError(() => new optim.SGD([], { lr: 0.1 }), /SGD: argument 'params' expected a non-empty list of parameters/);
    expectFlowgradError(() => new optim.SGD([p], { lr: -1 }), /SGD: argument 'lr' expected a learning rate ≥ 0, got -1/);
    expectFlowgradError(() => new optim.SGD([p], { nesterov: true }), /SGD: argument 'nesterov' expected momentum > 0 and dampening = 0/);
    expectFlowgradError(() => new optim.SGD([p.mul(2)]), /expected a leaf tensor/);
    expectFlowgradError(() => new optim.SGD([{ params: [p] }, { params: [p] }]), /in no other group/);
  });

  it('sgdUpdate is a pure function of tensors (usable inside fg.jit) and accepts a tensor lr', () => {
    const p = fg.tensor([1, -2], f64);
    const g = fg.tensor([0.5, 1], f64);
    const h = { lr: fg.tensor(0.1, f64), momentum: 0.9, dampening: 0, weightDecay: 0.1, nesterov: false, maximize: false };
    const r1 = optim.sgdUpdate(p, g, null, h);
    expectClose(r1.param.toArray(), [0.94, -2.08], 1e-15);
    expect(p.toArray()).toEqual([1, -2]);
    const r2 = optim.sgdUpdate(r1.param, g, r1.momentumBuffer, h);
    expectClose(r2.param.toArray(), [0.8266, -2.2312], 1e-14);
  });
});
