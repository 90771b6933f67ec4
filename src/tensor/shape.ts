/** @file Shapes (possibly with symbolic dims), strides and dim normalisation. */
import { AxisError, ShapeError, ValueError } from '../errors.js';

/** A dimension: a size, or the name of a symbolic size fixed only when a graph runs. */
export type Dim = number | string;
export type Shape = readonly number[];
export type SymShape = readonly Dim[];

export const shapeStr = (s: SymShape): string => `[${s.join(', ')}]`;

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: SymShape, b: SymShape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const isConcrete = (s: SymShape): s is Shape => s.every((d) => typeof d === 'number');

/** Resolves a possibly negative dim against `ndim`, or throws an AxisError naming op and arg. */
export function normalizeAxis(op: string, arg: string, axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new AxisError(op, arg, axis, ndim);
  // A 0-d tensor accepts dims 0 and -1, as in PyTorch.
  const n = Math.max(ndim, 1);
  if (axis < -n || axis >= n) throw new AxisError(op, arg, axis, ndim);
  return axis < 0 ? axis + n : axis;
}

/** Normalises an axis argument (undefined = every dim) into sorted, unique dims. */
export function normalizeAxes(op: string, arg: string, axes: unknown, ndim: number): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = Array.isArray(axes) ? axes : [axes];
  const out = list.map((a) => normalizeAxis(op, arg, a, ndim));
  const unique = [...new Set(out)].sort((a, b) => a - b);
  if (unique.length !== out.length) throw new ValueError(op, arg, 'distinct dims', axes);
  return ndim === 0 ? [] : unique;
}

/** Checks that a user-given shape is an array of non-negative integers (and at most one -1 if allowed). */
export function checkShapeArg(op: string, arg: string, shape: unknown, allowInfer = false): number[] {
  const bad = () => new ValueError(op, arg, allowInfer ? 'an array of non-negative integers (one may be -1)' : 'an array of non-negative integers', shape);
  if (!Array.isArray(shape)) throw bad();
  let inferred = 0;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d)) throw bad();
    if (d === -1 && allowInfer) inferred++;
    else if (d < 0) throw bad();
  }
  if (inferred > 1) throw bad();
  return shape as number[];
}

/** Whether `d` is a valid symbolic dim name ('batch', 'd0_1'). */
export const isSymbol = (d: unknown): d is string => typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d);

/** Checks a reshape target: non-negative integers, at most one -1, and (in traces) symbolic dims. */
export function checkReshapeArg(op: string, arg: string, shape: unknown): Dim[] {
  const bad = () => new ValueError(op, arg, 'an array of non-negative integers (one may be -1) or symbolic dims', shape);
  if (!Array.isArray(shape)) throw bad();
  let holes = 0;
  for (const d of shape) {
    if (d === -1) holes++;
    else if (!isSymbol(d) && !(typeof d === 'number' && Number.isInteger(d) && d >= 0)) throw bad();
  }
  if (holes > 1) throw bad();
  return shape as Dim[];
}

/** A size as coefficient × product of symbols (symbols sorted), so symbolic sizes compare and divide. */
interface Monomial {
  readonly coef: number;
  readonly syms: readonly string[];
}
const monomial = (dims: readonly Dim[]): Monomial => {
  let coef = 1;
  const syms: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') coef *= d;
    else syms.push(d);
  }
  return { coef, syms: syms.sort() };
};
const monoStr = (m: Monomial): Dim => (m.syms.length === 0 ? m.coef : m.coef === 1 ? m.syms.join('*') : [...m.syms, m.coef].join('*'));

/** Resolves a `-1` in a reshape target against the input's element count (symbolic sizes too). */
export function inferReshape(op: string, from: SymShape, to: readonly Dim[]): Dim[] {
  const total = monomial(from);
  const hole = to.indexOf(-1);
  const known = monomial(to.filter((d) => d !== -1));
  const mismatch = () => new ShapeError(op, 'shape', `with ${monoStr(total)} elements`, shapeStr(to));
  if (hole < 0) {
    if (total.coef === 0 && known.coef === 0) return [...to];
    if (total.coef !== known.coef || total.syms.join() !== known.syms.join()) throw mismatch();
    return [...to];
  }
  // The hole takes total / known: the known symbols must all appear in the total.
  const rest = [...total.syms];
  for (const s of known.syms) {
    const i = rest.indexOf(s);
    if (i < 0) throw mismatch();
    rest.splice(i, 1);
  }
  if (known.coef === 0 || total.coef % known.coef !== 0) throw mismatch();
  const out = [...to];
  const coef = total.coef / known.coef;
  if (rest.length > 1 || (rest.length === 1 && coef !== 1)) {
    // A product of symbols has no single name: the graph would need a derived dim.
    throw new ShapeError(op, 'shape', `whose -1 resolves to a single size or symbol (it would be ${monoStr({ coef, syms: rest })})`, shapeStr(to));
  }
  out[hole] = rest.length === 1 ? rest[0] : coef;
  return out;
}

/** The element count of a shape: a number, or a string such as `batch*784` for symbolic shapes. */
export function symbolicSize(shape: SymShape): Dim {
  let n = 1;
  const syms: string[] = [];
  for (const d of shape) {
    if (typeof d === 'number') n *= d;
    else syms.push(d);
  }
  if (syms.length === 0) return n;
  if (n === 0) return 0;
  return n === 1 ? syms.join('*') : [...syms, String(n)].join('*');
}

/**
 * Merges adjacent dims that every operand walks as one (stride[d] = stride[d+1]·shape[d+1])
 * and drops size-1 dims, so strided loops (wasm, fused kernels) see as few and as long rows as
 * possible. No dims left (a one-element tensor) gives one dim of size 1.
 */
export function collapseDims(shape: readonly number[], strides: readonly (readonly number[])[]): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (outShape.length === 0) return [[1], strides.map(() => [1])];
  return [outShape, outStrides];
}
