/**
 * @file Graph-level autodiff: a pass from a forward Graph to a Graph that also computes
 * gradients (REFERENCE §2.3, "graph-level IR").
 *
 * The forward nodes are replayed into a new trace, then the adjoint is emitted by walking
 * them from the outputs back: each node's VJP rule (from the op registry) is called on the
 * traced values, so its ops land in the new graph; where a value fans out, the gradient
 * contributions are summed with one addN. The result is one joint graph, or a forward and a
 * backward graph linked by the forward values the backward needs (`splitGradGraph`).
 */
import { ValueError, given } from '../errors.js';
import { type Graph, GraphBuilder } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { spec, traceToGraph, withSource } from '../ir/trace.js';
import { applyOp } from '../ops/dispatch.js';
import { addN } from '../ops/elementwise/addN.js';
import { mul } from '../ops/elementwise/binary.js';
import { schemaOf } from '../ops/schema.js';
import { ones } from '../tensor/create.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../ops/gradMode.js';
import { graphOpRulesOf } from './graphOpRules.js';
import { unfuse } from '../passes/fusion.js';

/** Runs each node of `g` through the dispatcher (so an enclosing trace records it); returns every value's tensor. */
export function replay(g: Graph, inputs: readonly Tensor[]): Map<Value, Tensor> {
  const env = new Map<Value, Tensor>();
  g.inputs.forEach((v, i) => env.set(v, inputs[i]));
  for (const node of g.nodes) {
    if (node.op === 'constant') {
      env.set(node.outputs[0], node.attrs.value as Tensor);
      continue;
    }
    const ins = node.inputs.map((v) => env.get(v)!);
    const rules = graphOpRulesOf(node.op);
    const outs = withSource(node.source, () => (rules ? rules.apply(node, ins) : applyOp(node.op as never, ins, node.attrs as never)));
    node.outputs.forEach((v, i) => env.set(v, outs[i]));
  }
  return env;
}

/**
 * Values that depend on any of `roots` (forward reachability). With `differentiableOnly`,
 * dependence through an op without a VJP rule (numel, comparisons) does not count.
 */
function dependents(g: Graph, roots: readonly Value[], differentiableOnly = false): Set<Value> {
  const live = new Set(roots);
  for (const n of g.nodes) {
    if (differentiableOnly && !schemaOf(n.op)?.vjp && !graphOpRulesOf(n.op)) continue;
    if (n.inputs.some((v) => live.has(v))) for (const o of n.outputs) live.add(o);
  }
  return live;
}

/**
 * Emits the adjoint of `g`'s nodes (already replayed into `env`) for the given output
 * cotangents; returns one gradient per `wrt` value (null where none flows).
 */
export function emitAdjoint(g: Graph, env: Map<Value, Tensor>, cotangents: readonly Tensor[], wrt: readonly Value[]): (Tensor | null)[] {
  const onPath = dependents(g, wrt, true);
  const contributions = new Map<Value, Tensor[]>();
  const contribute = (v: Value, t: Tensor) => {
    const list = contributions.get(v);
    if (list) list.push(t);
    else contributions.set(v, [t]);
  };
  g.outputs.forEach((v, i) => contribute(v, cotangents[i]));
  const adjoint = (v: Value): Tensor | null => {
    const list = contributions.get(v);
    if (!list) return null;
    // Sum once at fan-in (AddN), then keep the sum for any later reader.
    const total = addN(list);
    contributions.set(v, [total]);
    return total;
  };
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const node: Node = g.nodes[i];
    if (node.op === 'constant' || !node.outputs.some((o) => onPath.has(o))) continue;
    const grads = node.outputs.map(adjoint);
    if (grads.every((gr) => gr === null)) continue;
    const schema = schemaOf(node.op);
    const rules = graphOpRulesOf(node.op);
    // Ops without a VJP rule are not differentiable (comparisons, argmax, numel), as on the tape.
    if (!schema?.vjp && !rules) continue;
    const outs = node.outputs.map((v) => env.get(v)!);
    // A non-floating output carries no gradient: its slot holds the output itself, which rules ignore.
    const filled = grads.map((gr, k) => gr ?? (isFloating(outs[k].dtype) ? mul(outs[k], 0) : outs[k]));
    const needsGrad = node.inputs.map((v) => onPath.has(v) && isFloating(v.type.dtype));
    // Adjoint nodes carry the source line of the forward node they differentiate.
    const ins = node.inputs.map((v) => env.get(v)!);
    const inputGrads = withSource(node.source, () =>
      rules ? rules.vjp(node, { inputs: ins, outputs: outs, needsGrad }, filled) : schema!.vjp!({ inputs: ins, outputs: outs, attrs: node.attrs, needsGrad }, filled),
    );
    node.inputs.forEach((v, k) => {
      const gr = inputGrads[k];
      if (gr && onPath.has(v) && isFloating(v.type.dtype)) contribute(v, gr);
    });
  }
  return wrt.map(adjoint);
}

export interface GradGraphOptions {
  /** Indices of the inputs to differentiate with respect to (default: every floating input). */
  wrt?: readonly number[];
  /**
   * Take one cotangent per output as extra trailing inputs (a VJP graph). Without it every
   * output must hold one element and is seeded with 1.
   */
  cotangents?: boolean;
}

