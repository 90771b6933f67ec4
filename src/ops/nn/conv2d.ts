/**
 * @file 2-d convolution (NCHW, PyTorch's conv2d) as three ops closed under differentiation:
 * conv2d(x, w), conv2dBackwardInput(g, w) = ∂/∂x and conv2dBackwardWeight(x, g) = ∂/∂w. Each
 * is bilinear, and each VJP is written with the other two, so gradients of any order exist.
 */
import {
  type Conv2dAttrs,
  type Conv2dBackwardInputAttrs,
  type Conv2dBackwardWeightAttrs,
  conv2dBackwardInputKernel,
  conv2dBackwardWeightKernel,
  conv2dKernel,
} from '../../kernels/reference/conv2d.js';
import { registerKernel } from '../../kernels/registry.js';
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { type Dim, type SymShape, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp, needsGrad } from '../schema.js';
import { add } from '../elementwise/binary.js';
import { reshape } from '../movement/reshape.js';
import { check4d, checkFloat, checkPairAttr, checkSameDType, checkShapeAttr, checkShapeIs, pairArg, slidingOutDim } from './convArgs.js';

export type { Conv2dAttrs, Conv2dBackwardInputAttrs, Conv2dBackwardWeightAttrs };

declare module '../schema.js' {
  interface OpAttrMap {
    conv2d: Conv2dAttrs;
    conv2dBackwardInput: Conv2dBackwardInputAttrs;
    conv2dBackwardWeight: Conv2dBackwardWeightAttrs;
  }
}

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

function checkConvAttrs(op: string, attrs: Conv2dAttrs): void {
  if (typeof attrs !== 'object' || attrs === null) throw new ValueError(op, 'attrs', 'an object { stride, padding, dilation, groups }', attrs);
  checkPairAttr(op, 'stride', attrs.stride, 1);
  checkPairAttr(op, 'padding', attrs.padding, 0);
  checkPairAttr(op, 'dilation', attrs.dilation, 1);
  if (!isPositiveInt(attrs.groups)) throw new ValueError(op, 'groups', 'a positive integer', attrs.groups);
}

/**
 * The conv2d output shape [N, O, OH, OW] for an input and a weight shape, after checking
 * the attributes and that the shapes fit. `names` say which arguments the shapes came
 * from (the backward ops take one of them as an attribute).
 */
function convOutShape(op: string, x: SymShape, w: SymShape, attrs: Conv2dAttrs, names = { input: 'input', weight: 'weight' }): Dim[] {
  checkConvAttrs(op, attrs);
  check4d(op, names.input, x, '[N, C, H, W]');
  check4d(op, names.weight, w, '[O, C/groups, kH, kW]');
  const { groups } = attrs;
  const [n, c] = x;
  const [o, cg, kh, kw] = w;
  if (typeof c === 'number' && c % groups !== 0) {
    throw new ShapeError(op, names.input, `[N, C, H, W] with C divisible by groups=${groups}`, shapeStr(x));
  }
  const cgText = typeof c === 'number' ? `${c}/groups=${c / groups}` : 'C/groups';
  const kernelOk = typeof kh === 'number' && typeof kw === 'number' && kh >= 1 && kw >= 1;
  if ((typeof c === 'number' && cg !== c / groups) || (typeof o === 'number' && o % groups !== 0) || !kernelOk) {
    throw new ShapeError(op, names.weight, `[O, ${cgText}, kH, kW] (O divisible by groups=${groups}, kH, kW ≥ 1)`, shapeStr(w));
  }
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  const [dh, dw] = attrs.dilation;
  const oh = slidingOutDim(op, names.input, x, 2, { kernel: kh as number, stride: sh, padding: ph, dilation: dh });
  const ow = slidingOutDim(op, names.input, x, 3, { kernel: kw as number, stride: sw, padding: pw, dilation: dw });
  return [n, o, oh, ow];
}

/** Only the four canonical conv attributes (drops a backward op's shape attribute). */
const convAttrs = ({ stride, padding, dilation, groups }: Conv2dAttrs): Conv2dAttrs => ({ stride, padding, dilation, groups });

const conv = (x: Tensor, w: Tensor, attrs: Conv2dAttrs): Tensor => apply1('conv2d', [x, w], convAttrs(attrs));

/** ∂conv2d/∂x applied to the output gradient g: the transposed convolution of g with w, of shape `inputShape`. */
export function conv2dBackwardInput(g: Tensor, w: Tensor, inputShape: SymShape, attrs: Conv2dAttrs): Tensor {
  return apply1('conv2dBackwardInput', [g, w], { ...convAttrs(attrs), inputShape: [...inputShape] });
}

/** ∂conv2d/∂w applied to the output gradient g: the correlation of x with g, of shape `weightShape`. */
export function conv2dBackwardWeight(x: Tensor, g: Tensor, weightShape: SymShape, attrs: Conv2dAttrs): Tensor {
  return apply1('conv2dBackwardWeight', [x, g], { ...convAttrs(attrs), weightShape: [...weightShape] });
}

