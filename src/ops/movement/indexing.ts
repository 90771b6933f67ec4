/** @file Checks shared by the indexed ops (gather, indexSelect, scatterAdd, indexAdd). */
import { AxisError, DTypeError, ValueError } from '../../errors.js';
import { type Dim, shapeStr } from '../../tensor/shape.js';
import type { TensorType } from '../../tensor/type.js';

/** Checks the indexed dim of an op's attrs (0 ≤ dim < ndim; graph files are untrusted). */
export function checkDimAttr(op: string, dim: unknown, ndim: number): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0 || dim >= ndim) throw new AxisError(op, 'dim', dim, ndim);
  return dim;
}

/** Checks that an index argument is an int32 tensor type. */
export function checkIndexType(op: string, index: TensorType): void {
  if (index.dtype !== 'int32') throw new DTypeError(op, 'index', 'int32', index.dtype);
}

/** True when a (possibly symbolic) index dim is known to exceed the dim it indexes into. */
export const exceeds = (n: Dim, limit: Dim): boolean => typeof n === 'number' && typeof limit === 'number' && n > limit;

/** `[2, *, 4]`: a shape with the indexed dim left free, for error messages. */
export const shapeExceptDim = (shape: readonly Dim[], dim: number): string => shapeStr(shape.map((d, k) => (k === dim ? '*' : d)));

/** Checks an output-shape attr: non-negative integers or symbolic dim names. */
export function checkShapeAttr(op: string, shape: unknown): readonly Dim[] {
  const ok = (d: unknown) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || (typeof d === 'string' && d.length > 0);
  if (!Array.isArray(shape) || !shape.every(ok)) throw new ValueError(op, 'shape', 'an array of non-negative integers or dim names', shape);
  return shape;
}
