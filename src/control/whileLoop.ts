/**
 * @file whileLoop: applies a body to a carry while a predicate holds (jax.lax.while_loop).
 * Eagerly it is a JS loop (the tape records every iteration); in a trace it is a
 * `whileLoop` node with a cond and a body subgraph, both taking the carry then the captured
 * outer values, the body returning the next carry:
 *
 *     %3: f32[], i32[] = whileLoop %s, %i, %n {
 *       graph whileLoop_cond(%0: f32[], %1: i32[], %2: i32[]) { … return <bool[]> }
 *       graph whileLoop_body(%0: f32[], %1: i32[], %2: i32[]) { … return <f32[]>, <i32[]> }
 *     }
 *
 * Reverse mode through a traced whileLoop is refused, as JAX does: the trip count is known
 * only at run time. fg.scan, with a fixed length, is differentiable.
 */
import { FlowgradError, ValueError } from '../errors.js';
import { type GraphOpNode, registerGraphOpRules } from '../autodiff/graphOpRules.js';
import type { Graph } from '../ir/graph.js';
import { type Attrs, defineGraphOp, registerNodeVerifier } from '../ir/graphOps.js';
import { registerNodeRunner } from '../runtime/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { closeBodies, traceBody } from './bodyTrace.js';
import { runBody } from './bodyReplay.js';
import { type Flat, flattenPytree, unflattenPytree } from './pytree.js';
import { isTracedCall, recordControlNode } from './record.js';
import { checkAttrNames, checkParams, checkPredicate, checkResults, checkSameTree, checkSubgraphCount, typed, typesOf } from './types.js';

const SUBGRAPHS = 'a cond and a body';

function inferWhileLoop(inputs: readonly TensorType[], attrs: Attrs, subgraphs: readonly Graph[]): TensorType[] {
  checkAttrNames('whileLoop', attrs, []);
  checkSubgraphCount('whileLoop', subgraphs, 2, SUBGRAPHS);
  const [cond, body] = subgraphs;
  const carry = body.outputs.length;
  if (carry > inputs.length) throw new FlowgradError(`whileLoop: the body returns ${carry} values, more than the node's ${inputs.length} inputs (the carry, then captured values)`);
  checkParams('whileLoop', 'the cond subgraph', cond, inputs, "the node's inputs");
  checkParams('whileLoop', 'the body', body, inputs, "the node's inputs");
  checkResults('whileLoop', 'the cond subgraph', cond.outputs.map((v) => v.type), [{ shape: [], dtype: 'bool' }], 'one bool scalar');
  checkResults('whileLoop', 'the body', body.outputs.map((v) => v.type), inputs.slice(0, carry), 'the carry: the first inputs');
  return typesOf(inputs.slice(0, carry));
}

defineGraphOp({ name: 'whileLoop', infer: inferWhileLoop });
registerNodeVerifier('whileLoop', (node) => checkSubgraphCount('whileLoop', node.subgraphs, 2, SUBGRAPHS));

/**
 * The loop over any way of running a subgraph (the executor's, or replay through the
 * dispatcher). `discard` is told of each value the loop made and no longer needs (a
 * predicate, a replaced carry), so the executor can reuse its buffer in the next iteration
 * instead of holding every iteration's carry until the run ends.
 */
function loop(node: GraphOpNode, inputs: readonly Tensor[], run: (g: Graph, ins: readonly Tensor[]) => Tensor[], discard?: (t: Tensor) => void): Tensor[] {
  const [cond, body] = node.subgraphs;
  const consts = inputs.slice(body.outputs.length);
  let carry = inputs.slice(0, body.outputs.length);
  // A subgraph may hand back one of its inputs unchanged: only what the loop made is discarded.
  const made = (t: Tensor) => !inputs.includes(t);
  for (;;) {
    const [pred] = run(cond, [...carry, ...consts]);
    const go = pred.item();
    if (made(pred) && !carry.includes(pred)) discard?.(pred);
    if (!go) return carry;
    const next = run(body, [...carry, ...consts]);
    for (const t of carry) if (made(t) && !next.includes(t)) discard?.(t);
    carry = next;
  }
}

registerNodeRunner('whileLoop', (executor, node, inputs) =>
  loop(node, inputs, (g, ins) => executor.runSubgraph(g, ins), (t) => executor.discard(t)),
);

registerGraphOpRules('whileLoop', {
  apply: (node, inputs) => (isTracedCall('whileLoop', inputs) ? recordControlNode('whileLoop', inputs, node.attrs, node.subgraphs) : loop(node, inputs, runBody)),
  vjp: () => {
    throw new FlowgradError(
      'whileLoop: reverse-mode differentiation (fg.grad, backward, gradGraph, jit on tensors that require grad) of a traced whileLoop is ' +
        'not supported: its trip count is known only at run time. Use fg.scan with a fixed number of steps, as for jax.lax.while_loop, ' +
        'or run the loop eagerly (outside trace / jit), where the tape records every iteration.',
    );
  },
});

type CarryFn = (carry: any) => unknown;

function checkPredicateResult(p: unknown, what: string): Tensor {
  if (!(p instanceof Tensor)) throw new ValueError('whileLoop', what, 'a bool scalar Tensor', p);
  checkPredicate('whileLoop', what, p, true);
  return p;
}

/**
 * `fg.whileLoop(condFn, bodyFn, initVals)`: `carry = bodyFn(carry)` while `condFn(carry)`,
 * starting from `initVals` (a Tensor, or arrays / plain objects of tensors, passed to both
 * functions as one argument); returns the final carry. `condFn` returns a bool scalar;
 * `bodyFn` returns a carry of the same structure, shapes and dtypes.
 *
 *     const [i, x] = fg.whileLoop(([i]) => i.lt(10), ([i, x]) => [i.add(1), x.mul(2)], [fg.tensor(0, { dtype: 'int32' }), x0]);
 */
export function whileLoop(condFn: CarryFn, bodyFn: CarryFn, initVals: unknown): any {
  if (typeof condFn !== 'function') throw new ValueError('whileLoop', 'condFn', 'a function', condFn);
  if (typeof bodyFn !== 'function') throw new ValueError('whileLoop', 'bodyFn', 'a function', bodyFn);
  const init = flattenPytree('whileLoop', 'initVals', initVals);
  const traceFn = (fn: CarryFn, name: string, what: string) => traceBody('whileLoop', name, what, init.leaves, (args) => fn(unflattenPytree(init.def, args)));
  const checkBody = (flat: Flat) => checkSameTree('whileLoop', typed(flat), 'bodyFn(carry)', typed(init), 'initVals');

  if (isTracedCall('whileLoop', init.leaves)) {
    const c = traceFn(condFn, 'whileLoop_cond', 'condFn(carry)');
    checkPredicateResult(c.result, 'condFn(carry)');
    const b = traceFn(bodyFn, 'whileLoop_body', 'bodyFn(carry)');
    checkBody(b.flat);
    const { graphs, captures } = closeBodies([c, b]);
    return unflattenPytree(init.def, recordControlNode('whileLoop', [...init.leaves, ...captures], {}, graphs));
  }

  let carry = initVals;
  let iterations = 0;
  while (checkPredicateResult(condFn(carry), 'condFn(carry)').item()) {
    const next = bodyFn(carry);
    checkBody(flattenPytree('whileLoop', 'bodyFn(carry)', next));
    carry = next;
    iterations++;
  }
  // A body that never ran is traced (not run) to check it keeps the carry's types, as JAX does.
  if (iterations === 0) checkBody(traceFn(bodyFn, 'whileLoop_body', 'bodyFn(carry)').flat);
  return carry;
}
