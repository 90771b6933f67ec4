import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { expectClose, expectFlowgradError } from '../helpers/tensors.js';

const f64 = { dtype: 'float64' as const };
const grads = [[0.5, 1], [-0.3, 2], [0.2, -0.4]];

function run(make: (p: fg.Tensor) => optim.Optimizer<any>): number[][] {
  const p = fg.tensor([1, -2], { ...f64, requiresGrad: true });
  const opt = make(p);
  return grads.map((g) => {
    p.grad = fg.tensor(g, f64);
    opt.step();
    return p.toArray();
  });
}

describe('Adam', () => {
  it('matches PyTorch’s update with bias correction over 3 steps (hand-computed)', () => {
    // step 1: m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g², so p moves by lr·g/(|g| + eps) ≈ 0.1 each.
    // steps 2 and 3 were computed from the same formulas in float64 by hand (Python).
    expectClose(run((p) => new optim.Adam([p], { lr: 0.1 })), [
      [0.900000002, -2.099999999],
      [0.8808501989417752, -2.1965182009718336],
      [0.846107430790882, -2.2587044231534392],
    ], 1e-13);
  });

  it('L2 weight decay with AMSGrad', () => {
    expectClose(run((p) => new optim.Adam([p], { lr: 0.1, weightDecay: 0.1, amsgrad: true })), [
      [0.9000000016666666, -2.09999999875],
      [0.8613529972101512, -2.1952720095868674],
      [0.8078745546785667, -2.2462339187468188],
    ], 1e-13);
  });

  it('AdamW decays the weights directly (default weightDecay 0.01)', () => {
    expectClose(run((p) => new optim.AdamW([p], { lr: 0.1 })), [
      [0.899000002, -2.0979999990000002],
      [0.8789511989397751, -2.1924202009728337],
      [0.8433294795899422, -2.2524140029534667],
    ], 1e-13);
  });

  it('keeps step, expAvg and expAvgSq per parameter and round-trips them through stateDict', () => {
    const p = fg.tensor([1, -2], { ...f64, requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.grad = fg.tensor(grads[0], f64);
    opt.step();
    const state = opt.state.get(p)!;
    expect(state.step).toBe(1);
    expectClose((state.expAvg as fg.Tensor).toArray(), [0.05, 0.1], 1e-15);
    const saved = opt.stateDict();
    expect(saved.paramGroups[0]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], params: [0] });

    // A fresh optimizer on a copy of p, loaded from the saved state, continues identically.
    const q = fg.tensor(p.toArray(), { ...f64, requiresGrad: true });
    const opt2 = new optim.Adam([q], { lr: 0.5 });
    opt2.loadStateDict(saved);
    expect(opt2.paramGroups[0].lr).toBe(0.1);
    p.grad = fg.tensor(grads[1], f64);
    q.grad = fg.tensor(grads[1], f64);
    opt.step();
    opt2.step();
    expect(q.toArray()).toEqual(p.toArray());
    expectFlowgradError(() => opt2.loadStateDict({ state: {}, paramGroups: [] }), /parameter groups of sizes \[1\]/);
  });

  it('checks betas and eps', () => {
    const p = fg.zeros([1], { requiresGrad: true });
    expectFlowgradError(() => new optim.Adam([p], { betas: [0.9, 1] }), /Adam: argument 'betas\[1\]' expected a number in \[0, 1\), got 1/);
    expectFlowgradError(() => new optim.Adam([p], { eps: -1 }), /Adam: argument 'eps'/);
  });

  it('adamUpdate works with a tensor step count (no retrace per step under jit)', () => {
    const p = fg.tensor([1, -2], f64);
    const h = { lr: 0.1, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, decoupledWeightDecay: false, maximize: false };
    const r = optim.adamUpdate(p, fg.tensor(grads[0], f64), { expAvg: null, expAvgSq: null, maxExpAvgSq: null }, fg.tensor(1, f64), h);
    expectClose(r.param.toArray(), [0.900000002, -2.099999999], 1e-13);
  });
});
