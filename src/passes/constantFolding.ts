/**
 * @file constantFolding: evaluates at compile time what does not depend on the inputs
 * (REFERENCE §2.9 "Constant folding", TensorFlow's algorithm).
 *
 * In graph order, a node folds when
 *   - all its inputs are literal constants or values folded before it (cascades: a chain of
 *     adds over constants becomes one constant), or
 *   - it reads only its input's shape and that shape is known (`numel` of an f32[1,2,3,4]
 *     is 24; over a symbolic batch it folds when the counted dims are numbers);
 * and it is not flagged random or sideEffecting, has no subgraphs, and every result has a
 * known shape with at most MAX_FOLD_ELEMENTS elements (a graph should not grow into a
 * data file). Nodes are evaluated with the same backend kernels a run would use, so folded
 * numbers are bit-identical to unfolded ones; a kernel that throws leaves the node to fail
 * at run time. Captured constants (parameters) are never folded: see constants.ts.
 *
 * A folded node whose results are read by an unfolded node or returned becomes a literal
 * `constant` node (keeping its value ids, device and source); the other folded nodes are
 * computed away. Literal constants that no longer have readers are left to dce.
 *
 *     %0 = constant[value=f32[] [2]];  %1 = mul %0, %0;  %2 = add %x, %1
 *   → %0 = constant[value=f32[] [2]];  %1 = constant[value=f32[] [4]];  %2 = add %x, %1
 */
import { FlowgradError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { runKernel } from '../ops/dispatch.js';
import { schemaOf } from '../ops/schema.js';
import { full } from '../tensor/create.js';
import { isConcrete, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { ConstantPolicy } from './constants.js';
import { GraphRewriter } from './rewriter.js';

/** Results with more elements than this stay computed at run time. */
export const MAX_FOLD_ELEMENTS = 100_000;

/** Ops whose result depends only on their input's type: the value, or null if the type does not fix it. */
const shapeOnly: Record<string, (x: TensorType, node: Node) => Tensor | null> = {
  numel: (x, node) => {
    const { axes, dtype } = node.attrs as { axes: number[]; dtype: 'float32' };
    const dims = axes.map((a) => x.shape[a]);
    return dims.every((d) => typeof d === 'number') ? full([], (dims as number[]).reduce((a, b) => a * b, 1), { dtype }) : null;
  },
};

export function constantFolding(g: Graph): Graph {
  const policy = new ConstantPolicy(g);
  const known = new Map<Value, Tensor>();
  const folded = new Set<Node>();
  for (const node of g.nodes) {
    if (node.op === 'constant') {
      const t = policy.literalOf(node.outputs[0]);
      if (t) known.set(node.outputs[0], t);
      continue;
    }
    const results = evaluate(node, known);
    if (!results) continue;
    folded.add(node);
    node.outputs.forEach((v, i) => known.set(v, results[i]));
  }
  if (folded.size === 0) return g;

  // Folded values still needed: read by a node that stays, or returned.
  const needed = new Set<Value>(g.outputs);
  for (const n of g.nodes) if (!folded.has(n)) for (const v of n.inputs) needed.add(v);
  const rw = new GraphRewriter(g);
  for (const node of g.nodes) {
    if (!folded.has(node)) {
      rw.copy(node);
      continue;
    }
    if (!node.outputs.some((v) => needed.has(v))) {
      rw.drop(node);
      continue;
    }
    const opts = { device: node.device, source: node.source };
    // One constant per result (results nobody reads are left to dce), each keeping its value's id.
    rw.replace(node, node.outputs.map((v) => rw.emitConstant(known.get(v)!, { ...opts, ids: [v.id] })));
  }
  return rw.build();
}

/** The results of `node` if it folds, else null. */
function evaluate(node: Node, known: ReadonlyMap<Value, Tensor>): Tensor[] | null {
  const schema = schemaOf(node.op);
  if (!schema || schema.flags.random || schema.flags.sideEffecting || node.subgraphs.length > 0) return null;
  if (!node.outputs.every((v) => isConcrete(v.type.shape) && sizeOf(v.type.shape as number[]) <= MAX_FOLD_ELEMENTS)) return null;
  const byShape = shapeOnly[node.op];
  if (byShape && node.inputs.length === 1) {
    const t = byShape(node.inputs[0].type, node);
    if (t) return [t];
  }
  if (node.inputs.length === 0 || !node.inputs.every((v) => known.has(v))) return null;
  const inputs = node.inputs.map((v) => known.get(v)!);
  try {
    const outTypes = schema.infer(inputs, node.attrs);
    return runKernel(schema, inputs, node.attrs, outTypes);
  } catch (e) {
    // Bad input (an index out of range) is reported when the graph runs, with the node's line.
    if (e instanceof FlowgradError) return null;
    throw e;
  }
}
