import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { expectClose, expectFlowgradError } from '../helpers/tensors.js';

const makeOpt = (lr = 1): optim.SGD => new optim.SGD([fg.zeros([1], { requiresGrad: true })], { lr });
const schedule = (opt: optim.SGD, sched: optim.LRScheduler, epochs: number): number[] => {
  const lrs = [opt.paramGroups[0].lr];
  for (let e = 1; e < epochs; e++) {
    sched.step();
    lrs.push(opt.paramGroups[0].lr);
  }
  return lrs;
};

describe('learning-rate schedulers', () => {
  it('StepLR multiplies by gamma every stepSize epochs', () => {
    const opt = makeOpt(0.1);
    const lrs = schedule(opt, new optim.StepLR(opt, 2, 0.5), 6);
    expectClose(lrs, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025], 1e-15);
  });

  it('CosineAnnealingLR follows etaMin + (base − etaMin)(1 + cos(π·t/tMax))/2', () => {
    const opt = makeOpt(1);
    const sched = new optim.CosineAnnealingLR(opt, 4, 0.2);
    expectClose(schedule(opt, sched, 5), [1, 0.2 + 0.8 * (1 + Math.SQRT1_2) / 2, 0.6, 0.2 + 0.8 * (1 - Math.SQRT1_2) / 2, 0.2], 1e-15);
    expectClose(sched.getLastLr(), [0.2], 1e-15);
  });

  it('ExponentialLR and LambdaLR; every group from its own initial rate', () => {
    const a = fg.zeros([1], { requiresGrad: true });
    const b = fg.zeros([1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a], lr: 1 }, { params: [b], lr: 0.1 }]);
    const sched = new optim.ExponentialLR(opt, 0.5);
    sched.step();
    sched.step();
    expectClose(sched.getLastLr(), [0.25, 0.025], 1e-15);
    const opt2 = makeOpt(2);
    const lambda = new optim.LambdaLR(opt2, (e) => 1 / (e + 1));
    expectClose(schedule(opt2, lambda, 3), [2, 1, 2 / 3], 1e-15);
  });

  it('resumes from a stateDict', () => {
    const opt = makeOpt(0.1);
    const sched = new optim.StepLR(opt, 1, 0.1);
    sched.step();
    sched.step();
    const opt2 = makeOpt(0.1);
    const sched2 = new optim.StepLR(opt2, 1, 0.1);
    sched2.loadStateDict(sched.stateDict());
    expect(sched2.lastEpoch).toBe(2);
    expectClose(opt2.paramGroups[0].lr, 0.001, 1e-15);
  });

  it('checks its arguments', () => {
    expectFlowgradError(() => new optim.StepLR(makeOpt(), 0), /StepLR: argument 'stepSize' expected a positive integer, got 0/);
    expectFlowgradError(() => new optim.CosineAnnealingLR(makeOpt(), 10, -1), /etaMin/);
    expectFlowgradError(() => new optim.StepLR(makeOpt(), 1, 0.1, 5), /no initialLr to resume from/);
  });
});
