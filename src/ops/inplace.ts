/**
 * @file In-place ops (PyTorch's trailing underscore): `add_ sub_ mul_ div_ copy_ zero_ fill_`.
 *
 * They compute out of place and write the result back into the tensor's own storage,
 * bumping the storage version so the tape can tell a saved tensor was changed. On tensors
 * that require grad they are allowed only inside `noGrad` (optimizers use them there).
 */
import { AutogradError, ShapeError, TraceError, ValueError } from '../errors.js';
import { copyInto } from '../kernels/reference/copy.js';
import { broadcastShapes } from '../tensor/broadcast.js';
import { shapesEqual, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, scalar } from './convert.js';
import { isGradEnabled } from './gradMode.js';
import { type Operand, add, div, mul, sub } from './elementwise/binary.js';


function checkWritable(op: string, x: Tensor): void {
  checkTensor(op, 'self', x);
  if (x.trace) throw new TraceError(`${op}: in-place ops cannot be traced; use the out-of-place op inside traced code`);
  if (x.requiresGrad && isGradEnabled()) {
    throw new AutogradError(
      `${op}: in-place op on a tensor that requires grad${x.isLeaf ? ' (a leaf)' : ''}; wrap it in fg.noGrad(() => …) ` +
        '(as optimizers do) or use the out-of-place op',
    );
  }
}

/** Writes `value` into `x`'s storage and marks the storage modified. */
function writeBack(op: string, x: Tensor, value: Tensor): Tensor {
  if (!shapesEqual(broadcastShapes(op, x.shape, value.shape), x.shape)) {
    throw new ShapeError(op, 'other', `a shape broadcastable to ${shapeStr(x.shape)} (in-place results keep self's shape)`, shapeStr(value.shape));
  }
  copyInto(x, value);
  x.storage.version++;
  return x;
}

const inPlace = (op: string, f: (a: Tensor, b: Operand) => Tensor) => (x: Tensor, other: Operand): Tensor => {
  checkWritable(op, x);
  return writeBack(op, x, f(x, other));
};

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

export function fill_(x: Tensor, value: number | boolean): Tensor {
  checkWritable('fill_', x);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError('fill_', 'value', 'a number or boolean', value);
  return writeBack('fill_', x, scalar(Number(value), x.dtype, x.device));
}

export const zero_ = (x: Tensor): Tensor => fill_(x, 0);
