/**
 * @file Recording a control-flow node into the current trace, and its tape node: when an
 * input requires grad, the outputs get one Function node whose backward is the op's VJP rule
 * (autodiff/graphOpRules.ts), so fg.grad and backward() inside a trace flow through it.
 */
import { FlowgradError, TraceError, internal } from '../errors.js';
import { FunctionNode, attachOutputs } from '../autodiff/node.js';
import { type GraphOpNode, graphOpRulesOf } from '../autodiff/graphOpRules.js';
import { hasTangent } from '../autodiff/forward.js';
import type { Graph } from '../ir/graph.js';
import { type Attrs, inferOutputTypes } from '../ir/graphOps.js';
import { currentTrace, recordingSource, tracer } from '../ir/trace.js';
import { isGradEnabled } from '../ops/gradMode.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Whether a call with these tensors is recorded into a trace rather than run eagerly: inside
 * any trace it is (as jax.lax ops always bind under jit). A traced value outside every trace
 * escaped the trace that made it.
 */
export function isTracedCall(op: string, tensors: readonly Tensor[]): boolean {
  if (currentTrace() !== null) return true;
  const escaped = tensors.find((t) => t.trace);
  if (escaped) {
    const at = escaped.trace!.source;
    throw new TraceError(`${op}: a traced value${at ? ` created at ${at}` : ''} was used after its trace ended (was it kept outside the traced function?)`);
  }
  return false;
}

/** Appends a node of graph-only op `op` to the current trace and returns tracers for its outputs. */
export function recordControlNode(op: string, inputs: readonly Tensor[], attrs: Attrs, subgraphs: readonly Graph[]): Tensor[] {
  const state = currentTrace();
  if (!state) throw internal(`${op}: recorded outside a trace`);
  if (inputs.some(hasTangent)) {
    throw new FlowgradError(`${op}: forward-mode differentiation (fg.jvp) through a traced ${op} is not supported yet; call fg.jvp outside jit / trace, or use reverse mode (fg.grad, fg.vjp)`);
  }
  const values = inputs.map((t) => state.valueOf(t));
  const outTypes = inferOutputTypes(op, values.map((v) => v.type), attrs, subgraphs);
  const source = recordingSource();
  const node = state.builder.addNode(op, values, attrs, outTypes, { source, subgraphs });
  const outputs = node.outputs.map((v) => tracer(state, v, source));
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) attachOutputs(new ControlFlowBackward(op, node, inputs, outputs), outputs);
  return outputs;
}

/** The tape node of a recorded control-flow node: its backward is the op's VJP rule. */
class ControlFlowBackward extends FunctionNode {
  private readonly inputCount: number;
  constructor(
    private readonly op: string,
    private readonly node: GraphOpNode,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
  ) {
    super(`${op[0].toUpperCase()}${op.slice(1)}Backward`, inputs, outputs);
    this.inputCount = inputs.length;
    this.save([...inputs, ...outputs]);
  }

  apply(grads: readonly Tensor[]): readonly (Tensor | null)[] {
    const saved = this.savedTensors();
    const rules = graphOpRulesOf(this.op);
    if (!rules) throw internal(`no autodiff rules for graph op '${this.op}'`);
    const ctx = { inputs: saved.slice(0, this.inputCount), outputs: saved.slice(this.inputCount), needsGrad: this.next.map((e) => e !== null) };
    return rules.vjp(this.node, ctx, grads);
  }
}
