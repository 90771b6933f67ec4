/** @file BatchNorm2d: per-channel batch normalisation of NCHW input with running statistics. */
import { ShapeError, ValueError } from '../errors.js';
import { noGrad } from '../ops/gradMode.js';
import { add_ } from '../ops/inplace.js';
import { batchNorm } from '../ops/nn/batchNorm.js';
import { ones, zeros } from '../tensor/create.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FloatDType, checkFloatDType, checkPositiveInt } from './checks.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface BatchNormOptions {
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1); null keeps a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` (ones) and shift `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them evaluation uses batch statistics. */
  trackRunningStats?: boolean;
  dtype?: FloatDType;
}

/**
 * PyTorch's nn.BatchNorm2d. Training mode normalises each channel with the batch mean and
 * biased variance and updates the buffers `runningMean`, `runningVar` (unbiased) and
 * `numBatchesTracked`; evaluation mode normalises with the running statistics.
 */
export class BatchNorm2d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ValueError('BatchNorm2d', 'options', 'an object { eps, momentum, affine, trackRunningStats, dtype }', opts);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = opts;
    this.numFeatures = checkPositiveInt('BatchNorm2d', 'numFeatures', numFeatures);
    if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new ValueError('BatchNorm2d', 'eps', 'a finite number ≥ 0', eps);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) throw new ValueError('BatchNorm2d', 'momentum', 'a number in [0, 1] or null', momentum);
    if (typeof affine !== 'boolean') throw new ValueError('BatchNorm2d', 'affine', 'a boolean', affine);
    if (typeof trackRunningStats !== 'boolean') throw new ValueError('BatchNorm2d', 'trackRunningStats', 'a boolean', trackRunningStats);
    checkFloatDType('BatchNorm2d', dtype);
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    this.runningMean = this.registerBuffer('runningMean', trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.runningVar = this.registerBuffer('runningVar', trackRunningStats ? ones([numFeatures], { dtype }) : null);
    this.numBatchesTracked = this.registerBuffer('numBatchesTracked', trackRunningStats ? zeros([], { dtype: 'int32' }) : null);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || (typeof x.shape[1] === 'number' && x.shape[1] !== this.numFeatures)) {
      throw new ShapeError('BatchNorm2d', 'input', `[N, ${this.numFeatures}, H, W] (4-d, numFeatures channels)`, shapeStr(x.shape));
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      const counter = this.numBatchesTracked;
      noGrad(() => add_(counter, 1));
      // momentum = null: the running statistics are the plain average of every batch so far.
      if (this.momentum === null) factor = 1 / counter.item();
    }
    // Batch statistics in training, and in evaluation too when there are no running ones.
    const useBatchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const track = !this.training || this.trackRunningStats;
    return batchNorm(x, track ? this.runningMean : null, track ? this.runningVar : null, this.weight, this.bias, useBatchStats, factor, this.eps);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}
