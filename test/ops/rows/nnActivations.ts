/**
 * @file Op table rows: softmax, logSoftmax, crossEntropy (logSoftmax + nllLoss), batchNorm,
 * dropout, and the bad-input rows of rand/randn.
 */
import * as fg from '../../../src/index.js';
import { randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });
const labels = (data: number[]) => fg.tensor(data, { dtype: 'int32' });

const softmaxRows: OpRow[] = [
  { name: 'softmax last dim', fn: (x) => fg.softmax(x), inputs: () => [randomTensor([2, 3], 200)], gradOrder: 2 },
  { name: 'softmax dim 1 of 3', fn: (x) => fg.softmax(x, 1), inputs: () => [randomTensor([2, 3, 2], 201, -2, 2)], gradOrder: 2 },
  { name: 'softmax values', fn: (x) => [fg.softmax(x), fg.softmax(x, 0)], inputs: () => [f64([[0, Math.log(2)], [0, Math.log(2)]])], gradOrder: 0, expected: [[[1 / 3, 2 / 3], [1 / 3, 2 / 3]], [[0.5, 0.5], [0.5, 0.5]]] },
  { name: 'softmax 0-d', fn: (x) => fg.softmax(x), inputs: () => [f64(3)], gradOrder: 1, expected: 1 },
  { name: 'softmax int input', fn: (x) => fg.softmax(x), inputs: () => [fg.tensor([1, 1, 1, 1], { dtype: 'int32' })], gradOrder: 0, expected: [0.25, 0.25, 0.25, 0.25] },
  { name: 'logSoftmax last dim', fn: (x) => fg.logSoftmax(x), inputs: () => [randomTensor([3, 4], 202, -2, 2)], gradOrder: 2 },
  { name: 'logSoftmax dim 0', fn: (x) => fg.logSoftmax(x, 0), inputs: () => [randomTensor([3, 2], 203)], gradOrder: 2 },
  { name: 'logSoftmax values', fn: (x) => fg.logSoftmax(x), inputs: () => [f64([0, Math.log(2)])], gradOrder: 0, expected: [Math.log(1 / 3), Math.log(2 / 3)] },
  {
    name: 'softmax bad inputs',
    fn: (x) => fg.softmax(x),
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.softmax(fg.ones([2, 3]), 2), message: /softmax: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
      { call: () => fg.logSoftmax(fg.ones([2, 3]), 1.5), message: /logSoftmax: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 1.5/ },
      { call: () => fg.softmax([1, 2] as never), message: /softmax: argument 'self' expected a Tensor, got an array of length 2/ },
    ],
  },
];

// log(e¹ + e² + e³) − 3, and for label 0 of [0, 0]: log 2.
const CE_ONE = Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3;

const crossEntropyRows: OpRow[] = [
  { name: 'crossEntropy', fn: (x, y) => fg.crossEntropy(x, y), inputs: () => [randomTensor([3, 4], 210, -2, 2), labels([1, 0, 3])], gradOrder: 2 },
  { name: 'crossEntropy values', fn: (x, y) => fg.crossEntropy(x, y), inputs: () => [f64([[1, 2, 3]]), labels([2])], gradOrder: 0, expected: CE_ONE },
  { name: 'crossEntropy mean of rows', fn: (x, y) => fg.crossEntropy(x, y), inputs: () => [f64([[1, 2, 3], [0, 0, 5]]), labels([2, 1])], gradOrder: 0, expected: (CE_ONE + Math.log(2 + Math.exp(5))) / 2 },
  {
    name: 'crossEntropy bad inputs',
    fn: (x, y) => fg.crossEntropy(x, y),
    inputs: () => [f64([[1, 2]]), labels([0])],
    gradOrder: 0,
    bad: [
      { call: () => fg.crossEntropy(fg.ones([2, 3]), labels([0, 3])), message: /crossEntropy: argument 'labels' expected class indices in \[0, 3\) \(labels\[1\]\), got 3/ },
      { call: () => fg.crossEntropy(fg.ones([2, 3]), labels([-1, 0])), message: /crossEntropy: argument 'labels' expected class indices in \[0, 3\) \(labels\[0\]\), got -1/ },
      { call: () => fg.crossEntropy(fg.ones([2, 3]), fg.tensor([0, 1])), message: /crossEntropy: argument 'labels' expected dtype int32, got float32/ },
      { call: () => fg.crossEntropy(fg.ones([2, 3]), labels([0, 1, 2])), message: /crossEntropy: argument 'labels' expected shape \[2\] \(one label per row of logits\), got \[3\]/ },
      { call: () => fg.crossEntropy(fg.ones([3]), labels([0])), message: /crossEntropy: argument 'logits' expected shape \[N, C\] \(2-d\), got \[3\]/ },
      { call: () => fg.crossEntropy(fg.ones([1, 3], { dtype: 'int32' }), labels([0])), message: /crossEntropy: argument 'logits' expected dtype float32 or float64, got int32/ },
    ],
  },
];

