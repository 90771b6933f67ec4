/**
 * @file GraphInterpreter: the one walker over a Graph (STYLE.md §12). Executors, shape
 * propagation, tracing and graph autodiff subclass it and override the per-node hook
 * `evalNode(node, inputs)`; the base binds inputs (checking their types and the symbolic
 * dims), walks the nodes, keeps the value environment, and puts the node's printed line on
 * any error.
 *
 *     GraphInterpreter<V>
 *       run(graph, inputs)          binds dims, then runGraph
 *       runGraph(graph, inputs)     fresh env (subgraphs share the dim bindings)
 *         schedule(graph)           node order: graph order here; the executors' own
 *         step(node)                read inputs → evalNode → write outputs → afterNode
 *           evalNode(node, inputs)  abstract: what a node means to this interpreter
 */
import { FlowgradError, internal } from '../errors.js';
import { DTYPES } from '../tensor/dtype.js';
import type { TensorType } from '../tensor/type.js';
import type { Graph } from './graph.js';
import type { AttrValue, Node } from './node.js';
import { formatName } from './text.js';
import { formatNodeLine, valueRef } from './printer.js';
import { DimBindings, bindInput, checkProducts } from './symbolic.js';
import type { Value } from './value.js';

/** Appends `while running <node line>` to an error's message (kept as the same object, so its class survives). */
export function withNodeContext(e: unknown, node: Node): Error {
  const line = `\n  while running ${formatNodeLine(node)}`;
  if (e instanceof Error) {
    e.message += line;
    if (typeof e.stack === 'string') {
      const at = e.stack.indexOf('\n    at ');
      e.stack = at < 0 ? `${e.stack}${line}` : `${e.stack.slice(0, at)}${line}${e.stack.slice(at)}`;
    }
    return e;
  }
  return new FlowgradError(`${String(e)}${line}`);
}

export abstract class GraphInterpreter<V> {
  /** Sizes of the symbolic dims in the current run, bound from the inputs' shapes. */
  protected dims = new DimBindings();
  /** The values of the graph being run. */
  protected env = new Map<Value, V>();

  /** Runs `graph` on `inputs` and returns its outputs. */
  run(graph: Graph, inputs: readonly V[]): V[] {
    this.dims = new DimBindings();
    return this.runGraph(graph, inputs);
  }

  /** Runs a graph (or a subgraph, from an evalNode) in a fresh environment, keeping the dim bindings. */
  protected runGraph(graph: Graph, inputs: readonly V[]): V[] {
    const saved = this.env;
    this.env = new Map();
    try {
      this.bindInputs(graph, inputs);
      for (const node of this.schedule(graph)) this.step(node);
      return graph.outputs.map((v) => this.read(v));
    } finally {
      this.env = saved;
    }
  }

  /** The order to run nodes in; `graph.nodes` is already topological. */
  protected schedule(graph: Graph): Iterable<Node> {
    return graph.nodes;
  }

  /** Runs one node: reads its inputs, calls evalNode, stores its outputs. */
  protected step(node: Node): void {
    const inputs = node.inputs.map((v) => this.read(v));
    let outputs: V[];
    try {
      outputs = this.evalNode(node, inputs);
      if (outputs.length !== node.outputs.length) throw internal(`${node.op} gave ${outputs.length} results for ${node.outputs.length} outputs`);
    } catch (e) {
      throw withNodeContext(e, node);
    }
    node.outputs.forEach((v, i) => this.env.set(v, outputs[i]));
    this.afterNode(node, inputs, outputs);
  }

  /** What a node means to this interpreter: its results from its input values. */
  protected abstract evalNode(node: Node, inputs: readonly V[]): V[];

  /** Called after each node (executors free dead values here). */
  protected afterNode(_node: Node, _inputs: readonly V[], _outputs: readonly V[]): void {}

  protected read(v: Value): V {
    if (!this.env.has(v)) throw internal(`${valueRef(v)} read before it was computed (or after it was freed)`);
    return this.env.get(v)!;
  }

  /**
   * The type of an input value, to check against the graph's declaration; null skips the
   * check. The default reads `shape` and `dtype` fields (as Tensors have).
   */
  protected typeOf(x: V, _input: Value, _graph: Graph): TensorType | null {
    const t = x as unknown as { shape?: unknown; dtype?: unknown };
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || !DTYPES.includes(t.dtype as never)) return null;
    return t as TensorType;
  }

  /** Checks the input count and types, binds symbolic dims, and puts the inputs in the env. */
  protected bindInputs(graph: Graph, inputs: readonly V[]): void {
    const op = `graph ${formatName(graph.name)}`;
    if (inputs.length !== graph.inputs.length) {
      throw new FlowgradError(`${op}: expected ${graph.inputs.length} input(s) (${graph.inputs.map(valueRef).join(', ')}), got ${inputs.length}`);
    }
    const types = graph.inputs.map((v, i) => this.typeOf(inputs[i], v, graph));
    graph.inputs.forEach((v, i) => {
      const t = types[i];
      if (t) bindInput(this.dims, v.type, t, op, valueRef(v));
    });
    graph.inputs.forEach((v, i) => {
      const t = types[i];
      if (t) checkProducts(this.dims, v.type, t, op, valueRef(v));
      this.env.set(v, inputs[i]);
    });
  }

  /** A node's attrs with the symbolic dims of a `shape` attr replaced by their sizes in this run. */
  protected concreteAttrs(node: Node): Record<string, AttrValue> {
    const shape = node.attrs.shape;
    if (!Array.isArray(shape) || !shape.some((d) => typeof d === 'string')) return node.attrs as Record<string, AttrValue>;
    const concrete = shape.map((d) => (typeof d === 'string' ? this.dims.resolve(d) ?? unbound(node, d) : d));
    return { ...node.attrs, shape: concrete };
  }
}

function unbound(node: Node, d: string): never {
  throw new FlowgradError(`${node.op}: attribute shape uses symbolic dim '${d}', which no graph input binds`);
}
