/** @file Op table rows: reductions. */
import * as fg from '../../../src/index.js';
import { randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });

export const reduceRows: OpRow[] = [
  { name: 'sum all', fn: (x) => fg.sum(x), inputs: () => [randomTensor([2, 3], 40)], gradOrder: 2 },
  { name: 'sum axis 1', fn: (x) => fg.sum(x, 1), inputs: () => [randomTensor([2, 3, 2], 41)], gradOrder: 2 },
  { name: 'sum axes keepDim', fn: (x) => fg.sum(x, [0, -1], true), inputs: () => [randomTensor([2, 3, 2], 42)], gradOrder: 2 },
  { name: 'sum values', fn: (x) => [fg.sum(x), fg.sum(x, 0), fg.sum(x, 1, true), fg.sum(x, undefined, true)], inputs: () => [f64([[1, 2, 3], [4, 5, 6]])], gradOrder: 0, expected: [21, [5, 7, 9], [[6], [15]], [[21]]] },
  { name: 'mean', fn: (x) => fg.mean(x, 0), inputs: () => [randomTensor([3, 2], 43)], gradOrder: 2 },
  { name: 'mean values', fn: (x) => [fg.mean(x), fg.mean(x, 1)], inputs: () => [f64([[1, 2, 3], [4, 5, 6]])], gradOrder: 0, expected: [3.5, [2, 5]] },
  {
    name: 'sum bad inputs',
    fn: (x) => fg.sum(x),
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.sum(fg.ones([2, 3]), 2), message: /sum: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
      { call: () => fg.sum(fg.ones([2, 3]), [0, 0]), message: /sum: argument 'axis' expected distinct dims/ },
      { call: () => fg.mean(fg.ones([2]), 0, 'yes' as never), message: /mean: argument 'keepDim' expected a boolean, got "yes"/ },
    ],
  },
  // max / min: values only; the gradient is split evenly among tied maxima.
  { name: 'max all', fn: (x) => fg.max(x), inputs: () => [randomTensor([2, 3], 50)], gradOrder: 2 },
  { name: 'max axis -1 keepDim', fn: (x) => fg.max(x, -1, true), inputs: () => [randomTensor([2, 3, 2], 51)], gradOrder: 2 },
  { name: 'max axes [0, 2]', fn: (x) => fg.max(x, [0, 2]), inputs: () => [randomTensor([2, 3, 2], 52)], gradOrder: 2 },
  { name: 'max transposed input', fn: (x) => fg.max(x.transpose(0, 1), 1), inputs: () => [randomTensor([3, 2], 53)], gradOrder: 2 },
  // Every element of an expanded dim ties with the others: each copy gets 1/count, summed back to 1.
  { name: 'max ties over broadcast copies', fn: (x) => fg.max(fg.expand(x, [3, 2, 4]), [0, 2]), inputs: () => [randomTensor([2, 1], 54)], gradOrder: 2 },
  { name: 'min all keepDim', fn: (x) => fg.min(x, undefined, true), inputs: () => [randomTensor([2, 3], 55)], gradOrder: 2 },
  { name: 'min axis 0', fn: (x) => fg.min(x, 0), inputs: () => [randomTensor([3, 2], 56)], gradOrder: 2 },
  { name: 'min ties over broadcast copies', fn: (x) => fg.min(fg.expand(x, [2, 3]), 0), inputs: () => [randomTensor([3], 57)], gradOrder: 2 },
  {
    name: 'max/min values with NaN',
    fn: (x) => [fg.max(x), fg.max(x, 1), fg.min(x, 0, true), fg.min(x, -1), fg.max(x, undefined, true)],
    inputs: () => [f64([[1, 5, 5], [NaN, 2, 3]])],
    gradOrder: 0,
    expected: [NaN, [5, NaN], [[NaN, 2, 3]], [1, NaN], [[NaN]]],
  },
  { name: 'max/min int32 values', fn: (x) => [fg.max(x, 0), fg.min(x)], inputs: () => [fg.tensor([[3, -7], [5, 2]], { dtype: 'int32' })], gradOrder: 0, expected: [[5, 2], -7] },
  { name: 'max 0-d', fn: (x) => [fg.max(x), fg.min(x, 0), fg.argmax(x)], inputs: () => [f64(4)], gradOrder: 0, expected: [4, 4, 0] },
  {
    name: 'argmax/argmin values (first of ties)',
    fn: (x) => [fg.argmax(x), fg.argmax(x, 1), fg.argmin(x, 0), fg.argmin(x), fg.argmax(x, -1, true), fg.argmax(x, undefined, true)],
    inputs: () => [f64([[1, 3, 3], [4, 4, 0]])],
    gradOrder: 0,
    expected: [3, [1, 0], [0, 0, 1], 5, [[1], [0]], [[3]]],
  },
  { name: 'argmax/argmin NaN wins', fn: (x) => [fg.argmax(x), fg.argmin(x)], inputs: () => [f64([1, NaN, 3, NaN])], gradOrder: 0, expected: [1, 1] },
  {
    name: 'max/min/argmax bad inputs',
    fn: (x) => fg.max(x),
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.max(fg.ones([2, 3]), -3), message: /max: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got -3/ },
      { call: () => fg.min(fg.ones([2, 3]), [1, 2]), message: /min: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
      { call: () => fg.max(fg.zeros([0, 3]), 0), message: /max: argument 'self' expected shape a non-zero size in every reduced dim .*, got \[0, 3\]/ },
      { call: () => fg.min(fg.ones([2]), 0, 1 as never), message: /min: argument 'keepDim' expected a boolean, got 1/ },
      { call: () => fg.max('x' as never), message: /max: argument 'self' expected a Tensor, got "x"/ },
      { call: () => fg.min(null as never), message: /min: argument 'self' expected a Tensor, got null/ },
      { call: () => fg.argmax(fg.tensor([true, false])), message: /argmax: argument 'self' expected dtype a numeric dtype, got bool/ },
      { call: () => fg.argmin(fg.ones([2, 3]), [0, 1] as never), message: /argmin: argument 'axis' expected a single dim \(or none, to index the flattened tensor\), got an array of length 2/ },
      { call: () => fg.argmax(fg.ones([2, 3]), 2), message: /argmax: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
      { call: () => fg.argmin(fg.ones([2, 3]), 0.5), message: /argmin: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 0.5/ },
      { call: () => fg.argmin(fg.zeros([0])), message: /argmin: argument 'self' expected shape a non-zero size in every reduced dim .*, got \[0\]/ },
      { call: () => fg.argmax(3 as never), message: /argmax: argument 'self' expected a Tensor, got 3/ },
      { call: () => fg.argmin(undefined as never), message: /argmin: argument 'self' expected a Tensor, got undefined/ },
      { call: () => fg.max(fg.ones([2, 3]), 1.5), message: /max: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 1.5/ },
    ],
  },
  // prod: the gradient is the product of the other elements, exact with zeros.
  { name: 'prod all', fn: (x) => fg.prod(x), inputs: () => [randomTensor([2, 3], 60, 0.5, 1.5)], gradOrder: 2 },
  { name: 'prod axis -1 keepDim', fn: (x) => fg.prod(x, -1, true), inputs: () => [randomTensor([2, 3, 2], 61)], gradOrder: 2 },
  { name: 'prod axes [0, 2] transposed', fn: (x) => fg.prod(x.transpose(0, 2), [0, 2]), inputs: () => [randomTensor([2, 3, 2], 62)], gradOrder: 2 },
  // Rows of a group with one, two, three and no zeros: first and second derivatives stay exact.
  { name: 'prod with zeros', fn: (x) => fg.prod(x, 1), inputs: () => [f64([[0.5, 0, 2, -1.5], [0, 1.5, 0, 0.7], [0, 0, 3, 0], [1.2, -0.8, 0.9, 2]])], gradOrder: 2 },
  { name: 'prod all with one zero', fn: (x) => fg.prod(x), inputs: () => [f64([[0.5, 1.3], [0, -2]])], gradOrder: 2 },
  {
    name: 'prod values',
    fn: (x) => [fg.prod(x), fg.prod(x, 1), fg.prod(x, 0, true), fg.prod(x, [0, 1], true)],
    inputs: () => [f64([[1, 2, 0], [3, 4, 5]])],
    gradOrder: 0,
    expected: [0, [0, 60], [[3, 8, 0]], [[0]]],
  },
  { name: 'prod bool and int32 values', fn: (b, i) => [fg.prod(b, 0), fg.prod(i)], inputs: () => [fg.tensor([[true, false], [true, true]]), fg.tensor([2, -3, 4], { dtype: 'int32' })], gradOrder: 0, expected: [[1, 0], -24] },
  {
    name: 'prod bad inputs',
    fn: (x) => fg.prod(x),
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.prod(fg.ones([2, 3]), 5), message: /prod: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 5/ },
      { call: () => fg.prod(fg.ones([2, 3]), [1, -1]), message: /prod: argument 'axis' expected distinct dims/ },
      { call: () => fg.prod(fg.ones([2]), 0, 'no' as never), message: /prod: argument 'keepDim' expected a boolean, got "no"/ },
      { call: () => fg.prod([1, 2] as never), message: /prod: argument 'self' expected a Tensor, got an array of length 2/ },
    ],
  },
];
