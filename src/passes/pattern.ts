/**
 * @file Declarative graph patterns for rewrite rules (STYLE.md §4): `p.mul(p.x, p.lit(1))`
 * matches a mul node whose operands are any value (bound as `x`) and a literal constant of
 * ones. Variables bind values by name (a name used twice must be the same value:
 * `p.sub(p.x, p.x)`); `p.op(name, args, as)` also binds the matched node, for its attrs.
 * Operands of ops flagged commutative match in either order.
 */
import type { AttrValue, Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { schemaOf } from '../ops/schema.js';
import type { Tensor } from '../tensor/tensor.js';

export type Pattern =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'lit'; readonly value: number }
  | OpPattern;

export interface OpPattern {
  readonly kind: 'op';
  readonly op: string;
  readonly args: readonly Pattern[];
  /** Binds the matched node under this name. */
  readonly as?: string;
}

/** What a successful match bound. */
export interface Match {
  readonly values: Readonly<Record<string, Value>>;
  readonly nodes: Readonly<Record<string, Node>>;
}

/** The node shape a pattern root is matched against: a node of the old graph with its inputs already rewritten. */
export interface NodeView {
  readonly op: string;
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly inputs: readonly Value[];
}

const v = (name: string): Pattern => ({ kind: 'var', name });
const op = (name: string, args: readonly Pattern[], as?: string): OpPattern => ({ kind: 'op', op: name, args, as });
const unary = (name: string) => (x: Pattern, as?: string) => op(name, [x], as);
const binary = (name: string) => (a: Pattern, b: Pattern, as?: string) => op(name, [a, b], as);

/** Pattern builders. */
export const p = {
  x: v('x'),
  y: v('y'),
  c: v('c'),
  v,
  /** A literal constant (constants.ts) whose every element equals `value`. */
  lit: (value: number): Pattern => ({ kind: 'lit', value }),
  op,
  add: binary('add'), sub: binary('sub'), mul: binary('mul'), div: binary('div'), pow: binary('pow'),
  neg: unary('neg'), abs: unary('abs'), relu: unary('relu'),
  reshape: unary('reshape'), permute: unary('permute'), expand: unary('expand'), cast: unary('cast'),
  where: (c: Pattern, a: Pattern, b: Pattern, as?: string) => op('where', [c, a, b], as),
};

type Bindings = { values: Record<string, Value>; nodes: Record<string, Node> };

/**
 * Matches `pattern` against `root` (its inputs are values of the graph being built, so
 * subpatterns see earlier rewrites). `literalOf` says which values are literal constants.
 */
export function matchPattern(pattern: OpPattern, root: NodeView, literalOf: (v: Value) => Tensor | null): Match | null {
  return matchOp(pattern, root, { values: {}, nodes: {} }, literalOf);
}

function matchOp(pattern: OpPattern, node: NodeView, b: Bindings, literalOf: (v: Value) => Tensor | null): Bindings | null {
  if (node.op !== pattern.op || node.inputs.length !== pattern.args.length) return null;
  const orders = [node.inputs];
  if (node.inputs.length === 2 && schemaOf(node.op)?.flags.commutative) orders.push([node.inputs[1], node.inputs[0]]);
  for (const inputs of orders) {
    let at: Bindings | null = { values: { ...b.values }, nodes: { ...b.nodes } };
    if (pattern.as) at.nodes[pattern.as] = node as Node;
    for (let i = 0; i < inputs.length && at; i++) at = matchValue(pattern.args[i], inputs[i], at, literalOf);
    if (at) return at;
  }
  return null;
}

function matchValue(pattern: Pattern, value: Value, b: Bindings, literalOf: (v: Value) => Tensor | null): Bindings | null {
  switch (pattern.kind) {
    case 'var': {
      const bound = b.values[pattern.name];
      if (bound) return bound === value ? b : null;
      return { values: { ...b.values, [pattern.name]: value }, nodes: b.nodes };
    }
    case 'lit': {
      const t = literalOf(value);
      return t && t.size > 0 && isSplat(t, pattern.value) ? b : null;
    }
    case 'op': {
      const producer = value.producer;
      if (!producer || producer.outputs.length !== 1) return null;
      return matchOp(pattern, producer, b, literalOf);
    }
  }
}

/** Each literal's single value (every element equal), or NaN when its elements differ; computed once per tensor. */
const splatValues = new WeakMap<Tensor, number>();

/** Whether every element of `t` equals `x` (0 matches both zeros). */
function isSplat(t: Tensor, x: number): boolean {
  let value = splatValues.get(t);
  if (value === undefined) {
    const data = t.dataSync();
    value = data[0];
    for (let i = 1; i < data.length && !Number.isNaN(value); i++) if (data[i] !== value) value = NaN;
    splatValues.set(t, value);
  }
  return value === x;
}
