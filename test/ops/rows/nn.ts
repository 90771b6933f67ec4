/**
 * @file Op table rows: convolution and pooling. Each internal backward op (conv2dBackwardInput,
 * avgPool2dBackward, maxPool2dPick, …) also gets rows of its own, so its VJP is checked directly.
 */
import * as fg from '../../../src/index.js';
import { type Conv2dAttrs, conv2dBackwardInput, conv2dBackwardWeight } from '../../../src/ops/nn/conv2d.js';
import { type Pool2dAttrs, poolInternals } from '../../../src/ops/nn/pool.js';
import { randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });
/** 1×1×3×3 holding 1..9 row by row. */
const nine = () => f64([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
const w64 = (shape: number[]) => fg.ones(shape, { dtype: 'float64' });

// Stride 2 without padding leaves the last input row and column unread: their gradient is 0,
// and conv2dBackwardInput needs inputShape to know they exist.
const strided: Conv2dAttrs = { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 };
const everyOption: Conv2dAttrs = { stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 2 };
const poolStrided: Pool2dAttrs = { kernel: [3, 2], stride: [2, 1], padding: [1, 1] };

const convRows: OpRow[] = [
  { name: 'conv2d with bias', fn: (x, w, b) => fg.conv2d(x, w, b), inputs: () => [randomTensor([2, 2, 5, 5], 300), randomTensor([3, 2, 3, 3], 301), randomTensor([3], 302)], gradOrder: 2 },
  { name: 'conv2d stride 2, padding 1', fn: (x, w) => fg.conv2d(x, w, null, { stride: 2, padding: 1 }), inputs: () => [randomTensor([2, 2, 6, 5], 303), randomTensor([2, 2, 3, 2], 304)], gradOrder: 2 },
  { name: 'conv2d dilation 2', fn: (x, w) => fg.conv2d(x, w, undefined, { dilation: 2, padding: [1, 0] }), inputs: () => [randomTensor([1, 2, 6, 6], 305), randomTensor([2, 2, 2, 3], 306)], gradOrder: 2 },
  { name: 'conv2d groups 2', fn: (x, w, b) => fg.conv2d(x, w, b, { groups: 2, stride: [2, 1] }), inputs: () => [randomTensor([2, 4, 5, 5], 307), randomTensor([4, 2, 3, 3], 308), randomTensor([4], 309)], gradOrder: 2 },
  { name: 'conv2d depthwise, every option', fn: (x, w) => fg.conv2d(x, w, null, { stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 4 }), inputs: () => [randomTensor([2, 4, 6, 5], 310), randomTensor([4, 1, 2, 3], 311)], gradOrder: 2 },
  { name: 'conv2dBackwardInput', fn: (g, w) => conv2dBackwardInput(g, w, [2, 2, 6, 5], strided), inputs: () => [randomTensor([2, 3, 2, 2], 312), randomTensor([3, 2, 3, 2], 313)], gradOrder: 2 },
  { name: 'conv2dBackwardInput every option', fn: (g, w) => conv2dBackwardInput(g, w, [1, 4, 5, 4], everyOption), inputs: () => [randomTensor([1, 2, 3, 6], 314), randomTensor([2, 2, 2, 3], 315)], gradOrder: 2 },
  { name: 'conv2dBackwardWeight', fn: (x, g) => conv2dBackwardWeight(x, g, [3, 2, 3, 2], strided), inputs: () => [randomTensor([2, 2, 6, 5], 316), randomTensor([2, 3, 2, 2], 317)], gradOrder: 2 },
  { name: 'conv2dBackwardWeight every option', fn: (x, g) => conv2dBackwardWeight(x, g, [2, 2, 2, 3], everyOption), inputs: () => [randomTensor([1, 4, 5, 4], 318), randomTensor([1, 2, 3, 6], 319)], gradOrder: 2 },
  {
    name: 'conv2d values',
    fn: (x) => [
      fg.conv2d(x, f64([[[[1, 0], [0, 1]]]])),
      fg.conv2d(x, f64([[[[1, 0], [0, 1]]]]), f64([10]), { padding: 1 }),
      fg.conv2d(x, w64([1, 1, 2, 2]), null, { stride: 2, padding: 1 }),
      fg.conv2d(x, w64([1, 1, 2, 2]), null, { dilation: 2 }),
      fg.conv2d(x, f64([[[[1]]], [[[-1]]]])),
    ],
    inputs: () => [nine()],
    gradOrder: 0,
    expected: [
      [[[[6, 8], [12, 14]]]],
      [[[[11, 12, 13, 10], [14, 16, 18, 13], [17, 22, 24, 16], [10, 17, 18, 19]]]],
      [[[[1, 5], [11, 28]]]],
      [[[[20]]]],
      [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]],
    ],
  },
  {
    name: 'conv2d grouped values',
    // Channel 0 is scaled by 2, channel 1 by −1: groups = C makes each output see one input channel.
    fn: (x) => fg.conv2d(x, f64([[[[2]]], [[[-1]]]]), null, { groups: 2 }),
    inputs: () => [f64([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]])],
    gradOrder: 0,
    expected: [[[[2, 4], [6, 8]], [[-5, -6], [-7, -8]]]],
  },
  {
    name: 'conv2d gradient values',
    // Σ conv2d(x, ones 2×2) counts how many windows read each element: the corners once, the centre 4 times.
    fn: (x) => fg.autograd.grad(fg.sum(fg.conv2d(x, w64([1, 1, 2, 2]))), x),
    inputs: () => [nine().requiresGrad_()],
    gradOrder: 0,
    expected: [[[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]],
  },
  {
    name: 'conv2d bad inputs',
    fn: (x) => x,
    inputs: () => [nine()],
    gradOrder: 0,
    bad: [
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3], { dtype: 'int32' }), fg.ones([1, 1, 2, 2])), message: /conv2d: argument 'input' expected dtype float32 or float64, got int32/ },
      { call: () => fg.conv2d(nine(), fg.ones([1, 1, 2, 2])), message: /conv2d: argument 'weight' expected dtype float64 \(the dtype of input\), got float32/ },
      { call: () => fg.conv2d(fg.ones([1, 3, 3]), fg.ones([1, 1, 2, 2])), message: /conv2d: argument 'input' expected shape \[N, C, H, W\] \(4-d\), got \[1, 3, 3\]/ },
      { call: () => fg.conv2d(fg.ones([1, 3, 5, 5]), fg.ones([2, 2, 3, 3])), message: /conv2d: argument 'weight' expected shape \[O, 3\/groups=3, kH, kW\] .*got \[2, 2, 3, 3\]/ },
      { call: () => fg.conv2d(fg.ones([1, 3, 5, 5]), fg.ones([2, 1, 3, 3]), null, { groups: 2 }), message: /conv2d: argument 'input' expected shape \[N, C, H, W\] with C divisible by groups=2, got \[1, 3, 5, 5\]/ },
      { call: () => fg.conv2d(fg.ones([1, 4, 5, 5]), fg.ones([3, 2, 3, 3]), null, { groups: 2 }), message: /conv2d: argument 'weight' expected shape \[O, 4\/groups=2, kH, kW\] \(O divisible by groups=2/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([1, 1, 4, 2]), null, { padding: [0, 1] }), message: /conv2d: argument 'input' expected shape .*H \+ 2·padding \(0\) ≥ the kernel height \(4\), got \[1, 1, 3, 3\]/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 5, 5]), fg.ones([1, 1, 3, 3]), null, { dilation: [1, 3] }), message: /W \+ 2·padding \(0\) ≥ the dilated kernel width \(7\)/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([1, 1, 2, 2]), null, { stride: 1.5 }), message: /conv2d: argument 'stride' expected a positive integer or a pair \[h, w\] of them, got 1.5/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([1, 1, 2, 2]), null, { stride: [1, 0] }), message: /conv2d: argument 'stride' expected a positive integer .*got \[1, 0\]/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([1, 1, 2, 2]), null, { padding: -1 }), message: /conv2d: argument 'padding' expected a non-negative integer or a pair/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([1, 1, 2, 2]), null, { dilation: [1, 2, 3] as never }), message: /conv2d: argument 'dilation' expected .*got \[1, 2, 3\]/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([1, 1, 2, 2]), null, { groups: 0 }), message: /conv2d: argument 'groups' expected a positive integer, got 0/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([2, 1, 2, 2]), fg.ones([3])), message: /conv2d: argument 'bias' expected shape \[2\] \(one per output channel\), got \[3\]/ },
      { call: () => fg.conv2d(fg.ones([1, 1, 3, 3]), fg.ones([2, 1, 2, 2]), fg.ones([2], { dtype: 'float64' })), message: /conv2d: argument 'bias' expected dtype float32 \(the dtype of input\), got float64/ },
      { call: () => fg.conv2d([1, 2] as never, fg.ones([1, 1, 2, 2])), message: /conv2d: argument 'input' expected a Tensor, got an array of length 2/ },
      // The backward ops check their attributes too (they may come from an untrusted graph file).
      { call: () => conv2dBackwardInput(fg.ones([1, 1, 2, 2]), fg.ones([1, 1, 2, 2]), [1, 1, 3], strided), message: /conv2dBackwardInput: argument 'inputShape' expected a 4-d shape/ },
      { call: () => conv2dBackwardInput(fg.ones([1, 1, 2, 2]), fg.ones([1, 1, 2, 2]), [1, 1, 7, 7], strided), message: /conv2dBackwardInput: argument 'grad' expected shape \[1, 1, 3, 3\] \(the conv2d output for inputShape and weight\), got \[1, 1, 2, 2\]/ },
      { call: () => conv2dBackwardWeight(fg.ones([1, 1, 5, 5]), fg.ones([1, 1, 2, 2]), [1, 1, 3, 3], { ...strided, groups: 1.5 }), message: /conv2dBackwardWeight: argument 'groups' expected a positive integer, got 1.5/ },
    ],
  },
];

