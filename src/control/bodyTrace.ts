/**
 * @file Tracing control-flow bodies (cond branches, loop bodies) into closed subgraphs.
 *
 * A body is traced in its own TraceState nested in the enclosing one. A value of an
 * enclosing trace that the body reads (a closure) becomes an extra input of the subgraph,
 * a capture, which the node then passes in as an operand, as JAX does: subgraphs stay closed
 * (verify.ts) and every transform sees all of a node's inputs. Concrete tensors that require
 * grad are captured the same way, so gradients reach them through the node's VJP; other
 * concrete tensors become constants inside the body.
 */
import { FlowgradError } from '../errors.js';
import { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { TraceState, type TracerHandle, currentTrace, traceInto, tracer } from '../ir/trace.js';
import type { Value } from '../ir/value.js';
import { noGrad } from '../ops/gradMode.js';
import { schemaOf } from '../ops/schema.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { type Flat, flattenPytree } from './pytree.js';

class BodyTraceState extends TraceState {
  /** Captured tensors and their inputs, keyed by what identifies them (see captureKey). */
  readonly captures = new Map<unknown, { tensor: Tensor; input: Value }>();

  constructor(
    name: string,
    private readonly parent: TraceState | null,
  ) {
    super(name);
  }

  override valueOf(t: Tensor): Value {
    const key = this.captureKey(t);
    if (key === null) return super.valueOf(t);
    let capture = this.captures.get(key);
    if (!capture) {
      capture = { tensor: t, input: this.builder.addInput({ shape: [...t.shape], dtype: t.dtype }) };
      this.captures.set(key, capture);
    }
    return capture.input;
  }

  /** An enclosing trace's value is identified by its Value, a concrete tensor by itself; null: not a capture. */
  private captureKey(t: Tensor): unknown {
    const h = t.trace as TracerHandle | null;
    if (h) return h.state !== this && this.isInside(h.state) ? h.value : null;
    return t.requiresGrad ? t : null;
  }

  private isInside(state: TraceState): boolean {
    for (let s: TraceState | null = this.parent; s; s = s instanceof BodyTraceState ? s.parent : null) if (s === state) return true;
    return false;
  }
}

/** A body traced on placeholders for its arguments: its parameters, results and captures. */
export interface TracedBody {
  readonly state: BodyTraceState;
  readonly params: readonly Value[];
  readonly outputs: readonly Value[];
  /** What the function returned, with tracers for tensors (to split and rebuild). */
  readonly result: unknown;
  readonly flat: Flat;
}

/**
 * Traces `call` on placeholders of `argTypes` (tensors lend their device too) into a body
 * named `name`; its result must be a pytree of tensors (`resultName` names it in errors).
 * Runs under noGrad: the node as a whole is what the tape differentiates.
 */
export function traceBody(op: string, name: string, resultName: string, argTypes: readonly TensorType[], call: (args: Tensor[]) => unknown): TracedBody {
  const state = new BodyTraceState(name, currentTrace());
  const params = argTypes.map((t) => state.builder.addInput({ shape: [...t.shape], dtype: t.dtype }));
  const args = params.map((v, i) => tracer(state, v, undefined, (argTypes[i] as { device?: string }).device ?? 'cpu'));
  const result = traceInto(state, () => noGrad(() => call(args)));
  const flat = flattenPytree(op, resultName, result);
  return { state, params, outputs: flat.leaves.map((t) => state.valueOf(t)), result, flat };
}

/**
 * Closes a node's bodies over the union of their captures: every body takes its parameters,
 * then one input per capture in the same order (unused where that body did not read it).
 * Returns the subgraphs and the captured tensors, to pass after the node's operands.
 */
export function closeBodies(bodies: readonly TracedBody[]): { graphs: Graph[]; captures: Tensor[] } {
  const keys: unknown[] = [];
  const captures: Tensor[] = [];
  for (const b of bodies) {
    for (const [key, { tensor }] of b.state.captures) {
      if (keys.includes(key)) continue;
      keys.push(key);
      captures.push(tensor);
    }
  }
  const graphs = bodies.map((b) => {
    const extra = keys.map((key, i) => b.state.captures.get(key)?.input ?? b.state.builder.addInput({ shape: [...captures[i].shape], dtype: captures[i].dtype }));
    return new Graph(b.state.builder.name, [...b.params, ...extra], liveNodes(b.state.builder.nodes, b.outputs), b.outputs);
  });
  return { graphs, captures };
}

/** Whether a node draws random numbers or writes state, itself or within its subgraphs. */
const hasEffects = (n: Node): boolean => {
  const flags = schemaOf(n.op)?.flags;
  return flags?.random === true || flags?.sideEffecting === true || n.subgraphs.some((g) => g.nodes.some(hasEffects));
};

/**
 * The nodes the outputs need, and effectful ones, in order: a body drops work nobody reads
 * (VJP bodies replay their forward whole, and most of its results are not returned).
 */
function liveNodes(nodes: readonly Node[], outputs: readonly Value[]): Node[] {
  const needed = new Set<Value>(outputs);
  const keep = new Set<Node>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!hasEffects(n) && !n.outputs.some((v) => needed.has(v))) continue;
    keep.add(n);
    for (const v of n.inputs) needed.add(v);
  }
  return nodes.filter((n) => keep.has(n));
}

/**
 * Refuses reverse mode through bodies with random or state-writing ops: the VJP recomputes
 * the body, which would draw different numbers (or write the state twice) than the forward.
 */
export function checkRecomputable(op: string, bodies: readonly Graph[]): void {
  if (!bodies.some((g) => g.nodes.some(hasEffects))) return;
  throw new FlowgradError(
    `${op}: reverse-mode differentiation of a traced ${op} whose body draws random numbers or writes state (rand, dropout, batchNorm in training) ` +
      'is not supported yet: its VJP recomputes the body, which would draw different numbers than the forward did. ' +
      'Draw the numbers outside and pass them in as operands (or xs), or differentiate eagerly.',
  );
}