function resolveWrt(g: Graph, wrt: readonly number[] | undefined): number[] {
  if (wrt === undefined) return g.inputs.map((v, i) => (isFloating(v.type.dtype) ? i : -1)).filter((i) => i >= 0);
  if (!Array.isArray(wrt)) throw new ValueError('gradGraph', 'wrt', 'an array of input indices', wrt);
  for (const i of wrt) {
    if (!Number.isInteger(i) || i < 0 || i >= g.inputs.length) throw new ValueError('gradGraph', 'wrt', `input indices in [0, ${g.inputs.length - 1}]`, i);
    if (!isFloating(g.inputs[i].type.dtype)) throw new ValueError('gradGraph', 'wrt', 'indices of floating inputs', given(`input ${i} of dtype ${g.inputs[i].type.dtype}`));
  }
  return [...wrt];
}

/**
 * A graph computing `g`'s outputs followed by the gradients of their sum with respect to the
 * `wrt` inputs (or, with `cotangents`, the VJP for cotangents given as extra inputs).
 */
export function gradGraph(original: Graph, opts: GradGraphOptions = {}): Graph {
  // Fused nodes have no VJP of their own: differentiate the ops they hold.
  const g = unfuse(original);
  const wrt = resolveWrt(g, opts.wrt);
  if (!opts.cotangents) {
    g.outputs.forEach((v, i) => {
      if (v.type.shape.some((d) => d !== 1)) {
        throw new ValueError('gradGraph', 'g', 'outputs with one element each (or pass { cotangents: true })', given(`output ${i} of shape ${shapeStr(v.type.shape)}`));
      }
    });
  }
  const specs = g.inputs.map((v) => spec(v.type.shape as (number | string)[], v.type.dtype));
  const cotSpecs = opts.cotangents ? g.outputs.map((v) => spec(v.type.shape as (number | string)[], v.type.dtype)) : [];
  const { graph } = traceToGraph(
    (...args: Tensor[]) =>
      // The adjoint is built from VJP rules by hand; the tape must not also record it.
      noGrad(() => {
        const xs = args.slice(0, g.inputs.length);
        const env = replay(g, xs);
        const outs = g.outputs.map((v) => env.get(v)!);
        const seeds = opts.cotangents ? args.slice(g.inputs.length) : outs.map((o) => ones(o.shape as number[], { dtype: o.dtype }));
        const grads = emitAdjoint(g, env, seeds, wrt.map((i) => g.inputs[i]));
        // An input the outputs do not depend on gets a zero gradient, as jax.grad gives.
        return [...outs, ...grads.map((gr, k) => gr ?? mul(xs[wrt[k]], 0))];
      }),
    [...specs, ...cotSpecs],
    `${g.name}_grad`,
    [...g.inputs.map((v) => v.name), ...g.outputs.map((_, i) => `cotangent${i}`)],
  );
  return graph;
}

/** A joint gradient graph cut in two: the backward graph needs only `saved` from the forward one. */
export interface SplitGradGraph {
  /** The VJP graph before the cut: inputs, then cotangents → outputs, then gradients. */
  readonly joint: Graph;
  /** Inputs as the original graph's; outputs: the original outputs, then the saved values. */
  readonly forward: Graph;
  /** Inputs: the saved values, then one cotangent per original output; outputs: the gradients. */
  readonly backward: Graph;
  readonly savedCount: number;
}

/**
 * Forward and backward graphs for `g` (AOTAutograd-style partition of the VJP graph): nodes
 * that depend on a cotangent form the backward graph; the forward values they read are saved.
 */
export function splitGradGraph(g: Graph, wrt?: readonly number[]): SplitGradGraph {
  const joint = gradGraph(g, { wrt, cotangents: true });
  const nIn = g.inputs.length;
  const nOut = g.outputs.length;
  const cts = joint.inputs.slice(nIn);
  const backwardValues = dependents(joint, cts);
  const isBackward = (n: Node) => n.outputs.some((o) => backwardValues.has(o));
  const grads = joint.outputs.slice(nOut);
  // Saved: forward values read by backward nodes or returned as gradients directly.
  const saved: Value[] = [];
  const markSaved = (v: Value) => {
    if (!backwardValues.has(v) && !saved.includes(v)) saved.push(v);
  };
  for (const n of joint.nodes) if (isBackward(n)) n.inputs.forEach(markSaved);
  grads.forEach(markSaved);

  const forward = copyNodes(`${g.name}_forward`, joint.inputs.slice(0, nIn), joint.nodes.filter((n) => !isBackward(n)), [...joint.outputs.slice(0, nOut), ...saved]);
  const backward = copyNodes(`${g.name}_backward`, [...saved, ...cts], joint.nodes.filter(isBackward), grads);
  return { joint, forward, backward, savedCount: saved.length };
}

/** A new graph with the given values as inputs and a subset of `g`'s nodes, in order. */
function copyNodes(name: string, inputs: readonly Value[], nodes: readonly Node[], outputs: readonly Value[]): Graph {
  const b = new GraphBuilder(name);
  const map = new Map<Value, Value>();
  for (const v of inputs) map.set(v, b.addInput(v.type, v.name));
  for (const n of nodes) {
    const copy = b.addNode(n.op, n.inputs.map((v) => map.get(v)!), n.attrs, n.outputs.map((o) => o.type), {
      device: n.device,
      source: n.source,
      subgraphs: n.subgraphs,
    });
    n.outputs.forEach((o, i) => map.set(o, copy.outputs[i]));
  }
  return b.build(outputs.map((v) => map.get(v)!));
}
