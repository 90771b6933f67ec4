/**
 * @file What the dataflow executor knows about a graph before running it: what each node
 * waits for, who reads each value, which nodes can start at once, and how many Enters lead
 * into each frame. Computed once per graph (compile froze it).
 */
import { GraphFormatError } from '../../errors.js';
import { analyzeFrames } from '../../ir/frames.js';
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { Value } from '../../ir/value.js';
import { Tensor } from '../../tensor/tensor.js';
import { isLiteralConstant } from '../constants.js';

export interface Plan {
  /** The distinct values each node waits for: its inputs, then one per control dependency. */
  readonly deps: ReadonlyMap<Node, readonly Value[]>;
  /** The nodes waiting for each value. */
  readonly readers: ReadonlyMap<Value, readonly Node[]>;
  /** For a node without results that another waits for: the value standing for "it ran". */
  readonly doneMarkers: ReadonlyMap<Node, Value>;
  /** Nodes that wait for nothing (constants, random draws): they start the run. */
  readonly sources: readonly Node[];
  /** How many Enter nodes lead into each frame. */
  readonly entersInto: ReadonlyMap<string, number>;
  readonly index: ReadonlyMap<Node, number>;
  readonly outputs: ReadonlySet<Value>;
  /** Tensors of literal constants: a graph output that is one is copied (it belongs to the graph). */
  readonly literals: ReadonlySet<Tensor>;
}

export function planOf(graph: Graph): Plan {
  const frames = analyzeFrames(graph);
  if ('problem' in frames) throw new GraphFormatError(`dataflow: ${frames.problem}`);
  const doneMarkers = new Map<Node, Value>();
  // A control dependency waits for the node's first result (or a marker, when it has none).
  const completion = (d: Node): Value => {
    if (d.outputs.length > 0) return d.outputs[0];
    let marker = doneMarkers.get(d);
    if (!marker) doneMarkers.set(d, (marker = new Value(-1, { shape: [], dtype: 'bool' }, d)));
    return marker;
  };
  const deps = new Map<Node, Value[]>();
  const readers = new Map<Value, Node[]>();
  for (const node of graph.nodes) {
    const waits = [...new Set([...node.inputs, ...node.controlDeps.map(completion)])];
    deps.set(node, waits);
    for (const v of waits) {
      const list = readers.get(v);
      if (list) list.push(node);
      else readers.set(v, [node]);
    }
  }
  const literals = new Set<Tensor>();
  for (const n of graph.nodes) if (isLiteralConstant(n) && n.attrs.value instanceof Tensor) literals.add(n.attrs.value);
  return {
    deps,
    readers,
    doneMarkers,
    sources: graph.nodes.filter((n) => deps.get(n)!.length === 0),
    entersInto: new Map([...frames.enters].map(([name, list]) => [name, list.length])),
    index: new Map(graph.nodes.map((n, i) => [n, i])),
    outputs: new Set(graph.outputs),
    literals,
  };
}
