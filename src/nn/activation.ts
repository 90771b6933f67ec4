/** @file Elementwise activations as modules: ReLU, Tanh, Sigmoid. */
import { relu, sigmoid, tanh } from '../ops/elementwise/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** max(0, x), elementwise. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** tanh(x), elementwise. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** 1 / (1 + e^−x), elementwise. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}
