/**
 * @file Op table rows: shape and movement ops. Gradient rows square the moved tensor, so
 * the second-order check differentiates each op's VJP (these ops are linear: without the
 * square their second derivative would be trivially zero).
 */
import * as fg from '../../../src/index.js';
import { indexAdd, scatterAdd } from '../../../src/ops/movement/scatterAdd.js';
import { randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });
const i32 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'int32' });
const m = f64([[1, 2, 3], [4, 5, 6]]);

export const movementRows: OpRow[] = [
  { name: 'reshape', fn: (x) => fg.reshape(x, [3, -1]), inputs: () => [randomTensor([2, 3], 60)], gradOrder: 2 },
  { name: 'reshape values', fn: (x) => fg.reshape(x, [3, 2]), inputs: () => [f64([[1, 2, 3], [4, 5, 6]])], gradOrder: 0, expected: [[1, 2], [3, 4], [5, 6]] },
  { name: 'flatten', fn: (x) => fg.flatten(x, 1), inputs: () => [randomTensor([2, 2, 3], 61)], gradOrder: 1 },
  { name: 'expand', fn: (x) => fg.expand(x, [2, 3, 4]), inputs: () => [randomTensor([3, 1], 62)], gradOrder: 2 },
  { name: 'expand values', fn: (x) => fg.expand(x, [2, -1]), inputs: () => [f64([1, 2])], gradOrder: 0, expected: [[1, 2], [1, 2]] },
  { name: 'clone', fn: (x) => fg.clone(x).mul(x), inputs: () => [randomTensor([2, 3], 63)], gradOrder: 2 },
  {
    name: 'reshape bad inputs',
    fn: fg.clone,
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.reshape(fg.ones([2, 3]), [4, 2]), message: /reshape: argument 'shape' expected shape with 6 elements, got \[4, 2\]/ },
      { call: () => fg.reshape(fg.ones([2, 3]), [-1, -1]), message: /reshape: argument 'shape' expected an array of non-negative integers \(one may be -1\)/ },
      { call: () => fg.expand(fg.ones([2, 3]), [4, 3]), message: /expand: argument 'shape' expected shape that \[2, 3\] broadcasts to, got \[4, 3\]/ },
      { call: () => fg.reshape(fg.ones([2]), 'x' as never), message: /reshape: argument 'shape' expected an array/ },
    ],
  },
  ...permuteRows(),
  ...squeezeRows(),
  ...sliceRows(),
  ...concatRows(),
  ...gatherRows(),
  ...scatterRows(),
];