const poolRows: OpRow[] = [
  { name: 'maxPool2d 2×2', fn: (x) => fg.maxPool2d(x, 2), inputs: () => [randomTensor([2, 2, 5, 6], 320)], gradOrder: 2 },
  { name: 'maxPool2d stride, padding', fn: (x) => fg.maxPool2d(x, [3, 2], { stride: [2, 1], padding: 1 }), inputs: () => [randomTensor([2, 2, 5, 6], 321)], gradOrder: 2 },
  { name: 'maxPool2dBackward', fn: (x, g) => poolInternals.maxPoolBackward(x, g, poolStrided), inputs: () => [randomTensor([2, 2, 5, 6], 322), randomTensor([2, 2, 3, 7], 323)], gradOrder: 2 },
  { name: 'maxPool2dPick', fn: (x, t) => poolInternals.maxPoolPick(x, t, poolStrided), inputs: () => [randomTensor([2, 2, 5, 6], 324), randomTensor([2, 2, 5, 6], 325)], gradOrder: 2 },
  { name: 'avgPool2d 2×2', fn: (x) => fg.avgPool2d(x, 2), inputs: () => [randomTensor([2, 2, 5, 6], 326)], gradOrder: 2 },
  { name: 'avgPool2d stride, padding', fn: (x) => fg.avgPool2d(x, [3, 2], { stride: [2, 1], padding: 1 }), inputs: () => [randomTensor([2, 2, 5, 6], 327)], gradOrder: 2 },
  { name: 'avgPool2dBackward', fn: (g) => poolInternals.avgPoolBackward(g, [2, 2, 5, 6], poolStrided), inputs: () => [randomTensor([2, 2, 3, 7], 328)], gradOrder: 2 },
  {
    name: 'maxPool2d values',
    fn: (x) => [fg.maxPool2d(x, 2, { stride: 1 }), fg.maxPool2d(x, 2), fg.maxPool2d(x, 2, { padding: 1 }), fg.maxPool2d(fg.neg(x), 2, { padding: 1 })],
    inputs: () => [nine()],
    gradOrder: 0,
    // The last one shows the padding is −∞, not 0: every window's maximum is a negative input.
    expected: [[[[[5, 6], [8, 9]]]], [[[[5]]]], [[[[1, 3], [7, 9]]]], [[[[-1, -2], [-4, -5]]]]],
  },
  {
    name: 'maxPool2d gradient goes to the first maximum',
    fn: (x) => fg.autograd.grad(fg.sum(fg.maxPool2d(x, 2, { stride: 1 })), x),
    inputs: () => [f64([[[[1, 3, 3], [3, 3, 3], [0, 0, 0]]]]).requiresGrad_()],
    gradOrder: 0,
    expected: [[[[[0, 2, 0], [1, 1, 0], [0, 0, 0]]]]],
  },
  {
    name: 'avgPool2d values',
    fn: (x) => [fg.avgPool2d(x, 2, { stride: 1 }), fg.avgPool2d(x, 2, { padding: 1 }), fg.avgPool2d(x, [1, 3])],
    inputs: () => [nine()],
    gradOrder: 0,
    // Padding counts in the divisor: the corner window holds only x[0, 0] = 1 and gives 1/4.
    expected: [[[[[3, 4], [6, 7]]]], [[[[0.25, 1.25], [2.75, 7]]]], [[[[2], [5], [8]]]]],
  },
  {
    name: 'pooling bad inputs',
    fn: (x) => x,
    inputs: () => [nine()],
    gradOrder: 0,
    bad: [
      { call: () => fg.maxPool2d(fg.ones([1, 1, 4, 4], { dtype: 'int32' }), 2), message: /maxPool2d: argument 'input' expected dtype float32 or float64, got int32/ },
      { call: () => fg.avgPool2d(fg.ones([1, 1, 4, 4], { dtype: 'bool' }), 2), message: /avgPool2d: argument 'input' expected dtype float32 or float64, got bool/ },
      { call: () => fg.maxPool2d(fg.ones([4, 4]), 2), message: /maxPool2d: argument 'input' expected shape \[N, C, H, W\] \(4-d\), got \[4, 4\]/ },
      { call: () => fg.avgPool2d(fg.ones([1, 1, 1, 4, 4]), 2), message: /avgPool2d: argument 'input' expected shape \[N, C, H, W\] \(4-d\), got \[1, 1, 1, 4, 4\]/ },
      { call: () => fg.maxPool2d(fg.ones([1, 1, 4, 4]), 2, { padding: 2 }), message: /maxPool2d: argument 'padding' expected at most half the kernel size \[2, 2\], got \[2, 2\]/ },
      { call: () => fg.avgPool2d(fg.ones([1, 1, 4, 4]), [3, 1], { padding: [1, 1] }), message: /avgPool2d: argument 'padding' expected at most half the kernel size \[3, 1\], got \[1, 1\]/ },
      { call: () => fg.maxPool2d(fg.ones([1, 1, 4, 4]), 0), message: /maxPool2d: argument 'kernel' expected a positive integer or a pair \[h, w\] of them, got 0/ },
      { call: () => fg.maxPool2d(fg.ones([1, 1, 4, 4]), undefined as never), message: /maxPool2d: argument 'kernel' expected a positive integer .*got undefined/ },
      { call: () => fg.avgPool2d(fg.ones([1, 1, 4, 4]), 2, { stride: 0.5 }), message: /avgPool2d: argument 'stride' expected a positive integer or a pair \[h, w\] of them, got 0.5/ },
      { call: () => fg.maxPool2d(fg.ones([1, 1, 2, 5]), 3), message: /maxPool2d: argument 'input' expected shape \[N, C, H, W\] with H \+ 2·padding \(0\) ≥ the kernel height \(3\), got \[1, 1, 2, 5\]/ },
      { call: () => fg.avgPool2d('x' as never, 2), message: /avgPool2d: argument 'input' expected a Tensor, got "x"/ },
      { call: () => poolInternals.maxPoolBackward(fg.ones([1, 1, 4, 4]), fg.ones([1, 1, 3, 3]), { kernel: [2, 2], stride: [2, 2], padding: [0, 0] }), message: /maxPool2dBackward: argument 'grad' expected shape \[1, 1, 2, 2\] \(the maxPool2d output for input\), got \[1, 1, 3, 3\]/ },
      { call: () => poolInternals.avgPoolBackward(fg.ones([1, 1, 2, 2]), [1, 1, 4, 4], { kernel: [2, 2], stride: [0, 2], padding: [0, 0] }), message: /avgPool2dBackward: argument 'stride' expected a pair \[h, w\] of positive integers, got \[0, 2\]/ },
    ],
  },
];

export const nnRows: OpRow[] = [...convRows, ...poolRows];
