/** @file Tensor constructors from JS data and fill patterns. */
import { ValueError, describe, given } from '../errors.js';
import { ARRAY_OF, type DType, type TypedArray, checkDType } from './dtype.js';
import { checkShapeArg, shapeStr, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  device?: string;
}

export type NestedArray = number | boolean | readonly NestedArray[];
export type TensorData = NestedArray | TypedArray;

function dtypeOfTypedArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

export function checkDevice(op: string, device: unknown): string {
  if (device === undefined) return 'cpu';
  if (typeof device !== 'string' || !/^cpu(:\d+)?$/.test(device)) {
    throw new ValueError(op, 'device', "a device name such as 'cpu' or 'cpu:0'", device);
  }
  return device;
}

function finish(t: Tensor, op: string, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  void op;
  return t;
}

/** A fresh tensor; a size no typed array can hold is a ValueError, not a RangeError from deep inside. */
function allocate(op: string, arg: string, shape: readonly number[], dtype: DType, device: string): Tensor {
  try {
    return Tensor.empty(shape, dtype, device);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ValueError(op, arg, 'a shape whose elements fit in one typed array', given(`${shapeStr(shape)} (${sizeOf(shape)} elements)`));
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks that `values` convert to `dtype` without losing their meaning: int32 and bool need
 * finite values, and int32 ones in range (typed arrays would silently wrap 2^40 to 0).
 */
function checkConvertible(op: string, arg: string, values: ArrayLike<number>, dtype: DType): void {
  if (dtype === 'float32' || dtype === 'float64') return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new ValueError(op, arg, `finite values for dtype ${dtype}`, v);
    if (dtype === 'int32' && (Math.trunc(v) < INT32_MIN || Math.trunc(v) > INT32_MAX)) {
      throw new ValueError(op, arg, `values in the int32 range [${INT32_MIN}, ${INT32_MAX}]`, v);
    }
  }
}

/** `values` converted to `dtype` in a new array: floats truncate toward zero for int32; bool is v !== 0. */
function convertValues(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = new ARRAY_OF[dtype](values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]);
  else out.set(values);
  return out;
}

function checkOptions(op: string, opts: unknown): TensorOptions {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new ValueError(op, 'opts', 'an options object { dtype?, requiresGrad?, device? }', opts);
  }
  const o = opts as TensorOptions;
  if (o.dtype !== undefined) checkDType(op, 'dtype', o.dtype);
  if (o.requiresGrad !== undefined && typeof o.requiresGrad !== 'boolean') throw new ValueError(op, 'requiresGrad', 'a boolean', o.requiresGrad);
  checkDevice(op, o.device);
  return o;
}

// Deeper nesting than any tensor has is a cycle or garbage; stop before the JS stack overflows.
const MAX_NESTING = 64;

/** Walks nested arrays once for the shape, checking every level is rectangular. */
function inferShape(data: NestedArray, path: string, depth = 0): number[] {
  if (!Array.isArray(data)) return [];
  if (depth >= MAX_NESTING) throw new ValueError('tensor', 'data', `nested arrays at most ${MAX_NESTING} levels deep (a cyclic array?)`, given(`deeper nesting at ${path.slice(0, 40)}…`));
  const shape = [data.length];
  if (data.length === 0) return shape;
  const inner = inferShape(data[0], `${path}[0]`, depth + 1);
  for (let i = 1; i < data.length; i++) {
    const s = inferShape(data[i], `${path}[${i}]`, depth + 1);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      throw new ValueError('tensor', 'data', `a rectangular nested array (${path}[0] has shape [${inner.join(', ')}])`, given(`${path}[${i}] with shape [${s.join(', ')}]`));
    }
  }
  return shape.concat(inner);
}

/** Copies the leaves into `out` in row-major order; notes whether any leaf is a number. */
function flatten(data: NestedArray, out: Float64Array, pos: { i: number }, seen: { number: boolean }): void {
  if (Array.isArray(data)) {
    for (const x of data) flatten(x, out, pos, seen);
    return;
  }
  if (typeof data === 'number') {
    seen.number = true;
    out[pos.i++] = data;
  } else if (typeof data === 'boolean') out[pos.i++] = data ? 1 : 0;
  else throw new ValueError('tensor', 'data', 'numbers or booleans (possibly nested in arrays)', given(`an element that is ${describe(data)}`));
}

/**
 * A tensor from a number, a boolean, nested arrays or a TypedArray.
 * Numbers default to float32, booleans to bool; a TypedArray keeps its own dtype.
 */
