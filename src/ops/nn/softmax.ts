/**
 * @file softmax and logSoftmax along one dim. Each is its own op with a stable kernel
 * (the lane maximum is subtracted first); their VJP and JVP rules read only the output and
 * are written with ops, so second derivatives come for free.
 */
import { AxisError, DTypeError } from '../../errors.js';
import { logSoftmaxKernel, softmaxKernel, type SoftmaxAttrs } from '../../kernels/reference/softmax.js';
import { registerKernel } from '../../kernels/registry.js';
import { isFloating, toFloating } from '../../tensor/dtype.js';
import { normalizeAxis } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { mul, sub } from '../elementwise/binary.js';
import { cast } from '../elementwise/cast.js';
import { exp } from '../elementwise/unary.js';
import { sum } from '../reduce/sum.js';

declare module '../schema.js' {
  interface OpAttrMap {
    softmax: SoftmaxAttrs;
    logSoftmax: SoftmaxAttrs;
  }
}

/** Validates inputs and attrs (graph files are untrusted): a floating x and a dim in range. */
function inferSoftmax(op: string, [x]: readonly TensorType[], { axis }: SoftmaxAttrs): TensorType[] {
  if (!isFloating(x.dtype)) throw new DTypeError(op, 'x', 'float32 or float64', x.dtype);
  const n = Math.max(x.shape.length, 1);
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < 0 || axis >= n) throw new AxisError(op, 'dim', axis, x.shape.length);
  return [{ shape: x.shape, dtype: x.dtype }];
}

/** Σ along the op's dim, kept as size 1 so it broadcasts back over the lane. */
const laneSum = (t: Tensor, axis: number): Tensor => sum(t, axis, true);

// Both ops are 'opaque' fusion-wise, as in TVM: a reduction over the lane feeds a map over it.
defineOp({
  name: 'softmax',
  inputs: ['x'],
  infer: (ins, attrs) => inferSoftmax('softmax', ins, attrs),
  // dx = y·(g − Σ g·y): the Jacobian diag(y) − y yᵀ applied to g.
  vjp: ({ outputs: [y], attrs }, [g]) => [mul(y, sub(g, laneSum(mul(g, y), attrs.axis)))],
  jvp: ({ outputs: [y], attrs }, [t]) => [mul(y, sub(t, laneSum(mul(t, y), attrs.axis)))],
  fusion: 'opaque',
  flags: {},
});
registerKernel('softmax', { backend: 'reference', kernel: softmaxKernel, contiguousInputs: true });

defineOp({
  name: 'logSoftmax',
  inputs: ['x'],
  infer: (ins, attrs) => inferSoftmax('logSoftmax', ins, attrs),
  // dx = g − softmax(x)·Σ g, with softmax(x) = exp(y).
  vjp: ({ outputs: [y], attrs }, [g]) => [sub(g, mul(exp(y), laneSum(g, attrs.axis)))],
  jvp: ({ outputs: [y], attrs }, [t]) => [sub(t, laneSum(mul(exp(y), t), attrs.axis))],
  fusion: 'opaque',
  flags: {},
});
registerKernel('logSoftmax', { backend: 'reference', kernel: logSoftmaxKernel, contiguousInputs: true });

function softmaxCall(op: 'softmax' | 'logSoftmax', x: Tensor, dim: number): Tensor {
  checkTensor(op, 'self', x);
  const axis = normalizeAxis(op, 'dim', dim, x.ndim);
  // Int and bool inputs compute in float32, as exp does.
  return apply1(op, [cast(x, toFloating(x.dtype))], { axis });
}

/** e^x / Σ e^x along `dim` (default: the last). Each lane sums to 1. */
export function softmax(x: Tensor, dim = -1): Tensor {
  return softmaxCall('softmax', x, dim);
}

/** log(softmax(x)) along `dim`, computed as x − max − log Σ e^(x − max) so it never overflows. */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return softmaxCall('logSoftmax', x, dim);
}
