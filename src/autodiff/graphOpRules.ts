/**
 * @file Autodiff rules of graph-only ops (cond, whileLoop, scan): what replay and the adjoint
 * emitter do with a node that has no op schema. The ops that own them register here from a
 * higher layer (src/control/), as dispatch keys do, so this layer does not depend on them.
 */
import type { Graph } from '../ir/graph.js';
import type { Attrs } from '../ir/graphOps.js';
import type { Tensor } from '../tensor/tensor.js';

/** What a rule reads of the node it differentiates or replays (a Node has both fields). */
export interface GraphOpNode {
  readonly attrs: Attrs;
  readonly subgraphs: readonly Graph[];
}

export interface GraphOpVjpContext {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Which inputs need a gradient (every one when absent). */
  readonly needsGrad?: readonly boolean[];
}

export interface GraphOpRules {
  /**
   * The node applied to tensors: records a node under a trace (and a tape node when inputs
   * require grad), runs it eagerly through the dispatcher otherwise (so the tape sees its ops).
   */
  readonly apply: (node: GraphOpNode, inputs: readonly Tensor[]) => Tensor[];
  /** One cotangent per output in (zeros where none), one gradient per input out (null: none); written with ops. */
  readonly vjp: (node: GraphOpNode, ctx: GraphOpVjpContext, grads: readonly Tensor[]) => (Tensor | null)[];
}

const rules = new Map<string, GraphOpRules>();

export function registerGraphOpRules(op: string, r: GraphOpRules): void {
  rules.set(op, r);
}

export const graphOpRulesOf = (op: string): GraphOpRules | undefined => rules.get(op);
