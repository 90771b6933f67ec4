/** @file Shape inference for the reductions that have no identity (max, min, argmax, argmin). */
import { ShapeError } from '../../errors.js';
import { type SymShape, shapeStr } from '../../tensor/shape.js';
import type { TensorType } from '../../tensor/type.js';
import { type ReduceAttrs, reducedShape } from './common.js';

/**
 * reducedShape, also rejecting a reduction over a dim of size 0: max of nothing has no
 * answer, so it is an error (as in PyTorch) rather than ±Infinity.
 */
export function reducedShapeNonEmpty(op: string, x: TensorType, attrs: ReduceAttrs): SymShape {
  const shape = reducedShape(op, x, attrs);
  if (attrs.axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(op, 'self', 'a non-zero size in every reduced dim (an empty reduction has no max or min)', shapeStr(x.shape));
  }
  return shape;
}
