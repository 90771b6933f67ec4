/** @file Helpers shared by VJP rules. */
import { broadcastedAxes } from '../tensor/broadcast.js';
import { type SymShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './movement/reshape.js';
import { sum } from './reduce/sum.js';

/** Sums a gradient over the dims its input was broadcast along, back to the input's shape. */
export function sumToShape(g: Tensor, shape: SymShape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const { axes } = broadcastedAxes(shape, g.shape);
  const summed = axes.length > 0 ? sum(g, axes, true) : g;
  return shapesEqual(summed.shape, shape) ? summed : reshape(summed, shape as number[]);
}
