/** @file Turning user arguments (tensors, JS numbers) into op inputs of the right dtype. */
import { ValueError } from '../errors.js';
import { ARRAY_OF, type DType, promoteTypes, weakNumberType } from '../tensor/dtype.js';
import { Tensor, disposedError } from '../tensor/tensor.js';

/** A 0-d tensor holding `value`. */
export function scalar(value: number, dtype: DType, device = 'cpu'): Tensor {
  const data = new ARRAY_OF[dtype](1);
  data[0] = dtype === 'bool' ? Number(value !== 0) : value;
  return Tensor.fromData(data, [], dtype, device);
}

/** Checks an argument is a tensor, naming the op and argument if not. */
export function checkTensor(op: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(op, arg, 'a Tensor', x);
  if (x.disposed) throw disposedError(op, arg);
  return x;
}

const isNumberLike = (x: unknown): x is number | boolean => typeof x === 'number' || typeof x === 'boolean';

/** A JS boolean is the lowest kind, so it always takes the tensor's dtype; a number may widen it. */
const weakType = (t: DType, value: number | boolean): DType => (typeof value === 'boolean' ? t : weakNumberType(t, value));

/**
 * The two operands of a binary op at their common dtype. A JS number takes the tensor's
 * dtype (weak typing, as JAX and PyTorch scalars do) unless it would not fit.
 */
export function binaryOperands(op: string, a: unknown, b: unknown, castTo: (t: Tensor, d: DType) => Tensor): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) {
    const dtype = promoteTypes(a.dtype, b.dtype);
    return [a.dtype === dtype ? a : castTo(a, dtype), b.dtype === dtype ? b : castTo(b, dtype)];
  }
  if (a instanceof Tensor) {
    if (!isNumberLike(b)) throw new ValueError(op, 'other', 'a Tensor or a number', b);
    const dtype = weakType(a.dtype, b);
    return [a.dtype === dtype ? a : castTo(a, dtype), scalar(Number(b), dtype, a.device)];
  }
  if (b instanceof Tensor) {
    if (!isNumberLike(a)) throw new ValueError(op, 'self', 'a Tensor or a number', a);
    const dtype = weakType(b.dtype, a);
    return [scalar(Number(a), dtype, b.device), b.dtype === dtype ? b : castTo(b, dtype)];
  }
  if (isNumberLike(a) && isNumberLike(b)) return [scalar(Number(a), 'float32'), scalar(Number(b), 'float32')];
  throw new ValueError(op, isNumberLike(a) ? 'other' : 'self', 'a Tensor or a number', isNumberLike(a) ? b : a);
}
