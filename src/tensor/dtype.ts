/** @file dtypes, their typed-array storage, and type promotion. */
import { DTypeError, ValueError } from '../errors.js';

export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const ARRAY_OF = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

export const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** The short name used by the IR printer (`f32[2,3]`). */
export const SHORT_NAME: Record<DType, string> = { float32: 'f32', float64: 'f64', int32: 'i32', bool: 'bool' };

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

export function checkDType(op: string, arg: string, x: unknown): DType {
  if (!isDType(x)) throw new ValueError(op, arg, `one of ${DTYPES.join(', ')}`, x);
  return x;
}

export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';

// The lattice is bool < int32 < float32 < float64, as in JAX and PyTorch: unlike NumPy,
// int32 with float32 stays float32, so integer labels never widen a model to float64.
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype of a binary op on tensors of dtypes a and b. */
export function promoteTypes(a: DType, b: DType): DType {
  const ra = RANK[a];
  const rb = RANK[b];
  // Public (fg.promoteTypes): validate, but only on the failure path, as it runs on every op.
  if (ra === undefined) checkDType('promoteTypes', 'a', a);
  if (rb === undefined) checkDType('promoteTypes', 'b', b);
  return ra >= rb ? a : b;
}

/**
 * The dtype a JS number takes beside a tensor of dtype `t`: the tensor's, unless the number
 * is of a higher kind (PyTorch's result_type): 1.5 with an int32 tensor gives float32, and
 * any number with a bool tensor gives int32 (1 too: bool + 1 is arithmetic, as in PyTorch).
 * A JS boolean operand keeps the tensor's dtype; callers handle that case.
 */
export function weakNumberType(t: DType, value: number): DType {
  if (isFloating(t)) return t;
  if (!Number.isInteger(value)) return 'float32';
  return t === 'bool' ? 'int32' : t;
}

/** Floating ops (exp, log, …) on int or bool inputs compute in float32, as in PyTorch. */
export const toFloating = (d: DType): DType => (isFloating(d) ? d : 'float32');

export function requireFloating(op: string, arg: string, d: DType): DType {
  if (!isFloating(d)) throw new DTypeError(op, arg, 'float32 or float64', d);
  return d;
}
