/** @file MaxPool2d and AvgPool2d: window pooling over NCHW input, as modules (no parameters). */
import { ValueError } from '../errors.js';
import { avgPool2d, maxPool2d } from '../ops/nn/pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkPair } from './checks.js';
import { Module } from './module.js';

export interface Pool2dLayerOptions {
  /** Window step (default: the kernel size). */
  stride?: number | [number, number];
  /** Implicit padding on each side (at most half the kernel). */
  padding?: number | [number, number];
}

abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(name: string, kernelSize: number | [number, number], opts: Pool2dLayerOptions) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ValueError(name, 'options', 'an object { stride, padding }', opts);
    this.kernelSize = checkPair(name, 'kernelSize', kernelSize, 1);
    this.stride = opts.stride === undefined || opts.stride === null ? this.kernelSize : checkPair(name, 'stride', opts.stride, 1);
    this.padding = checkPair(name, 'padding', opts.padding ?? 0, 0);
    if (2 * this.padding[0] > this.kernelSize[0] || 2 * this.padding[1] > this.kernelSize[1]) {
      throw new ValueError(name, 'padding', `at most half the kernel size [${this.kernelSize.join(', ')}]`, opts.padding);
    }
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}], padding=[${this.padding.join(', ')}]`;
  }
}

/** The maximum of each window (PyTorch's nn.MaxPool2d; padding counts as −∞). */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: number | [number, number], opts: Pool2dLayerOptions = {}) {
    super('MaxPool2d', kernelSize, opts);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/** The mean of each window (PyTorch's nn.AvgPool2d; padded zeros count in the divisor). */
export class AvgPool2d extends Pool2d {
  constructor(kernelSize: number | [number, number], opts: Pool2dLayerOptions = {}) {
    super('AvgPool2d', kernelSize, opts);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
