/**
 * @file 2-d max and average pooling (NCHW, PyTorch semantics), with backward ops whose own
 * VJPs close the set, so second-order gradients exist:
 * - avgPool2d is linear; its VJP avgPool2dBackward is its transpose, whose VJP is avgPool2d.
 * - maxPool2d picks each window's argmax. Its VJP maxPool2dBackward(x, g) scatters g to the
 *   argmax positions; maxPool2dPick(x, t) gathers t there (the JVP). Those two are each
 *   other's transpose in their second input and locally constant in x (argmax does not move
 *   under a small change of x without ties), so their gradient w.r.t. x is zero.
 */
import {
  type Pool2dAttrs,
  type Pool2dBackwardAttrs,
  avgPool2dBackwardKernel,
  avgPool2dKernel,
  maxPool2dBackwardKernel,
  maxPool2dKernel,
  maxPool2dPickKernel,
} from '../../kernels/reference/pool.js';
import { registerKernel } from '../../kernels/registry.js';
import { ValueError, given } from '../../errors.js';
import { type Dim, type SymShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { check4d, checkFloat, checkPairAttr, checkSameDType, checkShapeAttr, checkShapeIs, pairArg, slidingOutDim } from './convArgs.js';

export type { Pool2dAttrs, Pool2dBackwardAttrs };

declare module '../schema.js' {
  interface OpAttrMap {
    avgPool2d: Pool2dAttrs;
    avgPool2dBackward: Pool2dBackwardAttrs;
    maxPool2d: Pool2dAttrs;
    maxPool2dBackward: Pool2dAttrs;
    maxPool2dPick: Pool2dAttrs;
  }
}

/** The pooled shape [N, C, OH, OW] of an input shape, after checking the attributes. */
function poolOutShape(op: string, x: SymShape, attrs: Pool2dAttrs, inputArg = 'input'): Dim[] {
  if (typeof attrs !== 'object' || attrs === null) throw new ValueError(op, 'attrs', 'an object { kernel, stride, padding }', attrs);
  const [kh, kw] = checkPairAttr(op, 'kernel', attrs.kernel, 1);
  const [sh, sw] = checkPairAttr(op, 'stride', attrs.stride, 1);
  const [ph, pw] = checkPairAttr(op, 'padding', attrs.padding, 0);
  // PyTorch's rule: a window that could lie wholly in the padding would pool nothing real.
  if (2 * ph > kh || 2 * pw > kw) {
    throw new ValueError(op, 'padding', `at most half the kernel size [${kh}, ${kw}]`, given(`[${ph}, ${pw}]`));
  }
  check4d(op, inputArg, x, '[N, C, H, W]');
  const oh = slidingOutDim(op, inputArg, x, 2, { kernel: kh, stride: sh, padding: ph, dilation: 1 });
  const ow = slidingOutDim(op, inputArg, x, 3, { kernel: kw, stride: sw, padding: pw, dilation: 1 });
  return [x[0], x[1], oh, ow];
}

/** Only the three canonical pooling attributes (drops avgPool2dBackward's inputShape). */
const poolAttrs = ({ kernel, stride, padding }: Pool2dAttrs): Pool2dAttrs => ({ kernel, stride, padding });

const avgPoolBackward = (g: Tensor, inputShape: SymShape, attrs: Pool2dAttrs): Tensor =>
  apply1('avgPool2dBackward', [g], { ...poolAttrs(attrs), inputShape: [...inputShape] });
const maxPoolBackward = (x: Tensor, g: Tensor, attrs: Pool2dAttrs): Tensor => apply1('maxPool2dBackward', [x, g], poolAttrs(attrs));
const maxPoolPick = (x: Tensor, t: Tensor, attrs: Pool2dAttrs): Tensor => apply1('maxPool2dPick', [x, t], poolAttrs(attrs));

defineOp({
  name: 'avgPool2d',
  inputs: ['input'],
  infer: ([x], attrs) => {
    checkFloat('avgPool2d', 'input', x);
    return [{ shape: poolOutShape('avgPool2d', x.shape, attrs), dtype: x.dtype }];
  },
  vjp: ({ inputs: [x], attrs }, [g]) => [avgPoolBackward(g, x.shape, attrs)],
  jvp: ({ attrs }, [t]) => [apply1('avgPool2d', [t], poolAttrs(attrs))],
  fusion: 'complexOutFusable',
  flags: {},
});

defineOp({
  name: 'avgPool2dBackward',
  inputs: ['grad'],
  infer: ([g], attrs) => {
    const op = 'avgPool2dBackward';
    checkFloat(op, 'grad', g);
    const inputShape = checkShapeAttr(op, 'inputShape', attrs?.inputShape);
    checkShapeIs(op, 'grad', g, poolOutShape(op, inputShape, attrs, 'inputShape'), 'the avgPool2d output for inputShape');
    return [{ shape: [...inputShape], dtype: g.dtype }];
  },
  vjp: ({ attrs }, [u]) => [apply1('avgPool2d', [u], poolAttrs(attrs))],
  jvp: ({ attrs }, [t]) => [avgPoolBackward(t, attrs.inputShape, attrs)],
  fusion: 'complexOutFusable',
  flags: {},
});

defineOp({
  name: 'maxPool2d',
  inputs: ['input'],
  infer: ([x], attrs) => {
    checkFloat('maxPool2d', 'input', x);
    return [{ shape: poolOutShape('maxPool2d', x.shape, attrs), dtype: x.dtype }];
  },
  vjp: ({ inputs: [x], attrs }, [g]) => [maxPoolBackward(x, g, attrs)],
  jvp: ({ inputs: [x], attrs }, [t]) => [maxPoolPick(x, t, attrs)],
  fusion: 'complexOutFusable',
  flags: {},
});

defineOp({
  name: 'maxPool2dBackward',
  inputs: ['input', 'grad'],
  infer: ([x, g], attrs) => {
    const op = 'maxPool2dBackward';
    checkFloat(op, 'input', x);
    checkSameDType(op, 'grad', g, x, 'input');
    checkShapeIs(op, 'grad', g, poolOutShape(op, x.shape, attrs), 'the maxPool2d output for input');
    return [{ shape: x.shape, dtype: x.dtype }];
  },
  vjp: ({ inputs: [x], attrs }, [u]) => [null, maxPoolPick(x, u, attrs)],
  jvp: ({ inputs: [x], attrs }, [, tg]) => [maxPoolBackward(x, tg, attrs)],
  fusion: 'complexOutFusable',
  flags: {},
});

defineOp({
  name: 'maxPool2dPick',
  inputs: ['input', 'source'],
  infer: ([x, t], attrs) => {
    const op = 'maxPool2dPick';
    checkFloat(op, 'input', x);
    checkSameDType(op, 'source', t, x, 'input');
    checkShapeIs(op, 'source', t, x.shape, 'the shape of input');
    return [{ shape: poolOutShape(op, x.shape, attrs), dtype: x.dtype }];
  },
  vjp: ({ inputs: [x], attrs }, [u]) => [null, maxPoolBackward(x, u, attrs)],
  jvp: ({ inputs: [x], attrs }, [, tt]) => [maxPoolPick(x, tt, attrs)],
  fusion: 'complexOutFusable',
  flags: {},
});

registerKernel('avgPool2d', { backend: 'reference', kernel: avgPool2dKernel, contiguousInputs: true });
registerKernel('avgPool2dBackward', { backend: 'reference', kernel: avgPool2dBackwardKernel, contiguousInputs: true });
registerKernel('maxPool2d', { backend: 'reference', kernel: maxPool2dKernel, contiguousInputs: true });
registerKernel('maxPool2dBackward', { backend: 'reference', kernel: maxPool2dBackwardKernel, contiguousInputs: true });
registerKernel('maxPool2dPick', { backend: 'reference', kernel: maxPool2dPickKernel, contiguousInputs: true });

/** Options of the pooling functions; each pair is [height, width], a number means the same for both. */
export interface Pool2dOptions {
  /** Window step; defaults to the kernel size. */
  stride?: number | readonly [number, number];
  /** Implicit padding on each side, at most half the kernel: −∞ for max, zeros for average pooling. */
  padding?: number | readonly [number, number];
}

/** User arguments `(kernel, { stride = kernel, padding = 0 })` to canonical attrs. */
function poolArgs(op: string, kernel: unknown, opts: Pool2dOptions | undefined): Pool2dAttrs {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new ValueError(op, 'options', 'an object { stride, padding }', opts);
  if (kernel === undefined || kernel === null) throw new ValueError(op, 'kernel', 'a positive integer or a pair [h, w] of them', kernel);
  const k = pairArg(op, 'kernel', kernel, 1, [1, 1]);
  return { kernel: k, stride: pairArg(op, 'stride', opts?.stride, 1, k), padding: pairArg(op, 'padding', opts?.padding, 0, [0, 0]) };
}

/**
 * Maximum over each kernel window of x [N, C, H, W] (padding counts as −∞). Its gradient goes
 * to the first maximum of each window.
 *
 *     fg.maxPool2d(x, 2)                       // halves H and W
 *     fg.maxPool2d(x, 3, { stride: 2, padding: 1 })
 */
export function maxPool2d(x: Tensor, kernel: number | readonly [number, number], opts?: Pool2dOptions): Tensor {
  checkTensor('maxPool2d', 'input', x);
  return apply1('maxPool2d', [x], poolArgs('maxPool2d', kernel, opts));
}

/**
 * Mean over each kernel window of x [N, C, H, W]; padded zeros count in the divisor
 * (PyTorch's count_include_pad = true), so every window divides by kH·kW.
 */
export function avgPool2d(x: Tensor, kernel: number | readonly [number, number], opts?: Pool2dOptions): Tensor {
  checkTensor('avgPool2d', 'input', x);
  return apply1('avgPool2d', [x], poolArgs('avgPool2d', kernel, opts));
}

/** The internal backward ops, for the op table tests (not part of the public API). */
export const poolInternals = { avgPoolBackward, maxPoolBackward, maxPoolPick };
