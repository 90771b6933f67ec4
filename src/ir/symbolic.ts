/**
 * @file Symbolic dims at run time: the sizes that names such as `batch` take in one run of a
 * graph, bound from the actual inputs' shapes and checked for consistency.
 */
import { DTypeError, FlowgradError, ShapeError } from '../errors.js';
import type { Dim, SymShape } from '../tensor/shape.js';
import type { TensorType } from '../tensor/type.js';

/** The sizes bound to symbolic dims, each with the input dim that bound it (for messages). */
export class DimBindings {
  private readonly sizes = new Map<string, { size: number; from: string }>();

  /** The size of a symbol, or undefined if unbound. */
  get(symbol: string): number | undefined {
    return this.sizes.get(symbol)?.size;
  }

  /** Where a symbol was bound (`%x dim 0`), for error messages. */
  origin(symbol: string): string | undefined {
    return this.sizes.get(symbol)?.from;
  }

  bind(symbol: string, size: number, from: string): void {
    this.sizes.set(symbol, { size, from });
  }

  /** A dim's size: a number as is, a symbol as bound, a product `batch*784` multiplied out; undefined if unbound. */
  resolve(d: Dim): number | undefined {
    if (typeof d === 'number') return d;
    if (!d.includes('*')) return this.get(d);
    let n = 1;
    for (const factor of d.split('*')) {
      const size = /^\d+$/.test(factor) ? Number(factor) : this.get(factor);
      if (size === undefined) return undefined;
      n *= size;
    }
    return n;
  }

  /** `shape` with every symbol replaced by its size; throws naming `what` if one is unbound. */
  concreteShape(shape: SymShape, what: string): number[] {
    return shape.map((d) => {
      const size = this.resolve(d);
      if (size === undefined) throw new FlowgradError(`${what}: symbolic dim '${String(d)}' is not bound by any graph input`);
      return size;
    });
  }
}

const shapeText = (s: readonly Dim[]): string => `[${s.join(', ')}]`;

/**
 * Checks an actual input type against the declared one and binds the declared symbolic
 * dims. `op` and `arg` name the graph and input in the error (`graph mlp`, `%x`).
 * Products such as `batch*784` are checked by checkProducts once every input is bound.
 */
export function bindInput(dims: DimBindings, declared: TensorType, actual: TensorType, op: string, arg: string): void {
  if (actual.dtype !== declared.dtype) throw new DTypeError(op, arg, declared.dtype, actual.dtype);
  const expected = shapeText(declared.shape);
  if (actual.shape.length !== declared.shape.length) throw new ShapeError(op, arg, `${expected} (${declared.shape.length} dims)`, shapeText(actual.shape));
  declared.shape.forEach((d, i) => {
    const size = actual.shape[i] as number;
    if (typeof d === 'number' || d.includes('*')) {
      if (typeof d === 'number' && d !== size) throw new ShapeError(op, arg, expected, shapeText(actual.shape));
      return;
    }
    const bound = dims.get(d);
    if (bound === undefined) dims.bind(d, size, `${arg} dim ${i}`);
    else if (bound !== size) throw new ShapeError(op, arg, `${expected} with ${d} = ${bound} (set by ${dims.origin(d)})`, shapeText(actual.shape));
  });
}

/** Checks dims such as `batch*784` of an input, after all simple symbols are bound. */
export function checkProducts(dims: DimBindings, declared: TensorType, actual: TensorType, op: string, arg: string): void {
  declared.shape.forEach((d, i) => {
    if (typeof d !== 'string' || !d.includes('*')) return;
    const size = dims.resolve(d);
    // A product with a factor no input binds cannot be checked here; the ops that read it check their shapes.
    if (size === undefined) return;
    if (size !== actual.shape[i]) throw new ShapeError(op, arg, `${shapeText(declared.shape)} with ${d} = ${size}`, shapeText(actual.shape));
  });
}
