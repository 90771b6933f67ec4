/**
 * @file The VJP of scan: a reverse scan over the carries saved per step.
 *
 * 1. A forward scan recomputes the carry entering each step and stacks them (only carries
 *    are kept, not every intermediate: the body is rematerialised per step, as under
 *    jax.checkpoint).
 * 2. A scan in the opposite direction walks those carries with the body's VJP: its carry is
 *    the cotangent of the scan's carry plus the gradients of the constants summed so far; its
 *    xs are the saved carries, the xs and the ys' cotangents; its ys are the xs' gradients.
 */
import type { GraphOpNode, GraphOpVjpContext } from '../autodiff/graphOpRules.js';
import { add, mul } from '../ops/elementwise/binary.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkRecomputable, closeBodies, traceBody } from './bodyTrace.js';
import { bodyVjp, runBody } from './bodyReplay.js';
import { rowType, scanAttrs } from './scanOp.js';

type ApplyScan = (node: GraphOpNode, inputs: readonly Tensor[]) => Tensor[];

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** The carry entering each step, stacked along dim 0 (empty when the scan has no carry). */
function savedCarries(node: GraphOpNode, inputs: readonly Tensor[], applyScan: ApplyScan): Tensor[] {
  const { numCarry, numXs } = scanAttrs(node.attrs);
  if (numCarry === 0) return [];
  const [body] = node.subgraphs;
  const argTypes = [...inputs.slice(0, numCarry), ...inputs.slice(numCarry, numCarry + numXs).map(rowType), ...inputs.slice(numCarry + numXs)];
  const traced = traceBody('scan', 'scan_carries', 'the carry-saving body', argTypes, (args) => [...runBody(body, args).slice(0, numCarry), ...args.slice(0, numCarry)]);
  const { graphs, captures } = closeBodies([traced]);
  return applyScan({ attrs: node.attrs, subgraphs: graphs }, [...inputs, ...captures]).slice(numCarry);
}

export function scanVjp(node: GraphOpNode, { inputs, needsGrad }: GraphOpVjpContext, grads: readonly Tensor[], applyScan: ApplyScan): (Tensor | null)[] {
  const { numCarry: nc, numXs: nx, reverse } = scanAttrs(node.attrs);
  const [body] = node.subgraphs;
  const nk = inputs.length - nc - nx;
  const wanted = (i: number) => isFloating(inputs[i].dtype) && (needsGrad?.[i] ?? true);
  const result: (Tensor | null)[] = inputs.map(() => null);
  // Every floating carry threads a cotangent, whether or not its initial value needs one.
  const floatCarry = range(nc).filter((i) => isFloating(inputs[i].dtype));
  const floatYs = range(body.outputs.length - nc).filter((j) => isFloating(body.outputs[nc + j].type.dtype));
  const wantXs = range(nx).filter((i) => wanted(nc + i));
  const wantConsts = range(nk).filter((i) => wanted(nc + nx + i));
  if (!floatCarry.some(wanted) && wantXs.length === 0 && wantConsts.length === 0) return result;
  checkRecomputable('scan', node.subgraphs);

  const carries = savedCarries(node, inputs, applyScan);
  const xs = inputs.slice(nc, nc + nx);
  const consts = inputs.slice(nc + nx);
  const carryCts = floatCarry.map((i) => grads[i]);
  const sums = wantConsts.map((i) => mul(consts[i], 0));
  const yCts = floatYs.map((j) => grads[nc + j]);
  const [a, b, c, d, e] = [carryCts.length, sums.length, nc, nx, yCts.length];
  const argTypes = [...carryCts, ...sums, ...inputs.slice(0, nc), ...xs.map(rowType), ...yCts.map(rowType), ...consts];
  const outIdx = [...floatCarry, ...floatYs.map((j) => nc + j)];
  const wrt = [...floatCarry, ...wantXs.map((i) => nc + i), ...wantConsts.map((i) => nc + nx + i)];
  const traced = traceBody('scan', 'scan_vjp', 'the VJP body', argTypes, (args) => {
    let at = 0;
    const take = (n: number) => args.slice(at, (at += n));
    const [ct, sum, carry, row, yCt, k] = [take(a), take(b), take(c), take(d), take(e), take(nk)];
    const g = bodyVjp(body, [...carry, ...row, ...k], [...ct, ...yCt], outIdx, wrt);
    const [gCarry, gXs, gConsts] = [g.slice(0, a), g.slice(a, a + wantXs.length), g.slice(a + wantXs.length)];
    return [...gCarry, ...sum.map((s, m) => add(s, gConsts[m])), ...gXs];
  });
  const { graphs, captures } = closeBodies([traced]);
  const attrs = { numCarry: a + b, numXs: c + d + e, reverse: !reverse };
  const out = applyScan({ attrs, subgraphs: graphs }, [...carryCts, ...sums, ...carries, ...xs, ...yCts, ...consts, ...captures]);
  floatCarry.forEach((i, m) => wanted(i) && (result[i] = out[m]));
  wantConsts.forEach((i, m) => (result[nc + nx + i] = out[a + m]));
  wantXs.forEach((i, m) => (result[nc + i] = out[a + b + m]));
  return result;
}
