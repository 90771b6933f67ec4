/**
 * @file How executors run a `fused` node (ir/graphOps.ts): its body is lowered once to a
 * FusedProgram, whose kernel (kernels/fused/) is kept with the body graph, which is
 * immutable; each run is one launch of that kernel.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { FusedKernel } from '../kernels/fused/kernel.js';
import type { FusedProgram, FusedStep } from '../kernels/fused/codegen.js';
import type { Tensor } from '../tensor/tensor.js';

const kernels = new WeakMap<Graph, FusedKernel>();

/** The program of a fused node's body: its nodes in order, as steps over numbered slots. */
export function lowerFusedBody(body: Graph): FusedProgram {
  const slots = new Map<Value, number>(body.inputs.map((v, i) => [v, i]));
  const steps: FusedStep[] = body.nodes.map((n, k) => {
    slots.set(n.outputs[0], body.inputs.length + k);
    // An operand not yet in `slots` is -1, which validation rejects.
    return { op: n.op, args: n.inputs.map((v) => slots.get(v) ?? -1), dtype: n.outputs[0].type.dtype };
  });
  return { inputs: body.inputs.map((v) => v.type.dtype), steps, outputs: body.outputs.map((v) => slots.get(v) ?? -1) };
}

/** The kernel of a fused node's body, generated on first use. */
export function fusedKernelOf(body: Graph): FusedKernel {
  let kernel = kernels.get(body);
  if (!kernel) kernels.set(body, (kernel = new FusedKernel(lowerFusedBody(body))));
  return kernel;
}

/** Runs a fused node on its input tensors. */
export const runFused = (node: Node, inputs: readonly Tensor[]): Tensor[] => fusedKernelOf(node.subgraphs[0]).run(inputs);
