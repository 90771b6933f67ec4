/**
 * @file The sequential executor (REFERENCE.md 2.4): a FIFO ready queue of nodes whose
 * dependencies (data and control) are done, by in-degree counting; each registry op runs
 * its backend kernel directly through runKernel, so the autograd tape records nothing
 * inside a graph; each value is dropped after its last use (reference counting), and its
 * buffer goes back to the executor's BufferPool for later nodes and later runs.
 */
import { FlowgradError, ValueError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { GraphInterpreter } from '../ir/interpreter.js';
import type { Node } from '../ir/node.js';
import { formatName } from '../ir/text.js';
import type { Value } from '../ir/value.js';
import { valueRef } from '../ir/printer.js';
import { runKernel } from '../ops/dispatch.js';
import { schemaOf } from '../ops/schema.js';
import { BYTES_PER_ELEMENT } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { BufferPool } from './bufferPool.js';
import { runFused } from './fused.js';
import { constantValue, ownedOutput } from './constants.js';

/** What one run did; read it from `Executable.stats` after `run`. */
export interface ExecutionStats {
  /** Kernels launched (constants are not launches). */
  launches: number;
  /** Tensors moved between devices (none on one device). */
  transfers: number;
  /** Time spent in kernels per device (`cpu`), in milliseconds. */
  busyMs: Record<string, number>;
  /** Per op: how many nodes ran and their total time in milliseconds. */
  perOp: Map<string, { count: number; ms: number }>;
  /** Indices (in `graph.nodes`) of the top-level nodes in the order they ran. */
  order: number[];
  /** Most bytes of node results alive at once (values are dropped after their last use). */
  peakBytes: number;
  /** Bytes of all node results, as if nothing were ever dropped. */
  naivePeakBytes: number;
  /** Buffers for node results taken from the executor's pool (recycled) / newly allocated. */
  buffersReused: number;
  buffersAllocated: number;
}

export const emptyStats = (): ExecutionStats => ({
  launches: 0, transfers: 0, busyMs: {}, perOp: new Map(), order: [], peakBytes: 0, naivePeakBytes: 0, buffersReused: 0, buffersAllocated: 0,
});

/** Runs a node an executor has no kernel for (graph-only ops: constant, fused, control flow). */
export type NodeRunner = (executor: SequentialExecutor, node: Node, inputs: readonly Tensor[]) => Tensor[];
const nodeRunners = new Map<string, NodeRunner>();

/** Teaches the executors a graph-only op (control-flow ops register here). */
export function registerNodeRunner(op: string, runner: NodeRunner): void {
  nodeRunners.set(op, runner);
}

// A fused node is one launch of its generated kernel (runtime/fused.ts).
registerNodeRunner('fused', (executor, node, inputs) => executor.launch(node, inputs, () => runFused(node, inputs)));

registerNodeRunner('constant', (_exec, node) => [constantValue(node)]);

const bytesOf = (t: Tensor): number => t.size * BYTES_PER_ELEMENT[t.dtype];

/** The FIFO topological executor. One instance runs one graph at a time. */
export class SequentialExecutor extends GraphInterpreter<Tensor> {
  stats: ExecutionStats = emptyStats();
  /** Uses left for each value of the graph being run; graph outputs are never freed. */
  private usesLeft = new Map<Value, number>();
  private liveBytes = 0;
  private topLevel: Graph | null = null;
  private readonly orders = new WeakMap<Graph, { nodes: Node[]; indices: number[] }>();
  /** Recycles dead intermediates' buffers; null when compiled with `recycle: false`. */
  private readonly pool: BufferPool | null;

  constructor(options: { recycle?: boolean } = {}) {
    super();
    this.pool = options.recycle === false ? null : new BufferPool();
  }

  override run(graph: Graph, inputs: readonly Tensor[]): Tensor[] {
    this.stats = emptyStats();
    this.liveBytes = 0;
    this.topLevel = graph;
    const { pool } = this;
    if (!pool) return this.ownOutputs(graph, super.run(graph, inputs));
    const [reused, fresh] = [pool.reused, pool.fresh];
    try {
      return this.ownOutputs(graph, pool.during(() => super.run(graph, inputs)));
    } finally {
      this.stats.buffersReused = pool.reused - reused;
      this.stats.buffersAllocated = pool.fresh - fresh;
    }
  }

  /** The outputs as the caller receives them (constants.ts). */
  private ownOutputs(graph: Graph, outputs: Tensor[]): Tensor[] {
    return outputs.map((t, i) => ownedOutput(t, graph.outputs[i].producer));
  }

  protected override runGraph(graph: Graph, inputs: readonly Tensor[]): Tensor[] {
    const saved = this.usesLeft;
    this.usesLeft = new Map();
    for (const n of graph.nodes) for (const v of n.inputs) this.usesLeft.set(v, (this.usesLeft.get(v) ?? 0) + 1);
    for (const v of graph.outputs) this.usesLeft.set(v, Infinity);
    try {
      return super.runGraph(graph, inputs);
    } finally {
      this.usesLeft = saved;
    }
  }

  /**
   * For node runners: a tensor a subgraph run returned is no longer needed (a loop's replaced
   * carry), so its buffer may serve later nodes. Tensors the run did not allocate are ignored.
   */
  discard(t: Tensor): void {
    this.liveBytes -= bytesOf(t);
    this.pool?.release(t.storage.data);
  }

  /** Runs a subgraph of the node being run (for control-flow node runners); dim bindings are shared. */
  runSubgraph(graph: Graph, inputs: readonly Tensor[]): Tensor[] {
    return this.runGraph(graph, inputs);
  }

  /** Kahn's algorithm with a FIFO queue: a node is ready when all its producers and control deps have run. */
  protected override schedule(graph: Graph): Iterable<Node> {
    const { nodes, indices } = this.orderOf(graph);
    if (graph === this.topLevel) this.stats.order.push(...indices);
    return nodes;
  }

  /** The FIFO order depends only on the graph, which compile() froze: computed once per graph. */
  private orderOf(graph: Graph): { nodes: Node[]; indices: number[] } {
    const cached = this.orders.get(graph);
    if (cached && cached.nodes.length === graph.nodes.length) return cached;
    const index = new Map(graph.nodes.map((n, i) => [n, i]));
    const waiting = new Map<Node, number>();
    const successors = new Map<Node, Node[]>(graph.nodes.map((n) => [n, []]));
    for (const n of graph.nodes) {
      const deps = new Set<Node>(n.controlDeps);
      for (const v of n.inputs) if (v.producer && index.has(v.producer)) deps.add(v.producer);
      waiting.set(n, deps.size);
      for (const d of deps) successors.get(d)?.push(n);
    }
    const queue = graph.nodes.filter((n) => waiting.get(n) === 0);
    for (let head = 0; head < queue.length; head++) {
      for (const s of successors.get(queue[head])!) {
        const left = waiting.get(s)! - 1;
        waiting.set(s, left);
        if (left === 0) queue.push(s);
      }
    }
    if (queue.length !== graph.nodes.length) throw new FlowgradError(`graph ${formatName(graph.name)}: ${graph.nodes.length - queue.length} node(s) never became ready (a dependency cycle; run verifyGraph)`);
    const order = { nodes: queue, indices: queue.map((n) => index.get(n)!) };
    this.orders.set(graph, order);
    return order;
  }

  protected override typeOf(x: Tensor, input: Value, graph: Graph): TensorType {
    if (!(x instanceof Tensor)) throw new ValueError(`graph ${formatName(graph.name)}`, valueRef(input), 'a Tensor', x);
    return x;
  }

  protected override evalNode(node: Node, inputs: readonly Tensor[]): Tensor[] {
    const runner = nodeRunners.get(node.op);
    if (runner) return runner(this, node, inputs);
    const schema = schemaOf(node.op);
    if (!schema) throw new FlowgradError(`the sequential executor cannot run op '${node.op}'`);
    const attrs = this.concreteAttrs(node);
    const outTypes = schema.infer(inputs, attrs);
    return this.launch(node, inputs, () => runKernel(schema, inputs, attrs, outTypes));
  }

  /** Runs one kernel launch for `node` and records it in the stats (node runners of kernels call it too). */
  launch(node: Node, inputs: readonly Tensor[], kernel: () => Tensor[]): Tensor[] {
    const start = performance.now();
    const outputs = kernel();
    const ms = performance.now() - start;
    const device = node.device ?? inputs[0]?.device ?? 'cpu';
    const s = this.stats;
    s.launches++;
    s.busyMs[device] = (s.busyMs[device] ?? 0) + ms;
    const perOp = s.perOp.get(node.op) ?? { count: 0, ms: 0 };
    perOp.count++;
    perOp.ms += ms;
    s.perOp.set(node.op, perOp);
    for (const t of outputs) s.naivePeakBytes += bytesOf(t);
    return outputs;
  }

  /** Drops values after their last use, and results nobody reads at once. */
  protected override afterNode(node: Node, _inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
    const launched = node.op !== 'constant';
    if (launched) {
      for (const t of outputs) {
        this.liveBytes += bytesOf(t);
        this.pool?.retain(t.storage.data);
      }
    }
    this.stats.peakBytes = Math.max(this.stats.peakBytes, this.liveBytes);
    for (const v of node.inputs) this.release(v, 1);
    for (const v of node.outputs) this.release(v, 0);
  }

  private release(v: Value, uses: number): void {
    const left = (this.usesLeft.get(v) ?? 0) - uses;
    this.usesLeft.set(v, left);
    if (left > 0 || !this.env.has(v)) return;
    const t = this.env.get(v)!;
    if (v.producer && v.producer.op !== 'constant') {
      this.liveBytes -= bytesOf(t);
      this.pool?.release(t.storage.data);
    }
    this.env.delete(v);
  }
}
