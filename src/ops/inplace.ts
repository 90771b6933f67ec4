/**
 * @file In-place ops (PyTorch's trailing underscore): `add_ sub_ mul_ div_ copy_ zero_ fill_`
 * and the unary `exp_ log_ sqrt_ tanh_ sigmoid_ relu_ neg_ abs_`.
 *
 * They write the result back into the tensor's own storage, bumping the storage version so
 * the tape can tell a saved tensor was changed. A unary op on a contiguous tensor runs its
 * kernel straight into that storage when the kernel can (no new memory at all: the way to
 * stream over big buffers); otherwise, and for the binary ops, the result is computed out of
 * place and copied back. On tensors that require grad they are allowed only inside `noGrad`
 * (optimizers use them there).
 */
import { AutogradError, DTypeError, ShapeError, TraceError, ValueError, given } from '../errors.js';
import { copyInto } from '../kernels/reference/copy.js';
import { broadcastShapes } from '../tensor/broadcast.js';
import { type DType, isFloating } from '../tensor/dtype.js';
import { shapesEqual, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, scalar } from './convert.js';
import { isGradEnabled } from './gradMode.js';
import { tryApplyInto } from './dispatch.js';
import { type Operand, add, div, mul, sub } from './elementwise/binary.js';
import { type UnaryOp, abs, exp, log, neg, relu, sigmoid, sqrt, tanh } from './elementwise/unary.js';

function checkWritable(op: string, x: Tensor): void {
  checkTensor(op, 'self', x);
  if (x.trace) throw new TraceError(`${op}: in-place ops cannot be traced; use the out-of-place op inside traced code`);
  if (x.requiresGrad && isGradEnabled()) {
    throw new AutogradError(
      `${op}: in-place op on a tensor that requires grad${x.isLeaf ? ' (a leaf)' : ''}; wrap it in fg.noGrad(() => …) ` +
        '(as optimizers do) or use the out-of-place op',
    );
  }
  // A stride-0 dim (from expand) maps many elements to one memory location: writes would race.
  if (x.shape.some((d, i) => d > 1 && x.strides[i] === 0)) {
    throw new ValueError(op, 'self', 'a tensor whose elements do not share memory (expand() makes stride-0 views; clone() it first)', given(`a view of shape ${shapeStr(x.shape)} with strides [${x.strides.join(', ')}]`));
  }
}

// bool < int32 < float: a result may be written back only into a dtype of its kind or higher (PyTorch's canCast).
const KIND: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/** Writes `value` into `x`'s storage and marks the storage modified. */
function writeBack(op: string, x: Tensor, value: Tensor): Tensor {
  if (!shapesEqual(broadcastShapes(op, x.shape, value.shape), x.shape)) {
    throw new ShapeError(op, 'other', `broadcastable to ${shapeStr(x.shape)} (in-place results keep self's shape)`, shapeStr(value.shape));
  }
  copyInto(x, value);
  x.storage.version++;
  return x;
}

/** Writes an op's result back into `x`, refusing a result of a higher dtype kind (PyTorch's canCast). */
function writeResult(op: string, x: Tensor, result: Tensor): Tensor {
  if (KIND[result.dtype] > KIND[x.dtype]) {
    throw new DTypeError(op, 'self', `${result.dtype} (the result's dtype, which cannot be written back into self; use the out-of-place op)`, x.dtype);
  }
  return writeBack(op, x, result);
}

const inPlace = (op: string, f: (a: Tensor, b: Operand) => Tensor) => (x: Tensor, other: Operand): Tensor => {
  checkWritable(op, x);
  if (!(other instanceof Tensor) && typeof other !== 'number') throw new ValueError(op, 'other', 'a Tensor or a number', other);
  return writeResult(op, x, f(x, other));
};

const unaryInPlace = (op: UnaryOp, f: (x: Tensor) => Tensor) => (x: Tensor): Tensor => {
  const name = `${op}_`;
  checkWritable(name, x);
  if (isFloating(x.dtype) && tryApplyInto(op, [x], {}, x)) {
    x.storage.version++;
    return x;
  }
  return writeResult(name, x, f(x));
};

export const exp_ = unaryInPlace('exp', exp);
export const log_ = unaryInPlace('log', log);
export const sqrt_ = unaryInPlace('sqrt', sqrt);
export const tanh_ = unaryInPlace('tanh', tanh);
export const sigmoid_ = unaryInPlace('sigmoid', sigmoid);
export const relu_ = unaryInPlace('relu', relu);
export const neg_ = unaryInPlace('neg', neg);
export const abs_ = unaryInPlace('abs', abs);

export const add_ = inPlace('add_', add);
export const sub_ = inPlace('sub_', sub);
export const mul_ = inPlace('mul_', mul);
export const div_ = inPlace('div_', div);

/** Copies `src` (broadcast, converted) into `x`. */
export function copy_(x: Tensor, src: Tensor): Tensor {
  checkWritable('copy_', x);
  checkTensor('copy_', 'src', src);
  return writeBack('copy_', x, src);
}

function fillWith(op: string, x: Tensor, value: number | boolean): Tensor {
  checkWritable(op, x);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(op, 'value', 'a number or boolean', value);
  return writeBack(op, x, scalar(Number(value), x.dtype, x.device));
}

/** Sets every element of `x` to `value` (converted to x's dtype). */
export const fill_ = (x: Tensor, value: number | boolean): Tensor => fillWith('fill_', x, value);
/** Sets every element of `x` to 0. */
export const zero_ = (x: Tensor): Tensor => fillWith('zero_', x, 0);