const batchNormRows: OpRow[] = [
  {
    name: 'batchNorm training',
    fn: (x, w, b) => fg.batchNorm(x, null, null, w, b, true),
    inputs: () => [randomTensor([3, 2, 2], 220), randomTensor([2], 221, 0.5, 1.5), randomTensor([2], 222)],
    gradOrder: 2,
  },
  {
    name: 'batchNorm training, running stats, no affine',
    // Fresh running stats per call: gradcheck calls fn many times, and training output ignores them.
    fn: (x) => fg.batchNorm(x, fg.zeros([3]), fg.ones([3]), null, null, true, 0.1, 1e-3),
    inputs: () => [randomTensor([4, 3], 223)],
    gradOrder: 2,
  },
  {
    name: 'batchNorm eval',
    fn: (x, rm, rv, w, b) => fg.batchNorm(x, rm, rv, w, b),
    inputs: () => [randomTensor([2, 3, 2], 224), randomTensor([3], 225), randomTensor([3], 226, 0.5, 1.5), randomTensor([3], 227), randomTensor([3], 228)],
    gradOrder: 2,
  },
  {
    name: 'batchNorm training values',
    fn: (x) => fg.batchNorm(x, null, null, null, null, true, 0.1, 0),
    inputs: () => [f64([[1, 2], [3, 6]])],
    gradOrder: 0,
    expected: [[-1, -1], [1, 1]],
  },
  {
    name: 'batchNorm eval values',
    // (x − 1)/√4 · 3 + 1
    fn: (x) => fg.batchNorm(x, f64([1]), f64([4]), f64([3]), f64([1]), false, 0.1, 0),
    inputs: () => [f64([[[1, 3]], [[5, -1]]])],
    gradOrder: 0,
    expected: [[[1, 4]], [[7, -2]]],
  },
  {
    name: 'batchNorm bad inputs',
    fn: (x) => x,
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.batchNorm(fg.ones([3]), null, null, null, null, true), message: /batchNorm: argument 'x' expected shape \[N, C, \.\.\.\] \(at least 2-d\), got \[3\]/ },
      { call: () => fg.batchNorm(fg.ones([2, 3]), null, null, fg.ones([2]), null, true), message: /batchNorm: argument 'weight' expected shape \[3\] \(one value per channel of x\), got \[2\]/ },
      { call: () => fg.batchNorm(fg.ones([2, 3]), fg.zeros([3]), fg.ones([3, 1])), message: /batchNorm: argument 'runningVar' expected shape \[3\] \(one value per channel of x\), got \[3, 1\]/ },
      { call: () => fg.batchNorm(fg.ones([2, 3]), null, null), message: /batchNorm: argument 'runningMean' expected a tensor of running statistics in evaluation mode \(training = false\), got null/ },
      { call: () => fg.batchNorm(fg.ones([1, 3]), null, null, null, null, true), message: /batchNorm: argument 'x' expected more than 1 value per channel in training mode, got shape \[1, 3\]/ },
      { call: () => fg.batchNorm(fg.ones([2, 3], { dtype: 'int32' }), null, null, null, null, true), message: /batchNorm: argument 'x' expected dtype float32 or float64, got int32/ },
      { call: () => fg.batchNorm(fg.ones([2, 3]), null, null, null, null, true, NaN), message: /batchNorm: argument 'momentum' expected a finite number, got NaN/ },
      { call: () => fg.batchNorm(fg.ones([2, 3]), null, null, null, null, true, 0.1, -1), message: /batchNorm: argument 'eps' expected a finite number ≥ 0, got -1/ },
      { call: () => fg.batchNorm(fg.ones([2, 3]), null, null, null, null, 'yes' as never), message: /batchNorm: argument 'training' expected a boolean, got "yes"/ },
    ],
  },
];