// With y = conv2d(x, w) and A(w) the linear map x ↦ y, the backward ops are
// conv2dBackwardInput(g, w) = A(w)ᵀ g and ⟨conv2dBackwardWeight(x, g), v⟩ = ⟨g, conv2d(x, v)⟩.
// Differentiating either pairing ⟨u, ·⟩ gives the other two ops, which is every VJP below.
defineOp({
  name: 'conv2d',
  inputs: ['input', 'weight'],
  infer: ([x, w], attrs) => {
    checkFloat('conv2d', 'input', x);
    checkSameDType('conv2d', 'weight', w, x, 'input');
    return [{ shape: convOutShape('conv2d', x.shape, w.shape, attrs), dtype: x.dtype }];
  },
  vjp: (ctx, [g]) => {
    const { inputs: [x, w], attrs } = ctx;
    // The image batch rarely needs a gradient: skip its (costly) transposed convolution.
    return [needsGrad(ctx, 0) ? conv2dBackwardInput(g, w, x.shape, attrs) : null, needsGrad(ctx, 1) ? conv2dBackwardWeight(x, g, w.shape, attrs) : null];
  },
  jvp: ({ inputs: [x, w], attrs }, [tx, tw]) => [add(conv(tx, w, attrs), conv(x, tw, attrs))],
  fusion: 'complexOutFusable',
  flags: {},
});

defineOp({
  name: 'conv2dBackwardInput',
  inputs: ['grad', 'weight'],
  infer: ([g, w], attrs) => {
    const op = 'conv2dBackwardInput';
    checkFloat(op, 'grad', g);
    checkSameDType(op, 'weight', w, g, 'grad');
    const inputShape = checkShapeAttr(op, 'inputShape', attrs?.inputShape);
    checkShapeIs(op, 'grad', g, convOutShape(op, inputShape, w.shape, attrs, { input: 'inputShape', weight: 'weight' }), 'the conv2d output for inputShape and weight');
    return [{ shape: [...inputShape], dtype: g.dtype }];
  },
  vjp: ({ inputs: [g, w], attrs }, [u]) => [conv(u, w, attrs), conv2dBackwardWeight(u, g, w.shape, attrs)],
  jvp: ({ inputs: [g, w], attrs }, [tg, tw]) => [add(conv2dBackwardInput(tg, w, attrs.inputShape, attrs), conv2dBackwardInput(g, tw, attrs.inputShape, attrs))],
  fusion: 'complexOutFusable',
  flags: {},
});

defineOp({
  name: 'conv2dBackwardWeight',
  inputs: ['input', 'grad'],
  infer: ([x, g], attrs) => {
    const op = 'conv2dBackwardWeight';
    checkFloat(op, 'input', x);
    checkSameDType(op, 'grad', g, x, 'input');
    const weightShape = checkShapeAttr(op, 'weightShape', attrs?.weightShape);
    checkShapeIs(op, 'grad', g, convOutShape(op, x.shape, weightShape, attrs, { input: 'input', weight: 'weightShape' }), 'the conv2d output for input and weightShape');
    return [{ shape: [...weightShape], dtype: x.dtype }];
  },
  vjp: ({ inputs: [x, g], attrs }, [u]) => [conv2dBackwardInput(g, u, x.shape, attrs), conv(x, u, attrs)],
  jvp: ({ inputs: [x, g], attrs }, [tx, tg]) => [add(conv2dBackwardWeight(tx, g, attrs.weightShape, attrs), conv2dBackwardWeight(x, tg, attrs.weightShape, attrs))],
  fusion: 'complexOutFusable',
  flags: {},
});

registerKernel('conv2d', { backend: 'reference', kernel: conv2dKernel, contiguousInputs: true });
registerKernel('conv2dBackwardInput', { backend: 'reference', kernel: conv2dBackwardInputKernel, contiguousInputs: true });
registerKernel('conv2dBackwardWeight', { backend: 'reference', kernel: conv2dBackwardWeightKernel, contiguousInputs: true });

/** Options of conv2d; each pair is [height, width], a number means the same for both. */
export interface Conv2dOptions {
  stride?: number | readonly [number, number];
  padding?: number | readonly [number, number];
  dilation?: number | readonly [number, number];
  groups?: number;
}

/**
 * 2-d convolution (cross-correlation, as in PyTorch) of x [N, C, H, W] with weights
 * w [O, C/groups, kH, kW], plus an optional bias [O]. Output [N, O, OH, OW] with
 * OH = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1 (likewise OW).
 *
 *     fg.conv2d(x, w, b, { stride: 2, padding: 1 })
 */
export function conv2d(x: Tensor, w: Tensor, b?: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  checkTensor('conv2d', 'input', x);
  checkTensor('conv2d', 'weight', w);
  if (b !== undefined && b !== null) checkTensor('conv2d', 'bias', b);
  if (typeof opts !== 'object' || opts === null) throw new ValueError('conv2d', 'options', 'an object { stride, padding, dilation, groups }', opts);
  const groups = opts.groups ?? 1;
  if (!isPositiveInt(groups)) throw new ValueError('conv2d', 'groups', 'a positive integer', groups);
  const y = apply1('conv2d', [x, w], {
    stride: pairArg('conv2d', 'stride', opts.stride, 1, [1, 1]),
    padding: pairArg('conv2d', 'padding', opts.padding, 0, [0, 0]),
    dilation: pairArg('conv2d', 'dilation', opts.dilation, 1, [1, 1]),
    groups,
  });
  if (b === undefined || b === null) return y;
  // The bias is a broadcast add rather than a conv2d input: that keeps the three conv ops
  // bilinear and closed under VJP, gives the bias its gradient from add (a sum over N, H, W),
  // and a fusion pass can still fold the add into the conv's output loop (complexOutFusable).
  const outChannels = w.shape[0];
  if (b.ndim !== 1 || b.shape[0] !== outChannels) throw new ShapeError('conv2d', 'bias', `[${outChannels}] (one per output channel)`, shapeStr(b.shape));
  if (b.dtype !== x.dtype) throw new DTypeError('conv2d', 'bias', `${x.dtype} (the dtype of input)`, b.dtype);
  return add(y, reshape(b, [1, outChannels, 1, 1]));
}
