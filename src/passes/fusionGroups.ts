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

  // Union-find over nodes; each root remembers whether its group already has an anchor.
  const parent = new Map<Node, Node>(g.nodes.map((n) => [n, n]));
  const anchored = new Map<Node, boolean>(g.nodes.map((n) => [n, isAnchor(fusionOf(n))]));
  const find = (n: Node): Node => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  for (const consumer of g.nodes) {
    for (const v of consumer.inputs) {
      const producer = v.producer;
      if (!producer || !parent.has(producer) || readers.get(v) !== 1) continue;
      if (!canFuse(fusionOf(producer), fusionOf(consumer))) continue;
      const [a, b] = [find(producer), find(consumer)];
      if (a === b || (anchored.get(a) && anchored.get(b))) continue;
      parent.set(a, b);
      anchored.set(b, anchored.get(a)! || anchored.get(b)!);
    }
  }
  const groups = new Map<Node, Node[]>();
  for (const n of g.nodes) {
    const r = find(n);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(n);
  }
  return [...groups.values()].filter((members) => members.length > 1);
}
