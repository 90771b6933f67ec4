/**
 * @file scan: `fg.scan(fn, init, xs)` applies `fn(carry, x) -> [newCarry, y]` along dim 0 of
 * xs (jax.lax.scan). Eagerly it is a loop of ops the tape records; in a trace it is a `scan`
 * node (scanOp.ts), differentiable in reverse mode by a reverse scan (scanVjp.ts).
 */
import { ValueError, given } from '../errors.js';
import { type GraphOpNode, registerGraphOpRules } from '../autodiff/graphOpRules.js';
import type { Tensor } from '../tensor/tensor.js';
import { closeBodies, traceBody } from './bodyTrace.js';
import { runBody } from './bodyReplay.js';
import { type Flat, flattenPytree, unflattenPytree } from './pytree.js';
import { isTracedCall, recordControlNode } from './record.js';
import { type ScanStep, rowType, scanEagerly, scanLength, scanNodeEagerly } from './scanOp.js';
import { scanVjp } from './scanVjp.js';
import { checkSameTree, typed } from './types.js';

function applyScan(node: GraphOpNode, inputs: readonly Tensor[]): Tensor[] {
  if (isTracedCall('scan', inputs)) return recordControlNode('scan', inputs, node.attrs, node.subgraphs);
  return scanNodeEagerly(node, inputs, runBody);
}

registerGraphOpRules('scan', { apply: applyScan, vjp: (node, ctx, grads) => scanVjp(node, ctx, grads, applyScan) });

export interface ScanOptions {
  /** Walk xs from the last row to the first (ys keep their positions), as jax.lax.scan's reverse. */
  reverse?: boolean;
}

type ScanFn = (carry: any, x: any) => unknown;

const RESULT = 'fn(carry, x)';

/** fn's result split into the new carry and y, each flattened. */
function splitResult(out: unknown): { carry: Flat; y: Flat } {
  if (!Array.isArray(out) || out.length !== 2) throw new ValueError('scan', RESULT, 'a pair [newCarry, y]', out);
  return { carry: flattenPytree('scan', `${RESULT}[0]`, out[0]), y: flattenPytree('scan', `${RESULT}[1]`, out[1]) };
}

/**
 * `fg.scan(fn, init, xs, { reverse? })`: threads a carry through `fn(carry, x) -> [newCarry, y]`
 * for each row x of xs along dim 0, and returns `[finalCarry, ys]` with the ys stacked along a
 * new dim 0. `init` and `xs` are a Tensor or arrays / plain objects of tensors (each x has the
 * structure of xs); the new carry keeps init's structure, shapes and dtypes. For xs of length
 * 0 it returns init and empty ys (their types from tracing fn), as JAX does.
 *
 *     const [total, prefix] = fg.scan((c, x) => [c.add(x), c.add(x)], fg.zeros([3]), xs);
 */
export function scan(fn: ScanFn, init: unknown, xs: unknown, options: ScanOptions = {}): [any, any] {
  if (typeof fn !== 'function') throw new ValueError('scan', 'fn', 'a function', fn);
  if (options === null || typeof options !== 'object') throw new ValueError('scan', 'options', 'an object such as { reverse: true }', options);
  const reverse = options.reverse ?? false;
  if (typeof reverse !== 'boolean') throw new ValueError('scan', 'options.reverse', 'a boolean', reverse);
  const carry0 = flattenPytree('scan', 'init', init);
  const xsFlat = flattenPytree('scan', 'xs', xs);
  if (xsFlat.leaves.length === 0) throw new ValueError('scan', 'xs', 'at least one tensor to scan over', given(xsFlat.def.key));
  scanLength(xsFlat.leaves, (i) => `xs${xsFlat.paths[i]}`);
  const nc = carry0.leaves.length;
  const checkCarry = (flat: Flat) => checkSameTree('scan', typed(flat), `${RESULT}[0]`, typed(carry0), 'init');
  const traceFn = () =>
    traceBody('scan', 'scan_body', RESULT, [...carry0.leaves, ...xsFlat.leaves.map(rowType)], (args) => {
      const out = fn(unflattenPytree(carry0.def, args.slice(0, nc)), unflattenPytree(xsFlat.def, args.slice(nc)));
      splitResult(out);
      return out;
    });

  if (isTracedCall('scan', [...carry0.leaves, ...xsFlat.leaves])) {
    const body = traceFn();
    const { carry, y } = splitResult(body.result);
    checkCarry(carry);
    const { graphs, captures } = closeBodies([body]);
    const attrs = { numCarry: nc, numXs: xsFlat.leaves.length, reverse };
    const outs = recordControlNode('scan', [...carry0.leaves, ...xsFlat.leaves, ...captures], attrs, graphs);
    return [unflattenPytree(carry0.def, outs.slice(0, nc)), unflattenPytree(y.def, outs.slice(nc))];
  }

  let yFirst = null as Flat | null;
  let firstRow = 0;
  const step: ScanStep = (carry, rows, t) => {
    const { carry: next, y } = splitResult(fn(unflattenPytree(carry0.def, carry), unflattenPytree(xsFlat.def, rows)));
    checkCarry(next);
    if (yFirst) checkSameTree('scan', typed(y), `row ${t}: ${RESULT}[1]`, typed(yFirst), `row ${firstRow}: ${RESULT}[1]`);
    else [yFirst, firstRow] = [y, t];
    return { carry: next.leaves, ys: y.leaves };
  };
  // With no step to run, fn is traced (not run) for the ys' types, and checked like a step.
  let yEmpty = null as Flat | null;
  const emptyYs = () => {
    const { carry, y } = splitResult(traceFn().result);
    checkCarry(carry);
    yEmpty = y;
    return y.leaves;
  };
  const outs = scanEagerly(carry0.leaves, xsFlat.leaves, reverse, step, emptyYs);
  const yDef = (yFirst ?? yEmpty)!.def;
  return [unflattenPytree(carry0.def, outs.slice(0, nc)), unflattenPytree(yDef, outs.slice(nc))];
}
