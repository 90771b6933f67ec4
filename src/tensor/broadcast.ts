/** @file NumPy broadcasting over concrete and symbolic shapes. */
import { ShapeError } from '../errors.js';
import { type Dim, type SymShape, shapeStr } from './shape.js';

/**
 * The broadcast of two shapes, aligned at the trailing dim: sizes must match or be 1.
 * A symbolic dim broadcasts with 1 or with the same symbol.
 */
export function broadcastShapes(op: string, a: SymShape, b: SymShape, argB = 'other'): Dim[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<Dim>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else throw new ShapeError(op, argB, `broadcastable with ${shapeStr(a)}`, shapeStr(b));
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had the broadcast `target` shape. */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** The dims of `target` that `shape` was broadcast along (to sum a gradient back). */
export function broadcastedAxes(shape: SymShape, target: SymShape): { axes: number[]; leading: number } {
  const leading = target.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < target.length; i++) {
    if (i < leading) axes.push(i);
    else if (shape[i - leading] === 1 && target[i] !== 1) axes.push(i);
  }
  return { axes, leading };
}
