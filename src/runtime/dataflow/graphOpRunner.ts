/**
 * @file Runs a node of a graph op that is not a primitive (an un-lowered cond, whileLoop or
 * scan, or any op with a node runner) for the dataflow executor: the node, alone in a graph,
 * goes to a sequential executor, whose registered runner does the work; its stats come back
 * with the results so the dataflow executor can add them to its own.
 */
import { Graph } from '../../ir/graph.js';
import { Node } from '../../ir/node.js';
import { Value } from '../../ir/value.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ExecutionStats, SequentialExecutor } from '../sequential.js';

export class GraphOpRunner {
  // No buffer pool: the results leave for the dataflow executor, which does not recycle.
  private readonly executor = new SequentialExecutor({ recycle: false });
  private readonly wrappers = new WeakMap<Node, { graph: Graph; slots: number[] }>();

  /** The node's results on `inputs` (one per node input), and what running it cost. */
  run(node: Node, inputs: readonly Tensor[]): { outputs: Tensor[]; stats: ExecutionStats } {
    const { graph, slots } = this.wrapperOf(node);
    const outputs = this.executor.run(graph, slots.map((i) => inputs[i]));
    return { outputs, stats: this.executor.stats };
  }

  /**
   * A one-node graph whose inputs are the node's distinct inputs. The copy has no control
   * dependencies: the dataflow executor has already waited for them.
   */
  private wrapperOf(node: Node): { graph: Graph; slots: number[] } {
    let wrapper = this.wrappers.get(node);
    if (wrapper) return wrapper;
    const distinct = [...new Set(node.inputs)];
    const copy = new Node(node.op, node.inputs, node.attrs, node.device, node.source, [], node.subgraphs);
    copy.outputs = node.outputs.map((v) => new Value(v.id, v.type, copy, v.name));
    wrapper = { graph: new Graph(node.op, distinct, [copy], copy.outputs), slots: distinct.map((v) => node.inputs.indexOf(v)) };
    this.wrappers.set(node, wrapper);
    return wrapper;
  }
}
