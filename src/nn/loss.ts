/** @file Losses as modules: CrossEntropyLoss and MSELoss (mean reduction, as PyTorch's default). */
import { ShapeError } from '../errors.js';
import { sub } from '../ops/elementwise/binary.js';
import { square } from '../ops/elementwise/unary.js';
import { crossEntropy } from '../ops/nn/crossEntropy.js';
import { mean } from '../ops/reduce/sum.js';
import { checkTensor } from '../ops/convert.js';
import { shapeStr, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** The mean cross-entropy of logits [N, C] against int32 labels [N] (fg.crossEntropy as a module). */
export class CrossEntropyLoss extends Module<[Tensor, Tensor]> {
  forward(logits: Tensor, labels: Tensor): Tensor {
    return crossEntropy(logits, labels);
  }
}

/** The mean of (input − target)² over every element; the shapes must match. */
export function mseLoss(input: Tensor, target: Tensor): Tensor {
  checkTensor('mseLoss', 'input', input);
  checkTensor('mseLoss', 'target', target);
  // No broadcasting: a [N] target against [N, 1] predictions would silently give an [N, N] loss.
  if (!shapesEqual(input.shape, target.shape)) throw new ShapeError('mseLoss', 'target', `${shapeStr(input.shape)} (the shape of input)`, shapeStr(target.shape));
  return mean(square(sub(input, target)));
}

/** mseLoss as a module. */
export class MSELoss extends Module<[Tensor, Tensor]> {
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target);
  }
}