function permuteRows(): OpRow[] {
  return [
    { name: 'permute negative dims', fn: (x) => fg.permute(x, [-1, 0, 1]).square(), inputs: () => [randomTensor([2, 3, 2], 64)], gradOrder: 2 },
    { name: 'permute of a transposed view', fn: (x) => fg.permute(fg.transpose(x, 0, 2), [2, 0, 1]).square(), inputs: () => [randomTensor([2, 3, 4], 65)], gradOrder: 2 },
    { name: 'transpose default dims', fn: (x) => fg.transpose(x).square(), inputs: () => [randomTensor([2, 3, 2], 66)], gradOrder: 2 },
    { name: 'transpose of a slice', fn: (x) => fg.transpose(fg.slice(x, 1, 1), 0, -1).square(), inputs: () => [randomTensor([3, 4], 67)], gradOrder: 2 },
    {
      name: 'permute values',
      fn: (x) => [fg.permute(x, [1, 0]), fg.permute(fg.reshape(x, [2, 1, 3]), [-1, 0, 1]), fg.transpose(x), fg.transpose(f64([1, 2, 3])), fg.transpose(f64(7))],
      inputs: () => [m],
      gradOrder: 0,
      expected: [[[1, 4], [2, 5], [3, 6]], [[[1], [4]], [[2], [5]], [[3], [6]]], [[1, 4], [2, 5], [3, 6]], [1, 2, 3], 7],
    },
    {
      name: 'permute bad inputs',
      fn: fg.clone,
      inputs: () => [f64([1])],
      gradOrder: 0,
      bad: [
        { call: () => fg.permute(fg.ones([2, 3]), [0, 2]), message: /permute: argument 'dims' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
        { call: () => fg.permute(fg.ones([2, 3]), [1, -1]), message: /permute: argument 'dims' expected each dim exactly once, got \[1, -1\]/ },
        { call: () => fg.permute(fg.ones([2, 3]), [0]), message: /permute: argument 'dims' expected a permutation of 2 dims .*, got \[0\]/ },
        { call: () => fg.permute([1, 2] as never, [0]), message: /permute: argument 'self' expected a Tensor, got an array of length 2/ },
        { call: () => fg.ones([2, 3]).permute(0, 1.5), message: /permute: argument 'dims' expected a dim in \[-2, 1\] for a 2-d tensor, got 1.5/ },
        { call: () => fg.transpose(fg.ones([2, 3]), 0, 2), message: /transpose: argument 'dim1' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
        { call: () => fg.transpose(fg.ones([2]), -2, -1), message: /transpose: argument 'dim0' expected a dim in \[-1, 0\] for a 1-d tensor, got -2/ },
        { call: () => fg.transpose('x' as never), message: /transpose: argument 'self' expected a Tensor, got "x"/ },
      ],
    },
  ];
}

function squeezeRows(): OpRow[] {
  return [
    { name: 'squeeze dims', fn: (x) => fg.squeeze(x, [0, -1]).square(), inputs: () => [randomTensor([1, 3, 1], 68)], gradOrder: 2 },
    { name: 'squeeze all of a transposed view', fn: (x) => fg.squeeze(fg.transpose(x, 0, 1)).square(), inputs: () => [randomTensor([3, 1, 2], 69)], gradOrder: 2 },
    { name: 'unsqueeze negative dim', fn: (x) => fg.unsqueeze(fg.transpose(x), -1).square(), inputs: () => [randomTensor([2, 3], 70)], gradOrder: 2 },
    {
      name: 'squeeze values',
      fn: (x) => [fg.squeeze(x), fg.squeeze(x, 0), fg.squeeze(x, [1]), fg.unsqueeze(fg.squeeze(x), -1), fg.unsqueeze(fg.squeeze(x), 0), fg.squeeze(f64(3)), fg.unsqueeze(f64(3), 0)],
      inputs: () => [f64([[[1], [2]]])],
      gradOrder: 0,
      expected: [[1, 2], [[1], [2]], [[[1], [2]]], [[1], [2]], [[1, 2]], 3, [3]],
    },
    {
      name: 'squeeze bad inputs',
      fn: fg.clone,
      inputs: () => [f64([1])],
      gradOrder: 0,
      bad: [
        { call: () => fg.squeeze(fg.ones([1, 2]), 2), message: /squeeze: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
        { call: () => fg.squeeze(fg.ones([1, 1]), [0, -2]), message: /squeeze: argument 'dim' expected distinct dims/ },
        { call: () => fg.squeeze(null as never), message: /squeeze: argument 'self' expected a Tensor, got null/ },
        { call: () => fg.unsqueeze(fg.ones([2, 3]), 3), message: /unsqueeze: argument 'dim' expected a dim in \[-3, 2\] \(a new dim's position in a 2-d tensor\), got 3/ },
        { call: () => fg.unsqueeze(fg.ones([2]), -3), message: /unsqueeze: argument 'dim' expected a dim in \[-2, 1\].*got -3/ },
        { call: () => fg.unsqueeze(fg.ones([2]), '0' as never), message: /unsqueeze: argument 'dim' expected a dim in \[-2, 1\].*got "0"/ },
      ],
    },
  ];
}

function sliceRows(): OpRow[] {
  const grid = () => f64([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  return [
    { name: 'slice negative dim with step', fn: (x) => fg.slice(x, -1, 1, null, 2).square(), inputs: () => [randomTensor([2, 5], 71)], gradOrder: 2 },
    { name: 'slice of a transposed view', fn: (x) => fg.slice(fg.transpose(x), 0, -3, -1).square(), inputs: () => [randomTensor([2, 4], 72)], gradOrder: 2 },
    { name: 'slice of a slice', fn: (x) => fg.slice(fg.slice(x, 0, 1), 1, 0, 5, 2).square(), inputs: () => [randomTensor([3, 5], 73)], gradOrder: 2 },
    { name: 'slice empty', fn: (x) => fg.concat([fg.slice(x, 0, 2, 2), x], 0).square(), inputs: () => [randomTensor([2, 3], 74)], gradOrder: 2 },
    {
      name: 'slice values',
      fn: (x) => [fg.slice(x, 1, 1, null, 2), fg.slice(x, 0, -2), fg.slice(x, -1, -3, -1), fg.slice(x, 0, 5, 10), fg.slice(x, 1, -100, 100, 3), fg.slice(x, 0, 2, 1), x.slice(0, 1, 2)],
      inputs: () => [grid()],
      gradOrder: 0,
      expected: [[[2, 4], [6, 8], [10, 12]], [[5, 6, 7, 8], [9, 10, 11, 12]], [[2, 3], [6, 7], [10, 11]], [], [[1, 4], [5, 8], [9, 12]], [], [[5, 6, 7, 8]]],
    },
    {
      name: 'slice gradient values',
      fn: (x) => fg.autograd.grad(fg.slice(x, 1, 0, null, 2).sum(), [x])[0],
      inputs: () => [f64([[1, 2, 3], [4, 5, 6]]).requiresGrad_()],
      gradOrder: 0,
      expected: [[1, 0, 1], [1, 0, 1]],
    },
    {
      name: 'slice bad inputs',
      fn: fg.clone,
      inputs: () => [f64([1])],
      gradOrder: 0,
      bad: [
        { call: () => fg.slice(fg.ones([2, 3]), 1, 0, 3, 0), message: /slice: argument 'step' expected an integer ≥ 1, got 0/ },
        { call: () => fg.slice(fg.ones([2, 3]), 1, 0, 3, -1), message: /slice: argument 'step' expected an integer ≥ 1, got -1/ },
        { call: () => fg.slice(fg.ones([2, 3]), 2, 0, 1), message: /slice: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
        { call: () => fg.slice(fg.ones([2, 3]), 0, 0.5), message: /slice: argument 'start' expected an integer, null or undefined, got 0.5/ },
        { call: () => fg.slice(fg.ones([2, 3]), 0, 0, '1' as never), message: /slice: argument 'end' expected an integer, null or undefined, got "1"/ },
        { call: () => fg.slice(fg.ones([]), 0, 0, 1), message: /slice: argument 'self' expected a tensor with at least one dim, got a float32 tensor of shape \[\]/ },
        { call: () => fg.slice({} as never, 0), message: /slice: argument 'self' expected a Tensor, got an (object|Object)/ },
      ],
    },
  ];
}

function concatRows(): OpRow[] {
  return [
    { name: 'concat three along dim -1', fn: (a, b, c) => fg.concat([a, b, c], -1).square(), inputs: () => [randomTensor([2, 2], 75), randomTensor([2, 1], 76), randomTensor([2, 3], 77)], gradOrder: 2 },
    { name: 'concat of transposed views', fn: (a, b) => fg.concat([fg.transpose(a), b], 0).square(), inputs: () => [randomTensor([2, 3], 78), randomTensor([1, 2], 79)], gradOrder: 2 },
    { name: 'concat one input to itself', fn: (a) => fg.concat([a, a], 1).square(), inputs: () => [randomTensor([2, 2], 80)], gradOrder: 2 },
    { name: 'stack negative dim', fn: (a, b) => fg.stack([a, fg.transpose(b)], -1).square(), inputs: () => [randomTensor([2, 3], 81), randomTensor([3, 2], 82)], gradOrder: 2 },
    {
      name: 'concat values',
      fn: (a, b) => [fg.concat([a, b], -1), fg.concat([a, a], 0), a.concat([b], 1), fg.stack([b, b], 0), fg.stack([fg.squeeze(b), fg.squeeze(b)], 1), fg.stack([f64(1), f64(2)])],
      inputs: () => [f64([[1, 2], [3, 4]]), f64([[5], [6]])],
      gradOrder: 0,
      expected: [[[1, 2, 5], [3, 4, 6]], [[1, 2], [3, 4], [1, 2], [3, 4]], [[1, 2, 5], [3, 4, 6]], [[[5], [6]], [[5], [6]]], [[5, 5], [6, 6]], [1, 2]],
    },
    {
      name: 'concat promotes dtypes',
      fn: () => {
        const out = fg.concat([fg.tensor([1], { dtype: 'int32' }), fg.tensor([2.5], { dtype: 'float64' }), fg.tensor([true])]);
        if (out.dtype !== 'float64') throw new Error(`concat promoted to ${out.dtype}`);
        return out;
      },
      inputs: () => [],
      gradOrder: 0,
      expected: [1, 2.5, 1],
    },
    {
      name: 'concat bad inputs',
      fn: fg.clone,
      inputs: () => [f64([1])],
      gradOrder: 0,
      bad: [
        { call: () => fg.concat([fg.ones([2, 3]), fg.ones([2, 4])], 0), message: /concat: argument 'tensors\[1\]' expected shape \[\*, 3\] \(the shape of tensors\[0\] except in dim 0\), got \[2, 4\]/ },
        { call: () => fg.concat([fg.ones([2, 3]), fg.ones([2, 3, 1])], 1), message: /concat: argument 'tensors\[1\]' expected shape \[2, \*\].*got \[2, 3, 1\]/ },
        { call: () => fg.concat([], 0), message: /concat: argument 'tensors' expected a non-empty array of tensors, got an empty array/ },
        { call: () => fg.concat([fg.ones([2]), 3 as never]), message: /concat: argument 'tensors\[1\]' expected a Tensor, got 3/ },
        { call: () => fg.concat(fg.ones([2]) as never), message: /concat: argument 'tensors' expected an array of tensors, got a float32 tensor of shape \[2\]/ },
        { call: () => fg.concat([fg.ones([2, 3])], 2), message: /concat: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
        { call: () => fg.concat([fg.ones([])]), message: /concat: argument 'tensors\[0\]' expected a tensor with at least one dim/ },
        { call: () => fg.stack([fg.ones([2, 3]), fg.ones([3, 2])]), message: /stack: argument 'tensors\[1\]' expected shape \[2, 3\] \(the shape of tensors\[0\]\), got \[3, 2\]/ },
        { call: () => fg.stack([fg.ones([2])], 2), message: /stack: argument 'dim' expected a dim in \[-2, 1\].*got 2/ },
        { call: () => fg.stack([]), message: /stack: argument 'tensors' expected a non-empty array of tensors, got an empty array/ },
      ],
    },
  ];
}

function gatherRows(): OpRow[] {
  return [
    { name: 'gather dim 1 with repeats', fn: (x, i) => fg.gather(x, 1, i).square(), inputs: () => [randomTensor([3, 4], 83), i32([[0, 3, 0], [2, 2, 1], [3, 0, 1]])], gradOrder: 2 },
    { name: 'gather dim 0 smaller index', fn: (x, i) => fg.gather(x, 0, i).square(), inputs: () => [randomTensor([3, 4], 84), i32([[2, 0], [2, 1]])], gradOrder: 2 },
    { name: 'gather on a permuted view, dim -1', fn: (x, i) => fg.gather(fg.permute(x, [1, 0]), -1, i).square(), inputs: () => [randomTensor([3, 4], 85), i32([[2, 2], [0, 1]])], gradOrder: 2 },
    { name: 'indexSelect negative dim with repeats', fn: (x, i) => fg.indexSelect(x, -1, i).square(), inputs: () => [randomTensor([2, 3], 86), i32([2, 0, 2, 1])], gradOrder: 2 },
    { name: 'indexSelect on a transposed view', fn: (x, i) => fg.indexSelect(fg.transpose(x), 0, i).square(), inputs: () => [randomTensor([2, 3], 87), i32([1, 1])], gradOrder: 2 },
    {
      name: 'gather values',
      fn: (x) => [
        fg.gather(x, 1, i32([[2, 0], [1, 1]])),
        fg.gather(x, 0, i32([[1, 0, 1]])),
        fg.gather(f64(5), 0, i32(0)),
        fg.indexSelect(x, -1, i32([2, 0, 2])),
        x.indexSelect(0, i32([1])),
        fg.indexSelect(x, 0, i32(1)),
        fg.indexSelect(x, 0, i32([])),
      ],
      inputs: () => [m],
      gradOrder: 0,
      expected: [[[3, 1], [5, 5]], [[4, 2, 6]], 5, [[3, 1, 3], [6, 4, 6]], [[4, 5, 6]], [[4, 5, 6]], []],
    },
    {
      name: 'gather bad inputs',
      fn: fg.clone,
      inputs: () => [f64([1])],
      gradOrder: 0,
      bad: [
        { call: () => fg.gather(m, 1, i32([[0, 3]])), message: /gather: argument 'index' expected values in \[0, 2\] \(dim 1 of x has size 3\), got 3/ },
        { call: () => fg.gather(m, 0, i32([[-1]])), message: /gather: argument 'index' expected values in \[0, 1\] \(dim 0 of x has size 2\), got -1/ },
        { call: () => fg.gather(m, 1, fg.tensor([[0]])), message: /gather: argument 'index' expected dtype int32, got float32/ },
        { call: () => fg.gather(m, 1, i32([0])), message: /gather: argument 'index' expected shape 2 dims \(as many as x\), got \[1\]/ },
        { call: () => fg.gather(m, 1, i32([[0], [0], [0]])), message: /gather: argument 'index' expected shape 2 dims, each at most x's \[2, \*\] outside dim 1, got \[3, 1\]/ },
        { call: () => fg.gather(m, 2, i32([[0]])), message: /gather: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
        { call: () => fg.gather(m, 0, [[0]] as never), message: /gather: argument 'index' expected a Tensor, got an array of length 1/ },
        { call: () => fg.indexSelect(m, 0, i32([[0]])), message: /indexSelect: argument 'index' expected shape \[n\] \(1-d\), got \[1, 1\]/ },
        { call: () => fg.indexSelect(m, 0, fg.tensor([0], { dtype: 'float64' })), message: /indexSelect: argument 'index' expected dtype int32, got float64/ },
        { call: () => fg.indexSelect(m, -1, i32([1, 3])), message: /indexSelect: argument 'index' expected values in \[0, 2\] \(dim 1 of x has size 3\), got 3/ },
        { call: () => fg.indexSelect(m, -3, i32([0])), message: /indexSelect: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got -3/ },
        { call: () => fg.indexSelect(5 as never, 0, i32([0])), message: /indexSelect: argument 'self' expected a Tensor, got 5/ },
      ],
    },
  ];
}

function scatterRows(): OpRow[] {
  return [
    { name: 'scatterAdd smaller index', fn: (x, s, i) => scatterAdd(x, 1, i, s).square(), inputs: () => [randomTensor([2, 4], 88), randomTensor([2, 3], 89), i32([[3, 3], [0, 2]])], gradOrder: 2 },
    { name: 'scatterAdd dim 0 of a transposed src', fn: (x, s, i) => scatterAdd(x, 0, i, fg.transpose(s)).square(), inputs: () => [randomTensor([2, 3], 90), randomTensor([3, 3], 91), i32([[1, 0, 1], [1, 1, 0], [0, 0, 0]])], gradOrder: 2 },
    { name: 'indexAdd with repeats', fn: (x, s, i) => indexAdd(x, 0, i, s).square(), inputs: () => [randomTensor([3, 2], 92), randomTensor([4, 2], 93), i32([2, 0, 2, 1])], gradOrder: 2 },
    { name: 'indexAdd negative dim', fn: (x, s, i) => indexAdd(x, -1, i, fg.transpose(s)).square(), inputs: () => [randomTensor([2, 3], 94), randomTensor([2, 2], 95), i32([1, 1])], gradOrder: 2 },
    {
      name: 'scatterAdd values',
      fn: (x) => [
        scatterAdd(x, 1, i32([[0, 0], [2, 1]]), f64([[10, 20], [30, 40]])),
        indexAdd(x, 0, i32([1, 1, 0]), f64([[1, 1, 1], [2, 2, 2], [3, 3, 3]])),
        scatterAdd(f64(1), 0, i32(0), f64(2)),
      ],
      inputs: () => [m],
      gradOrder: 0,
      expected: [[[31, 2, 3], [4, 45, 36]], [[4, 5, 6], [7, 8, 9]], 3],
    },
    {
      name: 'scatterAdd bad inputs',
      fn: fg.clone,
      inputs: () => [f64([1])],
      gradOrder: 0,
      bad: [
        { call: () => scatterAdd(m, 1, i32([[3]]), f64([[1]])), message: /scatterAdd: argument 'index' expected values in \[0, 2\] \(dim 1 of the output has size 3\), got 3/ },
        { call: () => scatterAdd(m, 1, i32([[0]]), fg.tensor([[1]])), message: /scatterAdd: argument 'src' expected dtype float64 \(the dtype of self\), got float32/ },
        { call: () => scatterAdd(m, 1, i32([[0, 1]]), f64([[1]])), message: /scatterAdd: argument 'index' expected shape 2 dims, each at most src's \[1, 1\]/ },
        { call: () => scatterAdd(m, 1, f64([[0]]), f64([[1]])), message: /scatterAdd: argument 'index' expected dtype int32, got float64/ },
        { call: () => indexAdd(m, 0, i32([2]), f64([[1, 1, 1]])), message: /indexAdd: argument 'index' expected values in \[0, 1\] \(dim 0 of the output has size 2\), got 2/ },
        { call: () => indexAdd(m, 0, i32([0, 1]), f64([[1, 1, 1]])), message: /indexAdd: argument 'src' expected shape \[2, 3\] \(the output's shape with dim 0 the index's length\), got \[1, 3\]/ },
        { call: () => indexAdd(m, 3, i32([0]), f64([[1, 1, 1]])), message: /indexAdd: argument 'dim' expected a dim in \[-2, 1\] for a 2-d tensor, got 3/ },
      ],
    },
  ];
}
