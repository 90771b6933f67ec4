/** @file Shape inference and argument handling shared by the reductions. */
import { AxisError, DTypeError, ValueError } from '../../errors.js';
import type { ReduceAttrs } from '../../kernels/reference/reduce.js';
import type { DType } from '../../tensor/dtype.js';
import { type Dim, normalizeAxes } from '../../tensor/shape.js';
import type { TensorType } from '../../tensor/type.js';

export type { ReduceAttrs };

/** The reduced shape: axes removed, or kept as size 1 with keepDim. Validates attrs (graph files are untrusted). */
export function reducedShape(op: string, x: TensorType, attrs: ReduceAttrs): Dim[] {
  const { axes, keepDim } = attrs;
  if (!Array.isArray(axes)) throw new ValueError(op, 'axis', 'an array of dims', axes);
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i];
    if (!Number.isInteger(a) || a < 0 || a >= x.shape.length || (i > 0 && a <= axes[i - 1])) throw new AxisError(op, 'axis', a, x.shape.length);
  }
  if (typeof keepDim !== 'boolean') throw new ValueError(op, 'keepDim', 'a boolean', keepDim);
  return keepDim ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}

/** User arguments `(axis?, keepDim = false)` to canonical attrs. */
export function reduceAttrs(op: string, ndim: number, axis: unknown, keepDim: unknown): ReduceAttrs {
  if (keepDim !== undefined && typeof keepDim !== 'boolean') throw new ValueError(op, 'keepDim', 'a boolean', keepDim);
  return { axes: normalizeAxes(op, 'axis', axis, ndim), keepDim: keepDim ?? false };
}

export function requireNumeric(op: string, d: DType): void {
  if (d === 'bool') throw new DTypeError(op, 'self', 'a numeric dtype', d);
}
