/** @file Tensor constructors from JS data and fill patterns. */
import { ValueError, describe } from '../errors.js';
import { ARRAY_OF, type DType, type TypedArray, checkDType } from './dtype.js';
import { checkShapeArg, sizeOf } from './shape.js';
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

function checkOptions(op: string, opts: unknown): TensorOptions {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new ValueError(op, 'opts', 'an options object { dtype?, requiresGrad?, device? }', opts);
  }
  const o = opts as TensorOptions;
  if (o.dtype !== undefined) checkDType(op, 'dtype', o.dtype);
  checkDevice(op, o.device);
  return o;
}

/** Walks nested arrays once for the shape, checking every level is rectangular. */
function inferShape(data: NestedArray, path: string): number[] {
  if (!Array.isArray(data)) return [];
  const shape = [data.length];
  if (data.length === 0) return shape;
  const inner = inferShape(data[0], `${path}[0]`);
  for (let i = 1; i < data.length; i++) {
    const s = inferShape(data[i], `${path}[${i}]`);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k])) {
      throw new ValueError('tensor', 'data', `a rectangular nested array (${path}[0] has shape [${inner.join(', ')}])`, `${path}[${i}] with shape [${s.join(', ')}]`);
    }
  }
  return shape.concat(inner);
}

function flatten(data: NestedArray, out: TypedArray, pos: { i: number }, sawBool: { v: boolean }): void {
  if (Array.isArray(data)) {
    for (const x of data) flatten(x, out, pos, sawBool);
    return;
  }
  if (typeof data === 'number') out[pos.i++] = data;
  else if (typeof data === 'boolean') {
    sawBool.v = true;
    out[pos.i++] = data ? 1 : 0;
  } else throw new ValueError('tensor', 'data', 'numbers or booleans (possibly nested in arrays)', `an element that is ${describe(data)}`);
}

function firstLeaf(data: NestedArray): unknown {
  let x: unknown = data;
  while (Array.isArray(x) && x.length > 0) x = x[0];
  return x;
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
    const dtype = o.dtype ?? dtypeOfTypedArray(data);
    const copy = new ARRAY_OF[dtype](data.length);
    copy.set(data as ArrayLike<number>);
    return finish(Tensor.fromData(copy, [data.length], dtype, device), 'tensor', o);
  }
  if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
    throw new ValueError('tensor', 'data', 'a number, boolean, nested array or TypedArray', data);
  }
  const shape = inferShape(data, 'data');
  const leaf = firstLeaf(data);
  const dtype = o.dtype ?? (typeof leaf === 'boolean' ? 'bool' : 'float32');
  const buf = new Float64Array(sizeOf(shape));
  flatten(data, buf, { i: 0 }, { v: false });
  if (dtype !== 'float64' && dtype !== 'float32') {
    for (const v of buf) {
      if (!Number.isFinite(v)) throw new ValueError('tensor', 'data', `finite values for dtype ${dtype}`, v);
    }
  }
  const out = new ARRAY_OF[dtype](buf.length);
  if (dtype === 'bool') for (let i = 0; i < buf.length; i++) out[i] = buf[i] !== 0 ? 1 : 0;
  else out.set(buf);
  return finish(Tensor.fromData(out, shape, dtype, device), 'tensor', o);
}

export function full(shape: readonly number[], value: number | boolean, opts?: TensorOptions): Tensor {
  const o = checkOptions('full', opts);
  const s = checkShapeArg('full', 'shape', shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError('full', 'value', 'a number or boolean', value);
  const dtype = o.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const t = Tensor.empty([...s], dtype, checkDevice('full', o.device));
  t.storage.data.fill(Number(value));
  return finish(t, 'full', o);
}

export const zeros = (shape: readonly number[], opts?: TensorOptions): Tensor => full(checkShapeArg('zeros', 'shape', shape), 0, opts);
export const ones = (shape: readonly number[], opts?: TensorOptions): Tensor => full(checkShapeArg('ones', 'shape', shape), 1, opts);

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
  const t = Tensor.empty([n], dtype, checkDevice('arange', o.device));
  for (let i = 0; i < n; i++) t.storage.data[i] = lo + i * st;
  return finish(t, 'arange', o);
}

export function linspace(a: number, b: number, n: number, opts?: TensorOptions): Tensor {
  const o = checkOptions('linspace', opts);
  checkFiniteNumber('linspace', 'start', a);
  checkFiniteNumber('linspace', 'end', b);
  if (!Number.isInteger(n) || n < 0) throw new ValueError('linspace', 'steps', 'a non-negative integer', n);
  const t = Tensor.empty([n], o.dtype ?? 'float32', checkDevice('linspace', o.device));
  for (let i = 0; i < n; i++) t.storage.data[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return finish(t, 'linspace', o);
}

export function eye(n: number, opts?: TensorOptions): Tensor {
  const o = checkOptions('eye', opts);
  if (!Number.isInteger(n) || n < 0) throw new ValueError('eye', 'n', 'a non-negative integer', n);
  const t = Tensor.empty([n, n], o.dtype ?? 'float32', checkDevice('eye', o.device));
  for (let i = 0; i < n; i++) t.storage.data[i * n + i] = 1;
  return finish(t, 'eye', o);
}

export const zerosLike = (t: Tensor, opts?: TensorOptions): Tensor => zeros(t.shape, { dtype: t.dtype, ...opts });
export const onesLike = (t: Tensor, opts?: TensorOptions): Tensor => ones(t.shape, { dtype: t.dtype, ...opts });
