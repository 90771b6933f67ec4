/** @file Flatten as a module: merges dims startDim..endDim (by default all but the batch dim). */
import { ValueError } from '../errors.js';
import { flatten } from '../ops/movement/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** PyTorch's nn.Flatten: [N, C, H, W] → [N, C·H·W] with the defaults startDim = 1, endDim = −1. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    if (!Number.isInteger(startDim)) throw new ValueError('Flatten', 'startDim', 'an integer dim', startDim);
    if (!Number.isInteger(endDim)) throw new ValueError('Flatten', 'endDim', 'an integer dim', endDim);
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
