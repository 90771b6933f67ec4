/** @file Op table rows: elementwise unary, binary, comparison, where and cast. */
import * as fg from '../../../src/index.js';
import { awayFrom, randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });
const positive = (shape: number[], seed: number) => randomTensor(shape, seed, 0.2, 2);

const unary = (name: string, fn: (x: fg.Tensor) => fg.Tensor, input: () => fg.Tensor, gradOrder: 0 | 1 | 2, expected?: { x: number[]; y: number[] }): OpRow[] => [
  { name, fn, inputs: () => [input()], gradOrder },
  ...(expected ? [{ name: `${name} values`, fn, inputs: () => [f64(expected.x)], gradOrder: 0 as const, expected: expected.y }] : []),
];

export const elementwiseRows: OpRow[] = [
  ...unary('neg', fg.neg, () => randomTensor([2, 3], 1), 2, { x: [1, -2, 0], y: [-1, 2, -0] }),
  ...unary('abs', fg.abs, () => awayFrom([2, 3], 2), 1, { x: [1, -2, 0], y: [1, 2, 0] }),
  ...unary('exp', fg.exp, () => randomTensor([2, 3], 3), 2, { x: [0, 1], y: [1, Math.E] }),
  ...unary('log', fg.log, () => positive([2, 3], 4), 2, { x: [1, Math.E], y: [0, 1] }),
  ...unary('sqrt', fg.sqrt, () => positive([2, 3], 5), 2, { x: [4, 9], y: [2, 3] }),
  ...unary('sin', fg.sin, () => randomTensor([2, 3], 6), 2, { x: [0, Math.PI / 2], y: [0, 1] }),
  ...unary('cos', fg.cos, () => randomTensor([2, 3], 7), 2, { x: [0, Math.PI], y: [1, -1] }),
  ...unary('tanh', fg.tanh, () => randomTensor([2, 3], 8), 2, { x: [0, 100], y: [0, 1] }),
  ...unary('sigmoid', fg.sigmoid, () => randomTensor([2, 3], 9, -3, 3), 2, { x: [0, -800, 800], y: [0.5, 0, 1] }),
  ...unary('relu', fg.relu, () => awayFrom([2, 3], 10), 1, { x: [-1, 0, 2], y: [0, 0, 2] }),
  ...unary('sign', fg.sign, () => awayFrom([2, 3], 11), 1, { x: [-3, 0, 2], y: [-1, 0, 1] }),
  {
    name: 'unary bad inputs',
    fn: fg.exp,
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.exp('x' as never), message: /exp: argument 'self' expected a Tensor, got "x"/ },
      { call: () => fg.neg(fg.tensor([true])), message: /neg: argument 'x' expected dtype a numeric dtype, got bool/ },
    ],
  },
  { name: 'add broadcast', fn: fg.add, inputs: () => [randomTensor([2, 3], 12), randomTensor([3], 13)], gradOrder: 2 },
  { name: 'add values', fn: fg.add, inputs: () => [f64([[1, 2], [3, 4]]), f64([10, 20])], gradOrder: 0, expected: [[11, 22], [13, 24]] },
  { name: 'sub broadcast', fn: fg.sub, inputs: () => [randomTensor([2, 1], 14), randomTensor([1, 3], 15)], gradOrder: 2 },
  { name: 'mul broadcast', fn: fg.mul, inputs: () => [randomTensor([2, 3], 16), randomTensor([2, 1], 17)], gradOrder: 2 },
  { name: 'div broadcast', fn: fg.div, inputs: () => [randomTensor([2, 3], 18), positive([3], 19)], gradOrder: 2 },
  { name: 'pow', fn: fg.pow, inputs: () => [positive([2, 3], 20), randomTensor([2, 3], 21)], gradOrder: 2 },
  { name: 'pow values', fn: fg.pow, inputs: () => [f64([2, 3, 0]), f64([3, 2, 0])], gradOrder: 0, expected: [8, 9, 1] },
  { name: 'maximum', fn: fg.maximum, inputs: () => [randomTensor([2, 3], 22), randomTensor([2, 3], 23)], gradOrder: 1 },
  { name: 'minimum', fn: fg.minimum, inputs: () => [randomTensor([2, 3], 24), randomTensor([3], 25)], gradOrder: 1 },
  { name: 'scalar operands', fn: (x) => fg.sub(1, x).mul(2).add(x.div(4)), inputs: () => [randomTensor([3], 26)], gradOrder: 2 },
  {
    name: 'binary bad inputs',
    fn: fg.add,
    inputs: () => [f64([1]), f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.add(fg.ones([2, 3]), fg.ones([4])), message: /add: argument 'other' expected shape broadcastable with \[2, 3\], got \[4\]/ },
      { call: () => fg.mul(fg.ones([2]), 'a' as never), message: /mul: argument 'other' expected a Tensor or a number, got "a"/ },
      { call: () => fg.sub(undefined as never, 1), message: /sub: argument 'self' expected a Tensor or a number, got undefined/ },
    ],
  },
  { name: 'compare values', fn: (a, b) => [fg.eq(a, b), fg.ne(a, b), fg.lt(a, b), fg.le(a, b), fg.gt(a, b), fg.ge(a, b)], inputs: () => [f64([1, 2, 3]), f64([2, 2, 2])], gradOrder: 0, expected: [[false, true, false], [true, false, true], [true, false, false], [true, true, false], [false, false, true], [false, true, true]] },
  { name: 'where', fn: (a, b) => fg.where(fg.gt(a, 0), a, b), inputs: () => [randomTensor([2, 3], 27), randomTensor([3], 28)], gradOrder: 2 },
  { name: 'where values', fn: (a) => fg.where(fg.gt(a, 0), a, -1), inputs: () => [f64([1, -2, 3])], gradOrder: 0, expected: [1, -1, 3] },
  { name: 'cast', fn: (x) => fg.cast(x, 'float32').mul(2).double(), inputs: () => [randomTensor([3], 29)], gradOrder: 1, gradcheck: { eps: 1e-2, atol: 1e-4 } },
  { name: 'addN', fn: (a, b, c) => fg.addN([a, b, c]).mul(a), inputs: () => [randomTensor([2, 3], 31), randomTensor([2, 3], 32), randomTensor([2, 3], 33)], gradOrder: 2 },
  { name: 'addN values', fn: (a, b) => fg.addN([a, b, a]), inputs: () => [f64([1, 2]), f64([10, 20])], gradOrder: 0, expected: [12, 24] },
  {
    name: 'addN bad inputs',
    fn: (a) => fg.addN([a]),
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.addN([fg.ones([2]), fg.ones([3])]), message: /addN: argument 'xs\[1\]' expected shape \[2\], got \[3\]/ },
      { call: () => fg.addN([]), message: /addN: argument 'xs' expected at least one tensor/ },
      { call: () => fg.addN([fg.ones([2]), 'x' as never]), message: /addN: argument 'xs\[1\]' expected a Tensor/ },
    ],
  },
  { name: 'clamp', fn: (x) => fg.clamp(x, -0.5, 0.5), inputs: () => [awayFrom([2, 3], 30, 0.5, 0.05)], gradOrder: 1 },
];
