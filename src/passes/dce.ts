/**
 * @file dce: removes nodes whose results reach no graph output.
 *
 * Kept: every node an output depends on (through data or control dependencies), nodes whose
 * op is flagged sideEffecting (runningStatUpdate writes a buffer nobody reads in the graph),
 * and nodes flagged random: dropping an unused draw would shift the numbers of every later
 * draw from the generator (PyTorch's DCE keeps its nondeterministic_seeded ops likewise);
 * a node whose subgraphs hold such a node counts as one. Subgraphs themselves are not pruned.
 * Graph inputs are kept even when unused: they are the graph's signature.
 * Invariant: every output computes the same value; the result verifies.
 *
 *     %2 = exp %x;  %3 = log %x;  return %3      →      %3 = log %x;  return %3
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { schemaOf } from '../ops/schema.js';
import { GraphRewriter } from './rewriter.js';
import { NEXT_ITERATION } from '../ir/primitives.js';

/** Whether `n` must run even if nothing reads its results (also when a node of one of its subgraphs must). */
export function hasEffects(n: Node): boolean {
  // A lowered loop's back edge has no result, yet its Merge waits for it.
  if (n.op === NEXT_ITERATION) return true;
  const flags = schemaOf(n.op)?.flags;
  if (flags?.sideEffecting === true || flags?.random === true) return true;
  return n.subgraphs.some((g) => g.nodes.some(hasEffects));
}

/** The nodes of `g` that outputs or effects need. */
export function liveNodes(g: Graph): Set<Node> {
  const live = new Set<Node>();
  const pending: Node[] = [];
  const need = (n: Node | null): void => {
    if (n && !live.has(n)) {
      live.add(n);
      pending.push(n);
    }
  };
  for (const v of g.outputs) need(v.producer);
  for (const n of g.nodes) if (hasEffects(n)) need(n);
  while (pending.length > 0) {
    const n = pending.pop()!;
    for (const v of n.inputs) need(v.producer);
    for (const d of n.controlDeps) need(d);
  }
  return live;
}

export function dce(g: Graph): Graph {
  const live = liveNodes(g);
  if (live.size === g.nodes.length) return g;
  const rw = new GraphRewriter(g);
  for (const n of g.nodes) {
    if (live.has(n)) rw.copy(n);
    else rw.drop(n);
  }
  return rw.build();
}
