/**
 * @file cond: one of two branches applied to the operands, picked by a scalar predicate
 * (jax.lax.cond). Eagerly, the picked branch is called and the tape records its ops; in a
 * trace, both branches become the two subgraphs of a `cond` node:
 *
 *     %2: f32[3] = cond %p, %x, %w {     inputs: pred, operands, then captured outer values
 *       graph cond_true(%0: f32[3], %1: f32[3]) { … }
 *       graph cond_false(%0: f32[3], %1: f32[3]) { … }
 *     }
 *
 * Its VJP is a cond of the branches' VJPs (each replays its branch's forward).
 */
import { FlowgradError, ValueError } from '../errors.js';
import { type GraphOpNode, type GraphOpVjpContext, registerGraphOpRules } from '../autodiff/graphOpRules.js';
import type { Graph } from '../ir/graph.js';
import { type Attrs, defineGraphOp, registerNodeVerifier } from '../ir/graphOps.js';
import { registerNodeRunner } from '../runtime/sequential.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { checkRecomputable, closeBodies, traceBody } from './bodyTrace.js';
import { bodyVjp, runBody } from './bodyReplay.js';
import { flattenPytree, unflattenPytree } from './pytree.js';
import { isTracedCall, recordControlNode } from './record.js';
import { checkAttrNames, checkParams, checkPredicate, checkResults, checkSameTree, checkSubgraphCount, typed } from './types.js';

const BRANCHES = ['trueFn', 'falseFn'] as const;
const BRANCH_GRAPHS = ['cond_true', 'cond_false'] as const;

/** The branch a predicate picks: any value but 0 / false is true (NaN included). */
const branchOf = (pred: Tensor): 0 | 1 => {
  const v = pred.item() as number | boolean;
  return v !== 0 && v !== false ? 0 : 1;
};

function inferCond(inputs: readonly TensorType[], attrs: Attrs, subgraphs: readonly Graph[]): TensorType[] {
  checkAttrNames('cond', attrs, []);
  checkSubgraphCount('cond', subgraphs, 2, 'the true and the false branch');
  if (inputs.length === 0) throw new FlowgradError('cond: expected at least 1 input (the predicate), got 0');
  const [pred, ...operands] = inputs;
  checkPredicate('cond', 'pred', pred, false);
  subgraphs.forEach((b, k) => checkParams('cond', `the ${k === 0 ? 'true' : 'false'} branch`, b, operands, 'the operands'));
  const [t, f] = subgraphs.map((b) => b.outputs.map((v) => v.type));
  checkResults('cond', 'the false branch', f, t, 'what the true branch returns');
  return t.map((x) => ({ shape: [...x.shape], dtype: x.dtype }));
}

defineGraphOp({ name: 'cond', infer: inferCond });
registerNodeVerifier('cond', (node) => checkSubgraphCount('cond', node.subgraphs, 2, 'the true and the false branch'));
registerNodeRunner('cond', (executor, node, [pred, ...operands]) => executor.runSubgraph(node.subgraphs[branchOf(pred)], operands));

/** A cond node applied to tensors: recorded in a trace, else the picked branch replayed eagerly. */
function applyCond(node: GraphOpNode, inputs: readonly Tensor[]): Tensor[] {
  if (isTracedCall('cond', inputs)) return recordControlNode('cond', inputs, node.attrs, node.subgraphs);
  return runBody(node.subgraphs[branchOf(inputs[0])], inputs.slice(1));
}

/** cond(pred, T, F)ᵀ = cond(pred, Tᵀ, Fᵀ) over the operands and the floating outputs' cotangents. */
function condVjp(node: GraphOpNode, { inputs, needsGrad }: GraphOpVjpContext, grads: readonly Tensor[]): (Tensor | null)[] {
  const [pred, ...operands] = inputs;
  const result: (Tensor | null)[] = inputs.map(() => null);
  const wrt = operands.map((_, i) => i).filter((i) => isFloating(operands[i].dtype) && (needsGrad?.[i + 1] ?? true));
  if (wrt.length === 0) return result;
  checkRecomputable('cond', node.subgraphs);
  const outputs = node.subgraphs[0].outputs;
  const outIdx = outputs.map((_, k) => k).filter((k) => isFloating(outputs[k].type.dtype));
  const cotangents = outIdx.map((k) => grads[k]);
  const n = operands.length;
  const bodies = node.subgraphs.map((branch, k) =>
    traceBody('cond', `${BRANCH_GRAPHS[k]}_vjp`, 'the VJP of a branch', [...operands, ...cotangents], (args) => bodyVjp(branch, args.slice(0, n), args.slice(n), outIdx, wrt)),
  );
  const { graphs, captures } = closeBodies(bodies);
  const branchGrads = applyCond({ attrs: {}, subgraphs: graphs }, [pred, ...operands, ...cotangents, ...captures]);
  wrt.forEach((i, j) => (result[i + 1] = branchGrads[j]));
  return result;
}

registerGraphOpRules('cond', { apply: applyCond, vjp: condVjp });

type Branch = (...operands: any[]) => unknown;

/**
 * `fg.cond(pred, trueFn, falseFn, ...operands)`: `trueFn(...operands)` when the scalar `pred`
 * is true (bool, or numeric and non-zero), else `falseFn(...operands)`. Operands are tensors
 * or arrays / plain objects of them; both branches must return the same structure, shapes
 * and dtypes (checked in eager mode too, by tracing the branch not taken).
 *
 *     const y = fg.cond(x.sum().gt(0), (a) => a.mul(2), (a) => a.neg(), x);
 */
export function cond(pred: Tensor, trueFn: Branch, falseFn: Branch, ...operands: unknown[]): any {
  if (!(pred instanceof Tensor)) throw new ValueError('cond', 'pred', 'a scalar Tensor (bool or numeric)', pred);
  const fns = [trueFn, falseFn];
  fns.forEach((fn, k) => {
    if (typeof fn !== 'function') throw new ValueError('cond', BRANCHES[k], 'a function', fn);
  });
  checkPredicate('cond', 'pred', pred, false);
  const ops = flattenPytree('cond', 'operands', operands);
  const traceBranch = (k: number) =>
    traceBody('cond', BRANCH_GRAPHS[k], `${BRANCHES[k]}(...operands)`, ops.leaves, (args) => fns[k](...unflattenPytree(ops.def, args)));

  if (isTracedCall('cond', [pred, ...ops.leaves])) {
    const bodies = [traceBranch(0), traceBranch(1)];
    checkSameTree('cond', typed(bodies[1].flat), `${BRANCHES[1]}(...operands)`, typed(bodies[0].flat), `${BRANCHES[0]}(...operands)`);
    const { graphs, captures } = closeBodies(bodies);
    const outs = recordControlNode('cond', [pred, ...ops.leaves, ...captures], {}, graphs);
    return unflattenPytree(bodies[0].flat.def, outs);
  }

  const taken = branchOf(pred);
  const out = fns[taken](...operands);
  const flat = flattenPytree('cond', `${BRANCHES[taken]}(...operands)`, out);
  // The branch not taken is traced (not run) to check it returns the same types, as JAX does.
  const other = traceBranch(1 - taken).flat;
  const [t, f] = taken === 0 ? [flat, other] : [other, flat];
  checkSameTree('cond', typed(f), `${BRANCHES[1]}(...operands)`, typed(t), `${BRANCHES[0]}(...operands)`);
  return out;
}
