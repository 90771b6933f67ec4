/**
 * @file algebraic: rewrites by declarative patterns (rules/algebraicRules.ts): x·1 → x,
 * −(−x) → x, reshape(reshape(x)) → reshape(x), … Nodes are visited in graph order and
 * matched against the graph being built, so a rule sees the rewrites made below it
 * (−(−(−(−x))) → x in one sweep). The first rule whose pattern and guard hold replaces the
 * node's result; nodes it leaves without readers are left to dce. Ops flagged random or
 * sideEffecting are never rewritten. Invariant: each rule keeps the numbers (see the rule
 * table for the one sign-of-zero exception); the result verifies.
 *
 *     %2 = neg %x;  %3 = neg %2;  %4 = mul %3, %1(=1)     →     %2 = neg %x;  return %x
 */
import type { Graph } from '../ir/graph.js';
import type { AttrValue, Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { schemaOf } from '../ops/schema.js';
import { zeros } from '../tensor/create.js';
import { ConstantPolicy } from './constants.js';
import { matchPattern } from './pattern.js';
import { GraphRewriter } from './rewriter.js';
import { type Rule, type RuleBuilder, algebraicRules } from './rules/algebraicRules.js';

/**
 * Applies `rules` once over `g`; `onRewrite` hears each rule that fires (with the node's
 * printed source), for "which rule fired" reports and tests.
 */
export function applyRules(g: Graph, rules: readonly Rule[], onRewrite?: (rule: string, node: Node) => void): Graph {
  const policy = new ConstantPolicy(g);
  const literalOf = (v: Value) => policy.literalOf(v);
  const rw = new GraphRewriter(g);
  let changed = false;
  for (const node of g.nodes) {
    const inputs = node.inputs.map((v) => rw.value(v));
    const result = rewritable(node) ? firstRewrite(node, inputs, rules, rw, literalOf, onRewrite) : null;
    if (result) {
      rw.replace(node, [result]);
      changed = true;
    } else rw.copy(node, inputs);
  }
  return changed ? rw.build() : g;
}

export function algebraic(g: Graph): Graph {
  return applyRules(g, algebraicRules);
}

function rewritable(node: Node): boolean {
  const flags = schemaOf(node.op)?.flags;
  return node.outputs.length === 1 && node.subgraphs.length === 0 && flags !== undefined && !flags.random && !flags.sideEffecting;
}

function firstRewrite(
  node: Node,
  inputs: readonly Value[],
  rules: readonly Rule[],
  rw: GraphRewriter,
  literalOf: (v: Value) => ReturnType<ConstantPolicy['literalOf']>,
  onRewrite?: (rule: string, node: Node) => void,
): Value | null {
  const view = { op: node.op, attrs: node.attrs, inputs };
  for (const rule of rules) {
    const m = matchPattern(rule.pattern, view, literalOf);
    if (!m || !rule.when.test(m, node)) continue;
    const result = rule.rewrite(m, builderFor(node, rw));
    if (!result) continue;
    onRewrite?.(rule.name, node);
    return result;
  }
  return null;
}

/** Emits into `rw`, attributed to `root`; the first node emitted takes over the root's value id. */
function builderFor(root: Node, rw: GraphRewriter): RuleBuilder {
  let rootId: number | undefined = root.outputs[0].id;
  const opts = () => {
    const ids = rootId === undefined ? undefined : [rootId];
    rootId = undefined;
    return { device: root.device, source: root.source, ids };
  };
  return {
    root,
    op: (name: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>>) => rw.emit(name, inputs, attrs, opts()).outputs[0],
    zeros: () => {
      const { shape, dtype } = root.outputs[0].type;
      return rw.emitConstant(zeros(shape as number[], { dtype }), opts());
    },
  };
}
