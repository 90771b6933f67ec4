/**
 * @file Graph: typed SSA inputs, nodes in a valid topological order, outputs.
 *
 * Graphs are built with a GraphBuilder and then treated as immutable: passes return new
 * graphs rather than editing their input.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { inferOutputTypes } from './graphOps.js';
import { type AttrValue, Node } from './node.js';
import { printGraph } from './printer.js';
import { toDot } from './dot.js';
import { Value } from './value.js';

export class Graph {
  constructor(
    readonly name: string,
    readonly inputs: readonly Value[],
    readonly nodes: readonly Node[],
    readonly outputs: readonly Value[],
  ) {}

  /** The text form (STYLE.md §5); `parseGraph(g.toString())` gives back an equal graph. */
  toString(): string {
    return printGraph(this);
  }

  /** Graphviz DOT: ops as boxes, types on edges (`dot -Tsvg`). */
  toDot(): string {
    return toDot(this);
  }

  /** For each value of this graph, the nodes that read it, in graph order (a node reading it twice appears once). */
  consumers(): Map<Value, Node[]> {
    const out = new Map<Value, Node[]>();
    for (const v of this.inputs) out.set(v, []);
    for (const n of this.nodes) for (const v of n.outputs) out.set(v, []);
    for (const n of this.nodes) {
      for (const v of new Set(n.inputs)) {
        const list = out.get(v);
        if (list) list.push(n);
        else out.set(v, [n]);
      }
    }
    return out;
  }
}

export interface NodeOptions {
  device?: string;
  source?: string;
  controlDeps?: readonly Node[];
  subgraphs?: readonly Graph[];
}

/** Appends nodes in order and hands out fresh value ids. */
export class GraphBuilder {
  private nextId = 0;
  readonly inputs: Value[] = [];
  readonly nodes: Node[] = [];

  constructor(readonly name = 'main') {}

  addInput(type: TensorType, name?: string): Value {
    const v = new Value(this.nextId++, type, null, name);
    this.inputs.push(v);
    return v;
  }

  addNode(op: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>>, outTypes: readonly TensorType[], opts: NodeOptions = {}): Node {
    const node = new Node(op, inputs, attrs, opts.device, opts.source, opts.controlDeps ?? [], opts.subgraphs ?? []);
    node.outputs = outTypes.map((t) => new Value(this.nextId++, t, node));
    this.nodes.push(node);
    return node;
  }

  /**
   * Appends a node whose output types are inferred from its op's schema (and validated):
   * `b.addOp('sum', [x], { axes: [1], keepDim: false })`.
   */
  addOp(op: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>> = {}, opts: NodeOptions = {}): Node {
    const outTypes = inferOutputTypes(op, inputs.map((v) => v.type), attrs, opts.subgraphs ?? []);
    return this.addNode(op, inputs, attrs, outTypes, opts);
  }

  /** Appends a `constant` node holding `value` and returns its output. */
  addConstant(value: Tensor, opts: NodeOptions = {}): Value {
    return this.addNode('constant', [], { value }, [{ shape: value.shape, dtype: value.dtype }], opts).outputs[0];
  }

  build(outputs: readonly Value[]): Graph {
    return new Graph(this.name, [...this.inputs], [...this.nodes], [...outputs]);
  }
}
