/** @file Argument checks shared by the layer constructors. */
import { ValueError } from '../errors.js';

export type FloatDType = 'float32' | 'float64';

/** An integer ≥ `min` (layer sizes: 0 allowed for features, as in PyTorch; kernels need ≥ 1). */
export function checkPositiveInt(op: string, arg: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(op, arg, min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`, v);
  return v;
}

/** A number or an [h, w] pair of integers ≥ `min`, as a pair. */
export function checkPair(op: string, arg: string, v: unknown, min: number): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new ValueError(op, arg, `an integer ≥ ${min} or a pair [h, w] of them`, v);
}

export function checkFloatDType(op: string, dtype: unknown): FloatDType {
  if (dtype !== 'float32' && dtype !== 'float64') throw new ValueError(op, 'dtype', "'float32' or 'float64'", dtype);
  return dtype;
}

/** A probability in [0, 1]. */
export function checkProbability(op: string, arg: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(op, arg, 'a probability in [0, 1]', p);
  return p;
}
