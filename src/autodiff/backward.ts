/**
 * @file The backward engine: walks Function nodes from the roots in dependency order,
 * sums gradients at fan-out and delivers them to leaves (`.grad`) or to the caller
 * (`autograd.grad`).
 */
import { AutogradError, ShapeError, ValueError, describe } from '../errors.js';
import { add } from '../ops/elementwise/binary.js';
import { cast } from '../ops/elementwise/cast.js';
import { clone } from '../ops/movement/clone.js';
import { ones, zeros } from '../tensor/create.js';
import { shapesEqual, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { setGradEnabled } from '../ops/gradMode.js';
import type { FunctionNode } from './node.js';

export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again. */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients. */
  createGraph?: boolean;
}

interface Plan {
  readonly roots: readonly Tensor[];
  readonly seeds: readonly Tensor[];
  readonly retainGraph: boolean;
  readonly createGraph: boolean;
  /** When set, gradients of these tensors are returned instead of accumulated into `.grad`. */
  readonly capture?: readonly Tensor[];
}

/**
 * Checks the roots and makes their seed gradients (ones for scalar roots). `arg` names the
 * seeds in errors: 'gradient' for backward, 'gradOutputs' for autograd.grad.
 */
export function seedsFor(op: string, roots: readonly Tensor[], given: readonly (Tensor | null | undefined)[] | undefined, arg = 'gradient'): Tensor[] {
  return roots.map((r, i) => {
    if (!(r instanceof Tensor)) throw new ValueError(op, 'outputs', 'tensors', r);
    if (!r.requiresGrad) {
      throw new AutogradError(`${op}: output ${i} does not require grad and has no gradFn (was it computed from tensors with requiresGrad, outside noGrad?)`);
    }
    const g = given?.[i];
    if (g === undefined || g === null) {
      if (r.size !== 1) {
        throw new AutogradError(`${op}: a gradient can be created implicitly only for one-element outputs; output ${i} has shape ${shapeStr(r.shape)}, so pass a gradient`);
      }
      return ones(r.shape as number[], { dtype: r.dtype, device: r.device });
    }
    const name = arg === 'gradient' ? arg : `${arg}[${i}]`;
    if (!(g instanceof Tensor)) throw new ValueError(op, name, 'a tensor', g);
    if (!shapesEqual(g.shape, r.shape)) throw new ShapeError(op, name, shapeStr(r.shape), shapeStr(g.shape));
    // Gradients take their tensor's dtype (as PyTorch casts them), so a float32 leaf never gets a float64 .grad.
    return g.dtype === r.dtype ? g : cast(g, r.dtype);
  });
}

/** Runs backward; returns the captured gradients (null where none reached) in capture mode. */
export function runBackward(plan: Plan): (Tensor | null)[] {
  return setGradEnabled(plan.createGraph, () => walk(plan));
}

