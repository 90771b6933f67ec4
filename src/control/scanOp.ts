/**
 * @file The `scan` graph op: a body applied along dim 0 of the xs, threading a carry
 * (jax.lax.scan). Inputs: the carry, the xs, then constants (captured values); attrs
 * `numCarry`, `numXs` and `reverse` (walk the xs from the end; ys keep their positions).
 * The body takes (carry, one row of each x, constants) and returns (new carry, y); the node
 * returns the final carry and the ys stacked along a new dim 0:
 *
 *     %4: f32[3], f32[n,3] = scan[numCarry=1, numXs=1, reverse=false] %h, %xs, %w {
 *       graph scan_body(%0: f32[3], %1: f32[3], %2: f32[3,3]) { … return %5, %5 }
 *     }
 */
import { FlowgradError, ShapeError } from '../errors.js';
import type { GraphOpNode } from '../autodiff/graphOpRules.js';
import type { Graph } from '../ir/graph.js';
import { type Attrs, defineGraphOp, registerNodeVerifier } from '../ir/graphOps.js';
import type { Node } from '../ir/node.js';
import { makeView } from '../kernels/reference/views.js';
import { runKernel } from '../ops/dispatch.js';
import { stack } from '../ops/movement/concat.js';
import { reshape } from '../ops/movement/reshape.js';
import { slice } from '../ops/movement/slice.js';
import { schemaOf } from '../ops/schema.js';
import { registerNodeRunner } from '../runtime/sequential.js';
import { zeros } from '../tensor/create.js';
import { type Dim, type SymShape, shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { checkAttrNames, checkParams, checkResults, checkSubgraphCount, intAttr, typesOf } from './types.js';

export interface ScanAttrs {
  readonly numCarry: number;
  readonly numXs: number;
  readonly reverse: boolean;
}

/** The validated attrs of a scan node. */
export function scanAttrs(attrs: Attrs): ScanAttrs {
  checkAttrNames('scan', attrs, ['numCarry', 'numXs', 'reverse']);
  const reverse = attrs.reverse;
  if (typeof reverse !== 'boolean') throw new FlowgradError(`scan: attribute reverse must be true or false, got ${String(reverse)}`);
  return { numCarry: intAttr('scan', attrs, 'numCarry', 0), numXs: intAttr('scan', attrs, 'numXs', 1), reverse };
}

/** The common length of the xs (their dim 0), checked; `what(i)` names x i. */
export function scanLength(xs: readonly TensorType[], what: (i: number) => string): Dim {
  xs.forEach((x, i) => {
    if (x.shape.length === 0) throw new ShapeError('scan', what(i), '[length, ...] (at least one dim, scanned along dim 0)', '[] (a scalar)');
    if (x.shape[0] !== xs[0].shape[0]) throw new ShapeError('scan', what(i), `[${xs[0].shape[0]}, ...] (the length of ${what(0)})`, shapeStr(x.shape));
  });
  return xs[0].shape[0];
}

/** The type of one row of `x` (x without its dim 0). */
export const rowType = (x: TensorType): TensorType => ({ shape: x.shape.slice(1), dtype: x.dtype });

function inferScan(inputs: readonly TensorType[], attrs: Attrs, subgraphs: readonly Graph[]): TensorType[] {
  const { numCarry, numXs } = scanAttrs(attrs);
  checkSubgraphCount('scan', subgraphs, 1, 'the body');
  if (numCarry + numXs > inputs.length) throw new FlowgradError(`scan: numCarry + numXs = ${numCarry + numXs}, more than the node's ${inputs.length} inputs`);
  const carry = inputs.slice(0, numCarry);
  const xs = inputs.slice(numCarry, numCarry + numXs);
  const length = scanLength(xs, (i) => `xs[${i}]`);
  const [body] = subgraphs;
  checkParams('scan', 'the body', body, [...carry, ...xs.map(rowType), ...inputs.slice(numCarry + numXs)], 'the carry, one row of each x, the constants');
  if (body.outputs.length < numCarry) throw new FlowgradError(`scan: the body returns ${body.outputs.length} values, fewer than the carry's ${numCarry}`);
  const results = body.outputs.map((v) => v.type);
  checkResults('scan', "the body's first results", results.slice(0, numCarry), carry, 'the carry');
  return [...typesOf(carry), ...results.slice(numCarry).map((y) => ({ shape: [length, ...y.shape], dtype: y.dtype }))];
}

defineGraphOp({ name: 'scan', infer: inferScan });
registerNodeVerifier('scan', (node) => checkSubgraphCount('scan', node.subgraphs, 1, 'the body'));

/** Step t of a scan of `length`, in the order it runs. */
export const stepIndex = (k: number, length: number, reverse: boolean): number => (reverse ? length - 1 - k : k);

// ---- the executor's runner: rows as views, ys stacked by the concat kernel ----

const rowOf = (x: Tensor, t: number): Tensor => makeView(x, x.shape.slice(1), x.strides.slice(1), x.offset + t * x.strides[0]);

function stackRows(rows: readonly Tensor[]): Tensor {
  const schema = schemaOf('concat')!;
  const parts = rows.map((r) => makeView(r, [1, ...r.shape], [0, ...r.strides]));
  return runKernel(schema, parts, { dim: 0 }, schema.infer(parts, { dim: 0 }))[0];
}

/** A type's shape with its symbolic dims sized from the node's inputs (for the ys of an empty scan). */
function concreteShape(shape: SymShape, node: Node, inputs: readonly Tensor[]): number[] {
  const sizes = new Map<string, number>();
  node.inputs.forEach((v, i) => v.type.shape.forEach((d, k) => typeof d === 'string' && sizes.set(d, inputs[i].shape[k])));
  return shape.map((d) => {
    const size = typeof d === 'number' ? d : sizes.get(d);
    if (size === undefined) throw new FlowgradError(`scan: an empty scan's ys have symbolic dim '${d}', which no input of the node sizes`);
    return size;
  });
}

registerNodeRunner('scan', (executor, node, inputs) => {
  const { numCarry, numXs, reverse } = scanAttrs(node.attrs);
  const [body] = node.subgraphs;
  const xs = inputs.slice(numCarry, numCarry + numXs);
  const consts = inputs.slice(numCarry + numXs);
  const length = xs[0].shape[0];
  const rows: Tensor[][] = body.outputs.slice(numCarry).map(() => new Array<Tensor>(length));
  let carry = inputs.slice(0, numCarry);
  for (let k = 0; k < length; k++) {
    const t = stepIndex(k, length, reverse);
    const out = executor.runSubgraph(body, [...carry, ...xs.map((x) => rowOf(x, t)), ...consts]);
    carry = out.slice(0, numCarry);
    out.slice(numCarry).forEach((y, j) => (rows[j][t] = y));
  }
  const ys = rows.map((r, j) => {
    if (length > 0) return stackRows(r);
    const { shape, dtype } = node.outputs[numCarry + j].type;
    return zeros(concreteShape(shape, node, inputs), { dtype });
  });
  return [...carry, ...ys];
});

// ---- eager: through the dispatcher, so the tape records every step ----

/** One step of an eager scan: the carry and the xs rows in, the new carry and the y rows out. */
export type ScanStep = (carry: Tensor[], rows: Tensor[], t: number) => { carry: Tensor[]; ys: Tensor[] };

/**
 * Runs a scan eagerly with ops (slice, stack) the tape records. `emptyYs` gives the ys' row
 * types when there is no step to learn them from.
 */
export function scanEagerly(carry0: readonly Tensor[], xs: readonly Tensor[], reverse: boolean, step: ScanStep, emptyYs: () => readonly TensorType[]): Tensor[] {
  const length = xs[0].shape[0];
  const rows: Tensor[][] = [];
  let carry = [...carry0];
  for (let k = 0; k < length; k++) {
    const t = stepIndex(k, length, reverse);
    const out = step(carry, xs.map((x) => reshape(slice(x, 0, t, t + 1), x.shape.slice(1))), t);
    carry = out.carry;
    out.ys.forEach((y, j) => ((rows[j] ??= new Array<Tensor>(length))[t] = y));
  }
  const ys = length > 0 ? rows.map((r) => stack(r, 0)) : emptyYs().map((y) => zeros([0, ...(y.shape as number[])], { dtype: y.dtype }));
  return [...carry, ...ys];
}

/** A scan node applied eagerly: its body replayed step by step through `run`. */
export function scanNodeEagerly(node: GraphOpNode, inputs: readonly Tensor[], run: (g: Graph, ins: readonly Tensor[]) => Tensor[]): Tensor[] {
  const { numCarry, numXs, reverse } = scanAttrs(node.attrs);
  const [body] = node.subgraphs;
  const consts = inputs.slice(numCarry + numXs);
  const step: ScanStep = (carry, rows) => {
    const out = run(body, [...carry, ...rows, ...consts]);
    return { carry: out.slice(0, numCarry), ys: out.slice(numCarry) };
  };
  return scanEagerly(inputs.slice(0, numCarry), inputs.slice(numCarry, numCarry + numXs), reverse, step, () => body.outputs.slice(numCarry).map((v) => v.type));
}
