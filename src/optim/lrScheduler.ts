/**
 * @file Learning-rate schedulers (PyTorch's torch.optim.lr_scheduler): StepLR,
 * ExponentialLR, CosineAnnealingLR and LambdaLR. Each sets every group's `lr` from the
 * group's initial rate and the epoch count, in closed form; call `step()` once per epoch,
 * after the optimizer's steps.
 */
import { ValueError } from '../errors.js';
import type { BaseHyper, Optimizer } from './optimizer.js';

/** The base of the schedulers: tracks the epoch and writes each group's rate. */
export class LRScheduler {
  /** The rates each group started from. */
  readonly baseLrs: number[];
  /** How many times step() has run since the schedule started (0 right after construction). */
  lastEpoch: number;
  private lastLrs: number[] = [];

  /**
   * `schedule(baseLr, epoch)` gives a group's rate at an epoch. It is passed in rather than
   * overridden so that it can run here, before a subclass's own fields exist.
   */
  constructor(
    readonly optimizer: Optimizer<BaseHyper>,
    lastEpoch: number,
    private readonly schedule: (baseLr: number, epoch: number) => number,
  ) {
    const name = this.constructor.name;
    if (!optimizer || !Array.isArray((optimizer as { paramGroups?: unknown }).paramGroups)) throw new ValueError(name, 'optimizer', 'an Optimizer', optimizer);
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) throw new ValueError(name, 'lastEpoch', 'an integer ≥ −1', lastEpoch);
    // Resuming (lastEpoch ≥ 0) needs the rates the schedule started from, as in PyTorch.
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined) throw new ValueError(name, 'lastEpoch', `-1 (paramGroups[${i}] has no initialLr to resume from)`, lastEpoch);
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.step();
  }

  /** Advances one epoch and writes the new rates into the optimizer's groups. */
  step(): void {
    this.lastEpoch++;
    this.lastLrs = this.baseLrs.map((base, i) => {
      const lr = this.schedule(base, this.lastEpoch);
      this.optimizer.paramGroups[i].lr = lr;
      return lr;
    });
  }

  /** The rates set by the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /** The schedule's position, to resume it with loadStateDict. */
  stateDict(): { lastEpoch: number; baseLrs: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(sd: { lastEpoch: number; baseLrs: number[] }): void {
    const name = `${this.constructor.name}.loadStateDict`;
    if (typeof sd !== 'object' || sd === null || !Number.isInteger(sd.lastEpoch) || !Array.isArray(sd.baseLrs) || sd.baseLrs.length !== this.baseLrs.length) {
      throw new ValueError(name, 'stateDict', `{ lastEpoch, baseLrs } with ${this.baseLrs.length} rate(s)`, sd);
    }
    this.baseLrs.splice(0, this.baseLrs.length, ...sd.baseLrs);
    this.lastEpoch = sd.lastEpoch - 1;
    this.step();
  }
}

function checkNumber(op: string, arg: string, v: unknown, expected: string, ok: (n: number) => boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ValueError(op, arg, expected, v);
  return v;
}

/** Multiplies the rate by `gamma` every `stepSize` epochs: lr = base·gamma^⌊epoch / stepSize⌋. */
export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseHyper>, readonly stepSize: number, readonly gamma = 0.1, lastEpoch = -1) {
    checkNumber('StepLR', 'stepSize', stepSize, 'a positive integer', (v) => Number.isInteger(v) && v >= 1);
    checkNumber('StepLR', 'gamma', gamma, 'a finite number', () => true);
    super(optimizer, lastEpoch, (base, epoch) => base * gamma ** Math.floor(epoch / stepSize));
  }
}

/** Multiplies the rate by `gamma` every epoch: lr = base·gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseHyper>, readonly gamma: number, lastEpoch = -1) {
    checkNumber('ExponentialLR', 'gamma', gamma, 'a finite number', () => true);
    super(optimizer, lastEpoch, (base, epoch) => base * gamma ** epoch);
  }
}

/**
 * Cosine annealing from the base rate down to `etaMin` over `tMax` epochs (Loshchilov &
 * Hutter, SGDR without restarts): lr = etaMin + (base − etaMin)·(1 + cos(π·epoch / tMax)) / 2.
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseHyper>, readonly tMax: number, readonly etaMin = 0, lastEpoch = -1) {
    checkNumber('CosineAnnealingLR', 'tMax', tMax, 'a positive integer', (v) => Number.isInteger(v) && v >= 1);
    checkNumber('CosineAnnealingLR', 'etaMin', etaMin, 'a rate ≥ 0', (v) => v >= 0);
    super(optimizer, lastEpoch, (base, epoch) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2);
  }
}

/** lr = base·factor(epoch) for a user function (PyTorch's LambdaLR). */
export class LambdaLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseHyper>, readonly lrLambda: (epoch: number) => number, lastEpoch = -1) {
    if (typeof lrLambda !== 'function') throw new ValueError('LambdaLR', 'lrLambda', 'a function of the epoch', lrLambda);
    super(optimizer, lastEpoch, (base, epoch) => base * checkNumber('LambdaLR', 'lrLambda', lrLambda(epoch), 'a function returning finite numbers', () => true));
  }
}
