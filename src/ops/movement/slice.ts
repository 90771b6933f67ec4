/**
 * @file slice: every step-th element of one dim between start and end (a view), and its
 * adjoint sliceBackward, which writes a gradient back into zeros of the input's shape.
 * Each is the other's VJP, so gradients of any order stay within these two ops.
 */
import { type SliceAttrs, sliceBackwardKernel, sliceLength, sliceView } from '../../kernels/reference/movement.js';
import { registerKernel } from '../../kernels/registry.js';
import { AxisError, ShapeError, ValueError } from '../../errors.js';
import { type Dim, normalizeAxis, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

export type { SliceAttrs };

declare module '../schema.js' {
  interface OpAttrMap {
    /** Canonical: 0 ≤ dim < ndim, 0 ≤ start ≤ end ≤ size of dim, step ≥ 1. */
    slice: SliceAttrs;
    /** A slice's attrs plus `size`, the size of the sliced dim in the slice's input. */
    sliceBackward: SliceAttrs & { readonly size: Dim };
  }
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Validates canonical slice attrs against a tensor type whose `dim` has `size` elements. */
function checkSliceAttrs(op: string, x: TensorType, attrs: SliceAttrs, size: Dim): void {
  const { dim, start, end, step } = attrs;
  if (!isIndex(dim) || dim >= x.shape.length) throw new AxisError(op, 'dim', dim, x.shape.length);
  if (!isIndex(step) || step < 1) throw new ValueError(op, 'step', 'an integer ≥ 1', step);
  const bound = typeof size === 'number' ? size : Infinity;
  if (!isIndex(start) || start > bound) throw new ValueError(op, 'start', `an integer in [0, ${size}]`, start);
  if (!isIndex(end) || end < start || end > bound) throw new ValueError(op, 'end', `an integer in [start = ${start}, ${size}]`, end);
}

const withDim = (shape: readonly Dim[], dim: number, size: Dim): Dim[] => shape.map((d, i) => (i === dim ? size : d));

defineOp({
  name: 'slice',
  inputs: ['x'],
  infer: ([x], attrs) => {
    checkSliceAttrs('slice', x, attrs, x.shape[attrs.dim]);
    return [{ shape: withDim(x.shape, attrs.dim, sliceLength(attrs)), dtype: x.dtype }];
  },
  vjp: ({ inputs: [x], attrs }, [g]) => [apply1('sliceBackward', [g], { ...sliceAttrsOf(attrs), size: x.shape[attrs.dim] })],
  jvp: ({ attrs }, [t]) => [apply1('slice', [t], attrs)],
  fusion: 'injective',
  flags: { view: true },
});
registerKernel('slice', { backend: 'reference', device: '*', kernel: ([x], attrs) => [sliceView(x, attrs)] });

defineOp({
  name: 'sliceBackward',
  inputs: ['grad'],
  infer: ([g], attrs) => {
    const { size } = attrs;
    if (!(isIndex(size) || (typeof size === 'string' && size.length > 0))) throw new ValueError('sliceBackward', 'size', 'a non-negative integer or a symbolic dim', size);
    checkSliceAttrs('sliceBackward', g, attrs, size);
    const got = g.shape[attrs.dim];
    if (typeof got === 'number' && got !== sliceLength(attrs)) {
      throw new ShapeError('sliceBackward', 'grad', `${sliceLength(attrs)} elements in dim ${attrs.dim} (the slice's length)`, shapeStr(g.shape));
    }
    return [{ shape: withDim(g.shape, attrs.dim, size), dtype: g.dtype }];
  },
  vjp: ({ attrs }, [g]) => [apply1('slice', [g], sliceAttrsOf(attrs))],
  jvp: ({ attrs }, [t]) => [apply1('sliceBackward', [t], attrs)],
  fusion: 'injective',
  flags: {},
});
registerKernel('sliceBackward', { backend: 'reference', kernel: sliceBackwardKernel });

/** Just the slice's own attrs (drops sliceBackward's `size`). */
const sliceAttrsOf = ({ dim, start, end, step }: SliceAttrs): SliceAttrs => ({ dim, start, end, step });

/** A Python slice bound: negative counts from the end, then clamped into [0, size]. */
function sliceBound(arg: string, value: unknown, fallback: number, size: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ValueError('slice', arg, 'an integer, null or undefined', value);
  return value < 0 ? Math.max(0, value + size) : Math.min(value, size);
}

/**
 * A view of elements start, start + step, … (end exclusive) of dim `dim`, as Python's
 * `x[start:end:step]`: negative indices count from the end and bounds are clamped, so
 * `slice(x, 0, 0, -2)` drops the last two rows and an out-of-range slice is empty.
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  checkTensor('slice', 'self', x);
  if (x.ndim === 0) throw new ValueError('slice', 'self', 'a tensor with at least one dim', x);
  const d = normalizeAxis('slice', 'dim', dim, x.ndim);
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 1) throw new ValueError('slice', 'step', 'an integer ≥ 1', step);
  const size: Dim = x.shape[d];
  if (typeof size !== 'number') return sliceSymbolic(x, d, size, start, end, step);
  const s = sliceBound('start', start, 0, size);
  const e = Math.max(s, sliceBound('end', end, size, size));
  if (s === 0 && e === size && step === 1) return x;
  return apply1('slice', [x], { dim: d, start: s, end: e, step });
}

/**
 * A slice of a dim whose size is a symbol while tracing: the bounds cannot be resolved
 * against it, so they must be explicit and non-negative (the graph checks them when it runs).
 */
function sliceSymbolic(x: Tensor, dim: number, size: string, start: unknown, end: unknown, step: number): Tensor {
  const s = start ?? 0;
  for (const [arg, v] of [['start', s], ['end', end]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ValueError('slice', arg, `a non-negative integer (dim ${dim} has the symbolic size ${size})`, v);
    }
  }
  return apply1('slice', [x], { dim, start: s as number, end: Math.max(s as number, end as number), step });
}
