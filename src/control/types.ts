/**
 * @file Type checks shared by the control-flow ops: at trace time, naming the user's
 * functions and the leaf that differs; in graph-op inference, naming the subgraphs.
 */
import { DTypeError, FlowgradError, ShapeError, ValueError, given } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { Attrs } from '../ir/graphOps.js';
import { formatType } from '../ir/printer.js';
import { shapeStr, shapesEqual } from '../tensor/shape.js';
import type { TensorType } from '../tensor/type.js';
import type { Flat, TreeDef } from './pytree.js';

export const sameType = (a: TensorType, b: TensorType): boolean => a.dtype === b.dtype && shapesEqual(a.shape, b.shape);
export const typeList = (ts: readonly TensorType[]): string => `(${ts.map(formatType).join(', ')})`;
const typeOf = (t: TensorType): TensorType => ({ shape: [...t.shape], dtype: t.dtype });
export const typesOf = (ts: readonly TensorType[]): TensorType[] => ts.map(typeOf);

/** A pytree's structure with the types of its tensors and where each sits. */
export interface TypedTree {
  readonly def: TreeDef;
  readonly types: readonly TensorType[];
  readonly paths: readonly string[];
}

/** A flattened pytree as a TypedTree (tensors are their own types). */
export const typed = (flat: Flat): TypedTree => ({ def: flat.def, types: flat.leaves, paths: flat.paths });

/**
 * Checks that `got` (named `gotName`) has the structure and leaf types of `want`: a ValueError
 * for a different structure, else a ShapeError or DTypeError naming the first leaf that differs.
 */
export function checkSameTree(op: string, got: TypedTree, gotName: string, want: TypedTree, wantName: string): void {
  if (got.def.key !== want.def.key) throw new ValueError(op, gotName, `the structure of ${wantName}, ${want.def.key}`, given(got.def.key));
  got.types.forEach((t, i) => {
    const w = want.types[i];
    const [arg, as] = [`${gotName}${got.paths[i]}`, `${wantName}${want.paths[i]}`];
    if (!shapesEqual(t.shape, w.shape)) throw new ShapeError(op, arg, `${shapeStr(w.shape)} (as ${as})`, shapeStr(t.shape));
    if (t.dtype !== w.dtype) throw new DTypeError(op, arg, `${w.dtype} (as ${as})`, t.dtype);
  });
}

/** Checks that a predicate is a 0-d tensor (and bool, when `boolOnly`). */
export function checkPredicate(op: string, arg: string, t: TensorType, boolOnly: boolean): void {
  if (t.shape.length !== 0) throw new ShapeError(op, arg, '[] (a scalar: reduce it first, e.g. x.sum().gt(0))', shapeStr(t.shape));
  if (boolOnly && t.dtype !== 'bool') throw new DTypeError(op, arg, 'bool (a comparison such as i.lt(n))', t.dtype);
}

// ---- checks of graph nodes (inference and the verifier) ----

export function checkSubgraphCount(op: string, subgraphs: readonly Graph[], count: number, what: string): void {
  if (subgraphs.length !== count) throw new FlowgradError(`${op}: expected ${count} subgraph${count === 1 ? '' : 's'} (${what}), got ${subgraphs.length}`);
}

/** A subgraph's inputs must have exactly the given types. */
export function checkParams(op: string, role: string, g: Graph, given: readonly TensorType[], what: string): void {
  const takes = g.inputs.map((v) => v.type);
  if (takes.length !== given.length || takes.some((t, i) => !sameType(t, given[i]))) {
    throw new FlowgradError(`${op}: ${role} takes ${typeList(takes)}, but is given ${typeList(given)} (${what})`);
  }
}

/** Results must have exactly the expected types. */
export function checkResults(op: string, role: string, returns: readonly TensorType[], expected: readonly TensorType[], what: string): void {
  if (returns.length !== expected.length || returns.some((t, i) => !sameType(t, expected[i]))) {
    throw new FlowgradError(`${op}: ${role} returns ${typeList(returns)}, expected ${typeList(expected)} (${what})`);
  }
}

/** Only the named attributes may be present. */
export function checkAttrNames(op: string, attrs: Attrs, allowed: readonly string[]): void {
  const extra = Object.keys(attrs).filter((k) => attrs[k] !== undefined && !allowed.includes(k));
  if (extra.length > 0) throw new ValueError(op, extra[0], allowed.length > 0 ? `only the attributes ${allowed.join(', ')}` : 'no attributes', attrs[extra[0]]);
}

/** An integer attribute ≥ min. */
export function intAttr(op: string, attrs: Attrs, name: string, min: number): number {
  const v = attrs[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(op, name, `an integer ≥ ${min}`, v);
  return v;
}