export function tensor(data: TensorData, opts?: TensorOptions): Tensor {
  const o = checkOptions('tensor', opts);
  const device = checkDevice('tensor', o.device);
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint8Array)) {
      throw new ValueError('tensor', 'data', 'a Float32Array, Float64Array, Int32Array or Uint8Array', data);
    }
    const values = data as TypedArray;
    const dtype = o.dtype ?? dtypeOfTypedArray(values);
    // Same kind: a plain copy. A Uint8Array is converted even to bool, so bools are stored as 0/1.
    if (dtype !== 'bool' && values instanceof ARRAY_OF[dtype]) return finish(Tensor.fromData(values.slice(), [values.length], dtype, device), 'tensor', o);
    checkConvertible('tensor', 'data', values, dtype);
    return finish(Tensor.fromData(convertValues(values, dtype), [values.length], dtype, device), 'tensor', o);
  }
  if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
    throw new ValueError('tensor', 'data', 'a number, boolean, nested array or TypedArray', data);
  }
  const shape = inferShape(data, 'data');
  const buf = new Float64Array(sizeOf(shape));
  const seen = { number: false };
  flatten(data, buf, { i: 0 }, seen);
  // Only all-boolean data is bool: a number anywhere makes it numeric ([true, 2] is [1, 2]).
  const dtype = o.dtype ?? (buf.length > 0 && !seen.number ? 'bool' : 'float32');
  checkConvertible('tensor', 'data', buf, dtype);
  return finish(Tensor.fromData(convertValues(buf, dtype), shape, dtype, device), 'tensor', o);
}

function filled(op: string, shape: readonly number[], value: number | boolean, opts: TensorOptions | undefined): Tensor {
  const o = checkOptions(op, opts);
  const s = checkShapeArg(op, 'shape', shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(op, 'value', 'a number or boolean', value);
  const dtype = o.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  checkConvertible(op, 'value', [Number(value)], dtype);
  const [converted] = convertValues([Number(value)], dtype);
  const t = allocate(op, 'shape', [...s], dtype, checkDevice(op, o.device));
  t.storage.data.fill(converted);
  return finish(t, op, o);
}

/** A tensor of `shape` filled with `value` (float32 for a number, bool for a boolean, unless opts.dtype). */
export const full = (shape: readonly number[], value: number | boolean, opts?: TensorOptions): Tensor => filled('full', shape, value, opts);
/** A tensor of `shape` filled with 0 (float32 unless opts.dtype). */
export const zeros = (shape: readonly number[], opts?: TensorOptions): Tensor => filled('zeros', shape, 0, opts);
/** A tensor of `shape` filled with 1 (float32 unless opts.dtype). */
export const ones = (shape: readonly number[], opts?: TensorOptions): Tensor => filled('ones', shape, 1, opts);

function checkFiniteNumber(op: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(op, arg, 'a finite number', v);
  return v;
}

/** `arange(stop)` or `arange(start, stop, step = 1)`: [start, stop) in steps; int32 if all are integers. */
export function arange(start: number, stop?: number, step?: number | TensorOptions, opts?: TensorOptions): Tensor {
  if (typeof step === 'object') [opts, step] = [step, undefined];
  if (typeof stop === 'object') [opts, stop] = [stop as TensorOptions, undefined];
  const o = checkOptions('arange', opts);
  let lo = checkFiniteNumber('arange', 'start', start);
  let hi: number;
  if (stop === undefined) [lo, hi] = [0, lo];
  else hi = checkFiniteNumber('arange', 'stop', stop);
  const st = step === undefined ? 1 : checkFiniteNumber('arange', 'step', step);
  if (st === 0) throw new ValueError('arange', 'step', 'a non-zero number', st);
  const n = Math.max(0, Math.ceil((hi - lo) / st));
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(st);
  const dtype = o.dtype ?? (allInt ? 'int32' : 'float32');
  if (n > 0) checkConvertible('arange', 'stop', [lo, lo + (n - 1) * st], dtype);
  const t = allocate('arange', 'stop', [n], dtype, checkDevice('arange', o.device));
  const values = t.storage.data;
  for (let i = 0; i < n; i++) values[i] = lo + i * st;
  return finish(t, 'arange', o);
}

export function linspace(a: number, b: number, n: number, opts?: TensorOptions): Tensor {
  const o = checkOptions('linspace', opts);
  checkFiniteNumber('linspace', 'start', a);
  checkFiniteNumber('linspace', 'end', b);
  if (!Number.isInteger(n) || n < 0) throw new ValueError('linspace', 'steps', 'a non-negative integer', n);
  const t = allocate('linspace', 'steps', [n], o.dtype ?? 'float32', checkDevice('linspace', o.device));
  for (let i = 0; i < n; i++) t.storage.data[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return finish(t, 'linspace', o);
}

export function eye(n: number, opts?: TensorOptions): Tensor {
  const o = checkOptions('eye', opts);
  if (!Number.isInteger(n) || n < 0) throw new ValueError('eye', 'n', 'a non-negative integer', n);
  const t = allocate('eye', 'n', [n, n], o.dtype ?? 'float32', checkDevice('eye', o.device));
  for (let i = 0; i < n; i++) t.storage.data[i * n + i] = 1;
  return finish(t, 'eye', o);
}

function checkLike(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(op, 'self', 'a Tensor', t);
  return t;
}

/** Zeros of `t`'s shape, dtype and device (opts override). */
export const zerosLike = (t: Tensor, opts?: TensorOptions): Tensor => filled('zerosLike', checkLike('zerosLike', t).shape, 0, { dtype: t.dtype, device: t.device, ...checkOptions('zerosLike', opts) });
/** Ones of `t`'s shape, dtype and device (opts override). */
export const onesLike = (t: Tensor, opts?: TensorOptions): Tensor => filled('onesLike', checkLike('onesLike', t).shape, 1, { dtype: t.dtype, device: t.device, ...checkOptions('onesLike', opts) });
