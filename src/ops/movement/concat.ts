/**
 * @file concat: tensors joined along an existing dim (one variadic op whose VJP slices the
 * gradient apart), and stack, which joins them along a new dim via unsqueeze + concat.
 */
import { concatKernel } from '../../kernels/reference/movement.js';
import { registerKernel } from '../../kernels/registry.js';
import { AxisError, DTypeError, FlowgradError, ShapeError, ValueError, given } from '../../errors.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { type Dim, normalizeAxis, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { cast } from '../elementwise/cast.js';
import { normalizeNewDim } from './dims.js';
import { unsqueeze } from './squeeze.js';

declare module '../schema.js' {
  interface OpAttrMap {
    /** The dim to join along, 0 ≤ dim < ndim. */
    concat: { dim: number };
  }
}

/** The joined size: a number, or a sum such as `n+m+3` when some sizes are symbolic. */
function totalSize(sizes: readonly Dim[]): Dim {
  const known = sizes.reduce<number>((a, d) => (typeof d === 'number' ? a + d : a), 0);
  const symbols = sizes.filter((d): d is string => typeof d === 'string');
  if (symbols.length === 0) return known;
  return known === 0 ? symbols.join('+') : [...symbols, String(known)].join('+');
}

function inferConcat(ins: readonly TensorType[], dim: number): TensorType[] {
  if (ins.length === 0) throw new ValueError('concat', 'tensors', 'at least one tensor', given('none'));
  const [first] = ins;
  const ndim = first.shape.length;
  if (!Number.isInteger(dim) || dim < 0 || dim >= ndim) throw new AxisError('concat', 'dim', dim, ndim);
  ins.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new DTypeError('concat', `tensors[${i}]`, `${first.dtype} (the dtype of tensors[0])`, t.dtype);
    if (t.shape.length !== ndim || t.shape.some((d, k) => k !== dim && d !== first.shape[k])) {
      const pattern = shapeStr(first.shape.map((d, k) => (k === dim ? '*' : d)));
      throw new ShapeError('concat', `tensors[${i}]`, `${pattern} (the shape of tensors[0] except in dim ${dim})`, shapeStr(t.shape));
    }
  });
  return [{ shape: first.shape.map((d, k) => (k === dim ? totalSize(ins.map((t) => t.shape[dim])) : d)), dtype: first.dtype }];
}

defineOp({
  name: 'concat',
  inputs: ['tensors'],
  variadic: true,
  infer: (ins, { dim }) => inferConcat(ins, dim),
  vjp: ({ inputs, attrs: { dim } }, [g]) => {
    let start = 0;
    return inputs.map((x) => {
      const size: Dim = x.shape[dim];
      if (typeof size !== 'number') throw new FlowgradError(`concat: the gradient along dim ${dim}, of symbolic size ${size}, needs concrete sizes`);
      const end = start + size;
      const part = apply1('slice', [g], { dim, start, end, step: 1 });
      start = end;
      return part;
    });
  },
  jvp: ({ attrs }, tangents) => [apply1('concat', tangents, attrs)],
  fusion: 'injective',
  flags: {},
});
registerKernel('concat', { backend: 'reference', kernel: concatKernel });

/** Checks the user's tensor list: a non-empty array of tensors. */
function checkTensorList(op: string, ts: unknown): readonly Tensor[] {
  if (!Array.isArray(ts)) throw new ValueError(op, 'tensors', 'an array of tensors', ts);
  if (ts.length === 0) throw new ValueError(op, 'tensors', 'a non-empty array of tensors', given('an empty array'));
  ts.forEach((t, i) => checkTensor(op, `tensors[${i}]`, t));
  return ts;
}

/**
 * The tensors joined along `dim` (negative counts from the end). They must agree in every
 * other dim; their dtypes are promoted to a common one, as in binary ops.
 */
export function concat(ts: readonly Tensor[], dim = 0): Tensor {
  const list = checkTensorList('concat', ts);
  list.forEach((t, i) => {
    if (t.ndim === 0) throw new ValueError('concat', `tensors[${i}]`, 'a tensor with at least one dim (stack joins 0-d tensors)', t);
  });
  const d = normalizeAxis('concat', 'dim', dim, list[0].ndim);
  const dtype = list.map((t) => t.dtype).reduce(promoteTypes);
  return apply1('concat', list.map((t) => (t.dtype === dtype ? t : cast(t, dtype))), { dim: d });
}

/** The tensors (all of one shape) stacked along a new dim at position `dim`, in [-ndim - 1, ndim]. */
export function stack(ts: readonly Tensor[], dim = 0): Tensor {
  const list = checkTensorList('stack', ts);
  const [first] = list;
  const d = normalizeNewDim('stack', 'dim', dim, first.ndim);
  list.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => s !== first.shape[k])) {
      throw new ShapeError('stack', `tensors[${i}]`, `${shapeStr(first.shape)} (the shape of tensors[0])`, shapeStr(t.shape));
    }
  });
  return concat(list.map((t) => unsqueeze(t, d)), d);
}