function walk(plan: Plan): (Tensor | null)[] {
  const buffers = new Map<FunctionNode, (Tensor | null)[]>();
  const captured = new Map<Tensor, Tensor>();
  const leafTargets = new Set(plan.capture?.filter((t) => t.isLeaf));
  const nodeTargets = new Map<FunctionNode, Map<number, Tensor>>();
  for (const t of plan.capture ?? []) {
    if (t.isLeaf) continue;
    const n = t.gradFn as FunctionNode;
    if (!nodeTargets.has(n)) nodeTargets.set(n, new Map());
    nodeTargets.get(n)!.set(t.outputIndex, t);
  }

  const accumulate = (into: Tensor | null | undefined, g: Tensor): Tensor => (into ? add(into, g) : g);
  // Into `.grad`, accumulating across backward calls; a fresh tensor, since `g` may be a
  // broadcast view or shared with another tensor's gradient.
  const storeGrad = (t: Tensor, g: Tensor) => {
    t.grad = t.grad ? add(t.grad, g) : plan.createGraph ? g : clone(g);
  };
  const deliverLeaf = (leaf: Tensor, g: Tensor) => {
    if (!plan.capture) storeGrad(leaf, g);
    else if (leafTargets.has(leaf)) captured.set(leaf, accumulate(captured.get(leaf), g));
  };
  const addToBuffer = (node: FunctionNode, index: number, g: Tensor) => {
    let buf = buffers.get(node);
    if (!buf) buffers.set(node, (buf = node.outputTypes.map(() => null)));
    buf[index] = accumulate(buf[index], g);
  };

  const dependencies = countDependencies(plan.roots);
  // autograd.grad runs only the nodes that lead to a requested input, as PyTorch does: the
  // rest of the graph keeps its saved tensors for a later backward.
  const leadsToTarget = plan.capture ? nodesLeadingTo(dependencies.keys(), leafTargets, nodeTargets) : null;
  plan.roots.forEach((r, i) => {
    if (r.gradFn) addToBuffer(r.gradFn as FunctionNode, r.outputIndex, plan.seeds[i]);
    else deliverLeaf(r, plan.seeds[i]);
  });

  const ready: FunctionNode[] = [...dependencies.keys()].filter((n) => dependencies.get(n) === 0);
  const visited: FunctionNode[] = [];
  while (ready.length > 0) {
    const node = ready.pop()!;
    const buf = buffers.get(node);
    buffers.delete(node);
    let inputGrads: readonly (Tensor | null)[] = [];
    if (buf) {
      for (const [index, t] of nodeTargets.get(node) ?? []) if (buf[index]) captured.set(t, buf[index]!);
      // Like leaves, retained non-leaves get `.grad` from backward() only, not from autograd.grad.
      if (!plan.capture) for (const [index, t] of retainedOf(node)) if (buf[index]) storeGrad(t, buf[index]!);
    }
    if (buf && (!leadsToTarget || leadsToTarget.has(node))) {
      const grads = buf.map((g, i) => g ?? zeros(node.outputTypes[i].shape as number[], { dtype: node.outputTypes[i].dtype }));
      inputGrads = node.apply(grads);
      visited.push(node);
    }
    node.next.forEach((edge, i) => {
      if (!edge) return;
      const g = inputGrads[i];
      if (edge.node) {
        if (g) addToBuffer(edge.node, edge.outputIndex, g);
        const left = dependencies.get(edge.node)! - 1;
        dependencies.set(edge.node, left);
        if (left === 0) ready.push(edge.node);
      } else if (g) deliverLeaf(edge.leaf!, g);
    });
  }
  if (!plan.retainGraph) for (const n of visited) n.release();
  return (plan.capture ?? []).map((t) => captured.get(t) ?? null);
}

/** The nodes with a path (through their inputs) to a target leaf or to a node that made a target. */
function nodesLeadingTo(nodes: Iterable<FunctionNode>, leafTargets: ReadonlySet<Tensor>, nodeTargets: ReadonlyMap<FunctionNode, unknown>): Set<FunctionNode> {
  const memo = new Map<FunctionNode, boolean>();
  // Iterative post-order: graphs can be deeper than the JS stack (long RNN chains).
  for (const start of nodes) {
    const stack: FunctionNode[] = [start];
    while (stack.length > 0) {
      const n = stack[stack.length - 1];
      if (memo.has(n)) {
        stack.pop();
        continue;
      }
      const pending = n.next.filter((e) => e?.node && !memo.has(e.node)).map((e) => e!.node!);
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      memo.set(n, n.next.some((e) => !!e && (e.node ? nodeTargets.has(e.node) || memo.get(e.node)! : leafTargets.has(e.leaf!))));
    }
  }
  return new Set([...memo].filter(([, leads]) => leads).map(([n]) => n));
}

/** For each node reachable from the roots, how many edges from other reachable nodes point at it. */
function countDependencies(roots: readonly Tensor[]): Map<FunctionNode, number> {
  const deps = new Map<FunctionNode, number>();
  const stack: FunctionNode[] = [];
  for (const r of roots) {
    const n = r.gradFn as FunctionNode | null;
    if (n && !deps.has(n)) {
      deps.set(n, 0);
      stack.push(n);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const edge of n.next) {
      if (!edge?.node) continue;
      const seen = deps.has(edge.node);
      deps.set(edge.node, (deps.get(edge.node) ?? 0) + 1);
      if (!seen) stack.push(edge.node);
    }
  }
  return deps;
}

const retained = new WeakMap<FunctionNode, Map<number, Tensor>>();
const retainedOf = (node: FunctionNode) => retained.get(node) ?? new Map<number, Tensor>();

/** Makes backward() also store this non-leaf tensor's gradient in `.grad` (PyTorch's retain_grad). */
export function retainGrad(t: Tensor): void {
  if (!(t instanceof Tensor)) throw new ValueError('retainGrad', 'self', 'a tensor', describe(t));
  if (!t.requiresGrad) throw new AutogradError("retainGrad: can't retain the gradient of a tensor that does not require grad");
  if (t.isLeaf) return;
  const node = t.gradFn as FunctionNode;
  if (!retained.has(node)) retained.set(node, new Map());
  retained.get(node)!.set(t.outputIndex, t);
  t.retainsGrad = true;
}
