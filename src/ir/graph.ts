/**
 * @file Graph: typed SSA inputs, nodes in a valid topological order, outputs.
 *
 * Graphs are built with a GraphBuilder and then treated as immutable: passes return new
 * graphs rather than editing their input.
 */
import type { TensorType } from '../tensor/type.js';
import { type AttrValue, Node } from './node.js';
import { Value } from './value.js';

export class Graph {
  constructor(
    readonly name: string,
    readonly inputs: readonly Value[],
    readonly nodes: readonly Node[],
    readonly outputs: readonly Value[],
  ) {}
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

  build(outputs: readonly Value[]): Graph {
    return new Graph(this.name, [...this.inputs], [...this.nodes], [...outputs]);
  }
}
