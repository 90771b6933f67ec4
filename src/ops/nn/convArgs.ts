/**
 * @file Arguments and shape inference shared by convolution and pooling: `number | [h, w]`
 * user arguments to canonical pairs, validation of the pair attributes (graph files are
 * untrusted), and the sliding-window output size over concrete or symbolic dims.
 */
import { DTypeError, ShapeError, ValueError, given } from '../../errors.js';
import { isFloating } from '../../tensor/dtype.js';
import { type Dim, type SymShape, shapeStr } from '../../tensor/shape.js';
import type { TensorType } from '../../tensor/type.js';

export type Pair = [number, number];

const isIntAtLeast = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const kindOf = (min: number): string => (min === 0 ? 'non-negative integer' : 'positive integer');

/** A user's `number | [h, w]` argument (of integers ≥ min) as a pair; `fallback` when absent. */
export function pairArg(op: string, arg: string, value: unknown, min: number, fallback: Pair): Pair {
  if (value === undefined || value === null) return [...fallback];
  const pair = Array.isArray(value) ? value : [value, value];
  if (pair.length !== 2 || !isIntAtLeast(pair[0], min) || !isIntAtLeast(pair[1], min)) {
    throw new ValueError(op, arg, `a ${kindOf(min)} or a pair [h, w] of them`, Array.isArray(value) ? given(`[${value.map(String).join(', ')}]`) : value);
  }
  return [pair[0], pair[1]];
}

/** Checks a pair attribute of a graph node; returns it unchanged. */
export function checkPairAttr(op: string, arg: string, value: unknown, min: number): Pair {
  if (!Array.isArray(value) || value.length !== 2 || !isIntAtLeast(value[0], min) || !isIntAtLeast(value[1], min)) {
    throw new ValueError(op, arg, `a pair [h, w] of ${kindOf(min)}s`, Array.isArray(value) ? given(`[${value.map(String).join(', ')}]`) : value);
  }
  return value as Pair;
}

/** Checks a shape attribute (inputShape, weightShape) of a graph node: 4 dims, each a size or a symbol. */
export function checkShapeAttr(op: string, arg: string, value: unknown): readonly Dim[] {
  const ok = Array.isArray(value) && value.length === 4 && value.every((d) => isIntAtLeast(d, 0) || (typeof d === 'string' && d.length > 0));
  if (!ok) throw new ValueError(op, arg, 'a 4-d shape (non-negative integers or symbols)', Array.isArray(value) ? given(`[${value.map(String).join(', ')}]`) : value);
  return value as readonly Dim[];
}

/** Checks that a tensor argument is float32 or float64. */
export function checkFloat(op: string, arg: string, t: TensorType): void {
  if (!isFloating(t.dtype)) throw new DTypeError(op, arg, 'float32 or float64', t.dtype);
}

/** Checks that a shape has 4 dims, naming them in the message (`[N, C, H, W]`). */
export function check4d(op: string, arg: string, shape: SymShape, layout: string): void {
  if (shape.length !== 4) throw new ShapeError(op, arg, `${layout} (4-d)`, shapeStr(shape));
}

/** Checks that `t` has the dtype of the op's first floating input. */
export function checkSameDType(op: string, arg: string, t: TensorType, reference: TensorType, referenceArg: string): void {
  if (t.dtype !== reference.dtype) throw new DTypeError(op, arg, `${reference.dtype} (the dtype of ${referenceArg})`, t.dtype);
}

/** Checks that a tensor argument has the shape an op inferred for it (the gradient of a backward op). */
export function checkShapeIs(op: string, arg: string, t: TensorType, expected: SymShape, why: string): void {
  const same = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]);
  if (!same) throw new ShapeError(op, arg, `${shapeStr(expected)} (${why})`, shapeStr(t.shape));
}

/** One spatial dim of a sliding window: kernel size, stride, padding, dilation. */
export interface WindowDim {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/**
 * The output length of a window sliding along one dim, rounding down. A symbolic size gives
 * a symbolic expression (itself when the window keeps the size). Throws when the dilated
 * kernel is longer than the padded input.
 */
export function slidingOutDim(op: string, arg: string, inputShape: SymShape, axis: 2 | 3, { kernel, stride, padding, dilation }: WindowDim): Dim {
  const size = inputShape[axis];
  const span = dilation * (kernel - 1) + 1;
  if (typeof size === 'string') {
    const shift = 2 * padding - span + 1;
    if (stride === 1) return shift === 0 ? size : `${size}${shift > 0 ? '+' : ''}${shift}`;
    return `floor((${size}${shift - 1 >= 0 ? '+' : ''}${shift - 1})/${stride})+1`;
  }
  if (size + 2 * padding < span) {
    const name = axis === 2 ? 'H' : 'W';
    throw new ShapeError(op, arg, `[N, C, H, W] with ${name} + 2·padding (${2 * padding}) ≥ the ${dilation > 1 ? 'dilated ' : ''}kernel ${axis === 2 ? 'height' : 'width'} (${span})`, shapeStr(inputShape));
  }
  return Math.floor((size + 2 * padding - span) / stride) + 1;
}
