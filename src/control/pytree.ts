/**
 * @file Pytrees of control-flow carries, operands and results: a Tensor, or arrays and plain
 * objects of them (keys in sorted order), with null / undefined as empty leaves (JAX's None).
 * A TreeDef is the structure without the tensors: two trees match when their keys do.
 */
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

export interface TreeDef {
  /** The structure printed with `T` for each tensor: `[T, {h: T}]`. */
  readonly key: string;
  readonly leafCount: number;
  /** A tree of this structure, to rebuild from. */
  readonly like: unknown;
}

export interface Flat {
  readonly leaves: Tensor[];
  /** Where each leaf sits in the tree, for messages: `[1].h` (empty for a lone tensor). */
  readonly paths: string[];
  readonly def: TreeDef;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;

/** The tensors of `tree` in a fixed order, and its structure; anything else is a ValueError naming `op` and `what`. */
export function flattenPytree(op: string, what: string, tree: unknown): Flat {
  const leaves: Tensor[] = [];
  const paths: string[] = [];
  const walk = (x: unknown, path: string): string => {
    if (x instanceof Tensor) {
      leaves.push(x);
      paths.push(path.slice(what.length));
      return 'T';
    }
    if (x === null || x === undefined) return String(x);
    if (Array.isArray(x)) return `[${x.map((y, i) => walk(y, `${path}[${i}]`)).join(', ')}]`;
    if (isPlainObject(x)) return `{${Object.keys(x).sort().map((k) => `${k}: ${walk(x[k], `${path}.${k}`)}`).join(', ')}}`;
    throw new ValueError(op, path, 'a Tensor, or arrays / plain objects of tensors', x);
  };
  const key = walk(tree, what);
  return { leaves, paths, def: { key, leafCount: leaves.length, like: tree } };
}

/** A tree of `def`'s structure holding `leaves` in order. */
export function unflattenPytree(def: TreeDef, leaves: readonly Tensor[]): any {
  let i = 0;
  const build = (x: unknown): unknown => {
    if (x instanceof Tensor) return leaves[i++];
    if (x === null || x === undefined) return x;
    if (Array.isArray(x)) return x.map(build);
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, build(o[k])]));
  };
  return build(def.like);
}