const dropoutRows: OpRow[] = [
  {
    name: 'dropout (fixed seed)',
    // Reseeding makes every call of gradcheck draw the same mask.
    fn: (x) => {
      fg.manualSeed(7);
      return fg.dropout(x, 0.4);
    },
    inputs: () => [randomTensor([3, 4], 230)],
    gradOrder: 2,
  },
  { name: 'dropout eval is identity', fn: (x) => fg.dropout(x, 0.5, false), inputs: () => [f64([1, -2, 3])], gradOrder: 1, expected: [1, -2, 3] },
  { name: 'dropout p = 0 is identity', fn: (x) => fg.dropout(x, 0), inputs: () => [f64([1, -2, 3])], gradOrder: 0, expected: [1, -2, 3] },
  { name: 'dropout p = 1 gives zeros', fn: (x) => fg.dropout(x, 1), inputs: () => [f64([1, -2, 3])], gradOrder: 1, expected: [0, 0, 0] },
  {
    name: 'dropout bad inputs',
    fn: (x) => x,
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.dropout(fg.ones([2]), 1.5), message: /dropout: argument 'p' expected a probability in \[0, 1\], got 1.5/ },
      { call: () => fg.dropout(fg.ones([2]), -0.1), message: /dropout: argument 'p' expected a probability in \[0, 1\], got -0.1/ },
      { call: () => fg.dropout(fg.ones([2]), NaN), message: /dropout: argument 'p' expected a probability in \[0, 1\], got NaN/ },
      { call: () => fg.dropout(fg.ones([2]), 0.5, 1 as never), message: /dropout: argument 'training' expected a boolean, got 1/ },
      { call: () => fg.dropout(fg.ones([2], { dtype: 'int32' })), message: /dropout: argument 'self' expected dtype float32 or float64, got int32/ },
    ],
  },
];

const randomRows: OpRow[] = [
  {
    name: 'rand/randn bad inputs',
    fn: (x) => x,
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.rand([2, -1]), message: /rand: argument 'shape' expected an array of non-negative integers, got an array of length 2/ },
      { call: () => fg.randn(3 as never), message: /randn: argument 'shape' expected an array of non-negative integers, got 3/ },
      { call: () => fg.rand([2], { dtype: 'int32' }), message: /rand: argument 'dtype' expected dtype float32 or float64, got int32/ },
      { call: () => fg.randn([2], { dtype: 'float16' as never }), message: /randn: argument 'dtype' expected one of float32, float64, int32, bool, got "float16"/ },
      { call: () => fg.rand([2], { device: 'gpu' }), message: /rand: argument 'device' expected a device name such as 'cpu' or 'cpu:0', got "gpu"/ },
      { call: () => fg.randn([2], 'float64' as never), message: /randn: argument 'opts' expected an options object/ },
    ],
  },
];

export const nnActivationRows: OpRow[] = [...softmaxRows, ...crossEntropyRows, ...batchNormRows, ...dropoutRows, ...randomRows];
