/**
 * @file fusionGroups: which nodes a fusing compiler would run as one kernel (TVM's rules,
 * REFERENCE §2.9), read from each op's fusion class in the registry. An analysis: the graph
 * is not changed. The HTML report outlines the groups.
 *
 * A producer joins its consumer's group when the value between them has no other reader and
 *   - both are injective (elementwise chains: add → relu),
 *   - the producer is complexOutFusable and the consumer injective (conv2d/matmul epilogues:
 *     conv2d → add bias → relu), or
 *   - the producer is injective and the consumer a reduction (exp → sum).
 * A group holds at most one complexOutFusable or reduction node, which is its kernel's anchor.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { type FusionClass, schemaOf } from '../ops/schema.js';
import { DisjointSets } from './disjointSets.js';

const fusionOf = (n: Node): FusionClass | 'none' => (n.op === 'constant' ? 'none' : (schemaOf(n.op)?.fusion ?? 'opaque'));
const isAnchor = (c: FusionClass | 'none') => c === 'complexOutFusable' || c === 'reduction';

function canFuse(producer: FusionClass | 'none', consumer: FusionClass | 'none'): boolean {
  if (consumer === 'injective') return producer === 'injective' || producer === 'complexOutFusable';
  if (consumer === 'reduction') return producer === 'injective';
  return false;
}

/** Groups of two or more nodes that fuse, in graph order; every other node runs alone. */
export function fusionGroups(g: Graph): Node[][] {
  const readers = new Map<Value, number>();
  for (const n of g.nodes) for (const v of n.inputs) readers.set(v, (readers.get(v) ?? 0) + 1);
  for (const v of g.outputs) readers.set(v, (readers.get(v) ?? 0) + 1);

  const sets = new DisjointSets(g.nodes);
  const anchored = (root: Node) => sets.membersOf(root).some((n) => isAnchor(fusionOf(n)));
  for (const consumer of g.nodes) {
    for (const v of consumer.inputs) {
      const producer = v.producer;
      if (!producer || !sets.has(producer) || readers.get(v) !== 1) continue;
      if (!canFuse(fusionOf(producer), fusionOf(consumer))) continue;
      const [a, b] = [sets.find(producer), sets.find(consumer)];
      if (a === b || (anchored(a) && anchored(b))) continue;
      sets.union(a, b);
    }
  }
  const order = new Map(g.nodes.map((n, i) => [n, i]));
  return sets
    .sets()
    .filter((members) => members.length > 1)
    .map((members) => members.sort((x, y) => order.get(x)! - order.get(y)!))
    .sort((x, y) => order.get(x[0])! - order.get(y[0])!);
}

/**
 * Groups for a loop-fusing kernel (passes/fusion.ts): connected producer → consumer sets of
 * nodes that `fusable` admits and that share a `key` (the fusion pass keys by shape and
 * device, so one loop computes every member), in graph order, two or more nodes each.
 *
 * Unlike TVM's rule above, a value may also have readers outside its group: it is then written
 * out by the fused kernel as well (Adam's new moments are both read by the update and
 * returned). A merge is refused when a path would leave the group and come back into it
 * (through a node outside it), since the group would then both feed and wait for that node.
 */
export function loopFusionGroups(g: Graph, fusable: (n: Node) => boolean, key: (n: Node) => string): Node[][] {
  const index = new Map(g.nodes.map((n, i) => [n, i]));
  const successors = new Map<Node, Node[]>(g.nodes.map((n) => [n, []]));
  for (const n of g.nodes) {
    const deps = new Set<Node>(n.controlDeps);
    for (const v of n.inputs) if (v.producer && index.has(v.producer)) deps.add(v.producer);
    for (const d of deps) successors.get(d)!.push(n);
  }
  const keys = new Map<Node, string>();
  for (const n of g.nodes) if (fusable(n)) keys.set(n, key(n));
  const sets = new DisjointSets(keys.keys());
  for (const consumer of g.nodes) {
    if (!keys.has(consumer)) continue;
    for (const v of consumer.inputs) {
      const producer = v.producer;
      if (!producer || !keys.has(producer) || keys.get(producer) !== keys.get(consumer)) continue;
      const [a, b] = [sets.find(producer), sets.find(consumer)];
      if (a === b || leavesAndReenters(new Set([...sets.membersOf(a), ...sets.membersOf(b)]), index, successors)) continue;
      sets.union(a, b);
    }
  }
  return sets
    .sets()
    .filter((group) => group.length > 1)
    .map((group) => group.sort((x, y) => index.get(x)! - index.get(y)!))
    .sort((x, y) => index.get(x[0])! - index.get(y[0])!);
}

/** Whether some path from a member reaches another member through a node outside `group`. */
function leavesAndReenters(group: ReadonlySet<Node>, index: ReadonlyMap<Node, number>, successors: ReadonlyMap<Node, readonly Node[]>): boolean {
  let last = 0;
  for (const m of group) last = Math.max(last, index.get(m)!);
  const seen = new Set<Node>();
  const pending: Node[] = [];
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    pending.push(n);
  };
  for (const m of group) for (const s of successors.get(m)!) if (!group.has(s)) visit(s);
  while (pending.length > 0) {
    const n = pending.pop()!;
    // Edges point forward in graph order: past the last member nothing leads back.
    if (index.get(n)! > last) continue;
    for (const s of successors.get(n)!) {
      if (group.has(s)) return true;
      visit(s);
    }
  }
  return false;
}
