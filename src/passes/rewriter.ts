/**
 * @file GraphRewriter: builds the new graph a pass returns from the graph it was given,
 * which is never modified. A pass walks the old nodes in order and, for each, copies it
 * (inputs remapped), replaces its results with values already in the new graph, drops it,
 * or emits new nodes. Copies keep their values' ids, so printed IR stays comparable.
 */
import { internal } from '../errors.js';
import { Graph } from '../ir/graph.js';
import { inferOutputTypes } from '../ir/graphOps.js';
import { type AttrValue, Node } from '../ir/node.js';
import { formatType, valueRef } from '../ir/printer.js';
import { Value } from '../ir/value.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';

/** Where new nodes go and what they are attributed to (usually the old node they stand for). */
export interface EmitOptions {
  readonly device?: string;
  readonly source?: string;
  /** Give the outputs these ids (of old values that are not copied), else fresh ids. */
  readonly ids?: readonly number[];
  /** The new node's subgraphs (a `fused` node's body). */
  readonly subgraphs?: readonly Graph[];
}

export class GraphRewriter {
  readonly inputs: Value[];
  readonly nodes: Node[] = [];
  private readonly values = new Map<Value, Value>();
  /** For each old node: the new nodes a control dependency on it now means. */
  private readonly standIns = new Map<Node, readonly Node[]>();
  private nextId: number;

  constructor(readonly source: Graph) {
    let maxId = -1;
    for (const v of source.inputs) maxId = Math.max(maxId, v.id);
    for (const n of source.nodes) for (const v of n.outputs) maxId = Math.max(maxId, v.id);
    this.nextId = maxId + 1;
    this.inputs = source.inputs.map((v) => {
      const copy = new Value(v.id, v.type, null, v.name);
      this.values.set(v, copy);
      return copy;
    });
  }

  /** The new value standing for old value `v`. */
  value(v: Value): Value {
    const mapped = this.values.get(v);
    if (!mapped) throw internal(`rewriter: ${valueRef(v)} is used before the node defining it was handled`);
    return mapped;
  }

  /** Copies `node` with its inputs remapped (or the given new inputs); outputs keep their ids. */
  copy(node: Node, inputs: readonly Value[] = node.inputs.map((v) => this.value(v))): Node {
    const copy = new Node(node.op, inputs, node.attrs, node.device, node.source, this.controlDepsOf(node), node.subgraphs);
    copy.outputs = node.outputs.map((v) => new Value(v.id, v.type, copy, v.name));
    node.outputs.forEach((v, i) => this.values.set(v, copy.outputs[i]));
    this.nodes.push(copy);
    this.standIns.set(node, [copy]);
    return copy;
  }

  /** Old `node`'s results are now `values` (of the same types), already in the new graph. */
  replace(node: Node, values: readonly Value[]): void {
    if (values.length !== node.outputs.length) throw internal(`rewriter: ${node.op} has ${node.outputs.length} outputs, replaced by ${values.length}`);
    node.outputs.forEach((v, i) => {
      const by = values[i];
      if (formatType(by.type) !== formatType(v.type)) {
        throw internal(`rewriter: ${valueRef(v)}: ${formatType(v.type)} replaced by ${valueRef(by)}: ${formatType(by.type)}`);
      }
      this.values.set(v, by);
    });
    // A control dependency on the old node now waits for what replaced it, and for its own dependencies.
    const producers = values.map((v) => v.producer).filter((p): p is Node => p !== null);
    this.standIns.set(node, [...new Set([...producers, ...this.controlDepsOf(node)])]);
  }

  /** Old `node` is gone and nothing reads its results (dead code, or computed away). */
  drop(node: Node): void {
    this.standIns.set(node, this.controlDepsOf(node));
  }

  /** Appends a new node of a registry or graph op; output types are inferred (and so validated). */
  emit(op: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>>, opts: EmitOptions = {}): Node {
    const types = inferOutputTypes(op, inputs.map((v) => v.type), attrs, opts.subgraphs);
    return this.append(op, inputs, attrs, types, opts);
  }

  /** Appends a literal `constant` node holding `value` and returns its output. */
  emitConstant(value: Tensor, opts: EmitOptions = {}): Value {
    return this.append('constant', [], { value }, [{ shape: value.shape, dtype: value.dtype }], opts).outputs[0];
  }

  /** The new graph, returning the new values of the old graph's outputs. */
  build(): Graph {
    return new Graph(this.source.name, this.inputs, this.nodes, this.source.outputs.map((v) => this.value(v)));
  }

  private append(op: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>>, types: readonly TensorType[], opts: EmitOptions): Node {
    const node = new Node(op, inputs, attrs, opts.device, opts.source, [], opts.subgraphs);
    node.outputs = types.map((t, i) => new Value(opts.ids?.[i] ?? this.nextId++, t, node));
    this.nodes.push(node);
    return node;
  }

  /** The new nodes `node`'s control dependencies now mean (each handled earlier, as the order is topological). */
  controlDepsOf(node: Node): Node[] {
    const out = new Set<Node>();
    for (const d of node.controlDeps) {
      const stand = this.standIns.get(d);
      if (!stand) throw internal(`rewriter: control dependency of ${node.op} on a node not handled yet`);
      for (const s of stand) out.add(s);
    }
    return [...out];
  }
}
