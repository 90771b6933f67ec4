/**
 * @file The algebraic rewrite rules (REFERENCE §2.9 "Algebraic simplification"), as data.
 *
 * Each rule preserves every number a run computes, for every input, with one named
 * exception: `add-zero` and `sub-zero` give −0 where the unrewritten graph gives +0
 * (−0 + 0 = +0), as XLA's and TensorFlow's simplifiers accept. Rules that would change
 * NaN or ±Inf are limited to integer results: x·0 is NaN for x = ±Inf or NaN and −0 for
 * x < 0, and x − x is NaN for ±Inf, so `mul-zero` and `sub-self` fire for int32 only (XLA
 * and TensorFlow do not rewrite them for floats either). Literal means a constant the graph
 * owns (constants.ts): a captured parameter that happens to hold ones is not `lit(1)`.
 */
import { inferOutputTypes } from '../../ir/graphOps.js';
import type { AttrValue, Node } from '../../ir/node.js';
import { formatType } from '../../ir/printer.js';
import type { Value } from '../../ir/value.js';
import { isConcrete, sizeOf } from '../../tensor/shape.js';
import { MAX_FOLD_ELEMENTS } from '../constantFolding.js';
import { type Match, type OpPattern, p } from '../pattern.js';

/** Emits the replacement's nodes into the new graph, attributed to the rewritten node. */
export interface RuleBuilder {
  /** The node being rewritten (of the old graph): its attrs, output type, source. */
  readonly root: Node;
  op(name: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>>): Value;
  /** A literal constant of zeros of the root's (concrete) type. */
  zeros(): Value;
}

/** A named predicate over a match; the rule fires only where it holds. */
export interface Guard {
  readonly name: string;
  readonly test: (m: Match, root: Node) => boolean;
}

export interface Rule {
  readonly name: string;
  readonly pattern: OpPattern;
  readonly when: Guard;
  /** The value that replaces the root's result (of the root's type), or null to decline before emitting anything. */
  readonly rewrite: (m: Match, b: RuleBuilder) => Value | null;
}

const rule = (name: string, pattern: OpPattern, when: Guard, rewrite: Rule['rewrite']): Rule => ({ name, pattern, when, rewrite });
const sameType = (a: Value, root: Node): boolean => formatType(a.type) === formatType(root.outputs[0].type);

/** `keeps(x)`: the root's result has x's type, so x can stand for it (no broadcast, no dtype change). */
const keeps = (name: string): Guard => ({ name: `keeps-${name}-type`, test: (m, root) => sameType(m.values[name], root) });
const always: Guard = { name: 'always', test: () => true };
/** An int32 result of a known, small shape (zeros can replace it; floats may be NaN or ±Inf). */
const integerResult: Guard = {
  name: 'integer-result',
  test: (_m, root) => {
    const { shape, dtype } = root.outputs[0].type;
    return dtype === 'int32' && isConcrete(shape) && sizeOf(shape as number[]) <= MAX_FOLD_ELEMENTS;
  },
};
const identityPermutation: Guard = {
  name: 'identity-permutation',
  test: (_m, root) => (root.attrs.dims as number[]).every((d, i) => d === i),
};

const x = ({ values }: Match): Value => values.x;
/** The inner node's result: f(f(x)) → f(x) for idempotent f. */
const inner = ({ nodes }: Match): Value => nodes.inner.outputs[0];
const zeros = (_m: Match, b: RuleBuilder): Value => b.zeros();

/**
 * reshape(reshape(x, s1), s2) → reshape(x, s2), or x when s2 is x's own shape. Declines when
 * symbolic dims would print differently (a -1 over a symbolic size).
 */
function reshapeOnce(m: Match, b: RuleBuilder): Value | null {
  if (sameType(m.values.x, b.root)) return m.values.x;
  const attrs = { shape: b.root.attrs.shape };
  const [type] = inferOutputTypes('reshape', [m.values.x.type], attrs);
  return formatType(type) === formatType(b.root.outputs[0].type) ? b.op('reshape', [m.values.x], attrs) : null;
}

/** permute(permute(x, p), q) → permute(x, p∘q): output dim j is x's dim p[q[j]]; x itself if that is the identity. */
function permuteOnce(m: Match, b: RuleBuilder): Value {
  const first = m.nodes.inner.attrs.dims as number[];
  const dims = (b.root.attrs.dims as number[]).map((d) => first[d]);
  return dims.every((d, i) => d === i) ? m.values.x : b.op('permute', [m.values.x], { dims });
}

export const algebraicRules: readonly Rule[] = [
  rule('mul-one', p.mul(p.x, p.lit(1)), keeps('x'), x),
  rule('div-one', p.div(p.x, p.lit(1)), keeps('x'), x),
  rule('pow-one', p.pow(p.x, p.lit(1)), keeps('x'), x),
  rule('add-zero', p.add(p.x, p.lit(0)), keeps('x'), x),
  rule('sub-zero', p.sub(p.x, p.lit(0)), keeps('x'), x),
  rule('mul-zero', p.mul(p.x, p.lit(0)), integerResult, zeros),
  rule('sub-self', p.sub(p.x, p.x), integerResult, zeros),
  rule('neg-neg', p.neg(p.neg(p.x)), always, x),
  rule('abs-abs', p.abs(p.abs(p.x, 'inner')), always, inner),
  rule('relu-relu', p.relu(p.relu(p.x, 'inner')), always, inner),
  rule('where-same', p.where(p.c, p.x, p.x), keeps('x'), x),
  rule('reshape-reshape', p.reshape(p.reshape(p.x)), always, reshapeOnce),
  rule('reshape-identity', p.reshape(p.x), keeps('x'), x),
  rule('permute-permute', p.permute(p.permute(p.x, 'inner')), always, permuteOnce),
  rule('permute-identity', p.permute(p.x), identityPermutation, x),
  rule('expand-identity', p.expand(p.x), keeps('x'), x),
  rule('cast-identity', p.cast(p.x), keeps('x'), x),
];
