/** @file Dropout as a module: active in training mode, the identity in evaluation mode. */
import { dropout } from '../ops/nn/dropout.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkProbability } from './checks.js';
import { Module } from './module.js';

/**
 * In training mode zeroes each element with probability `p` and scales the rest by
 * 1/(1 − p) (PyTorch's nn.Dropout); after `eval()` it returns its input unchanged.
 */
export class Dropout extends Module {
  readonly p: number;

  constructor(p = 0.5) {
    super();
    this.p = checkProbability('Dropout', 'p', p);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
