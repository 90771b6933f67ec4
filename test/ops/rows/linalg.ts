/** @file Op table rows: linalg ops. */
import * as fg from '../../../src/index.js';
import { randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });
const i32 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'int32' });

export const linalgRows: OpRow[] = [
  { name: 'matmul 2-D', fn: fg.matmul, inputs: () => [randomTensor([2, 3], 70), randomTensor([3, 4], 71)], gradOrder: 2 },
  { name: 'matmul 1-D dot', fn: fg.matmul, inputs: () => [randomTensor([3], 72), randomTensor([3], 73)], gradOrder: 2 },
  { name: 'matmul 1-D @ 2-D', fn: fg.matmul, inputs: () => [randomTensor([3], 74), randomTensor([3, 2], 75)], gradOrder: 2 },
  { name: 'matmul 2-D @ 1-D', fn: fg.matmul, inputs: () => [randomTensor([2, 3], 76), randomTensor([3], 77)], gradOrder: 2 },
  { name: 'matmul 1-D @ batched', fn: fg.matmul, inputs: () => [randomTensor([3], 78), randomTensor([2, 3, 2], 79)], gradOrder: 2 },
  { name: 'matmul batched @ 1-D', fn: fg.matmul, inputs: () => [randomTensor([2, 2, 3], 80), randomTensor([3], 81)], gradOrder: 2 },
  // [2, 1, 2, 3] @ [3, 3, 2] → [2, 3, 2, 2]: both operands' batch dims broadcast.
  { name: 'matmul broadcast batch', fn: fg.matmul, inputs: () => [randomTensor([2, 1, 2, 3], 82), randomTensor([3, 3, 2], 83)], gradOrder: 2 },
  { name: 'matmul batched 2-D weight', fn: fg.matmul, inputs: () => [randomTensor([2, 2, 3], 84), randomTensor([3, 2], 85)], gradOrder: 2 },
  { name: 'matmul transposed operands', fn: (a, b) => fg.matmul(a.transpose(0, 1), b.transpose(0, 1)), inputs: () => [randomTensor([3, 2], 86), randomTensor([4, 3], 87)], gradOrder: 2 },
  { name: 'matmul expanded (stride 0) operand', fn: (a, b) => fg.matmul(fg.expand(a, [3, 2, 3]), b), inputs: () => [randomTensor([2, 3], 88), randomTensor([3, 3, 2], 89)], gradOrder: 2 },
  { name: 'matmul int32 operand', fn: (a, b) => fg.matmul(a, b), inputs: () => [i32([[1, -2], [0, 3]]), randomTensor([2, 3], 90)], gradOrder: 2 },
  {
    name: 'matmul values',
    fn: (a, b) => [fg.matmul(a, b), fg.matmul(a.transpose(0, 1), b), fg.matmul(a, b.transpose(0, 1)), fg.matmul(fg.tensor([1, 2]), fg.tensor([3, 4])), fg.matmul(a, fg.tensor([1, 1], { dtype: 'float64' }))],
    inputs: () => [f64([[1, 2], [3, 4]]), f64([[5, 6], [7, 8]])],
    gradOrder: 0,
    expected: [[[19, 22], [43, 50]], [[26, 30], [38, 44]], [[17, 23], [39, 53]], 11, [3, 7]],
  },
  {
    name: 'matmul int32 values',
    fn: (a, b) => [fg.matmul(a, b), fg.matmul(a, b.transpose(0, 1)), fg.matmul(a, fg.tensor([2 ** 30, 2], { dtype: 'int32' }))],
    inputs: () => [i32([[1, 2], [3, 4]]), i32([[5, 6], [7, 8]])],
    gradOrder: 0,
    // int32 wraps modulo 2^32 as in PyTorch: 3·2^30 + 8 wraps to −2^30 + 8.
    expected: [[[19, 22], [43, 50]], [[17, 23], [39, 53]], [2 ** 30 + 4, -(2 ** 30) + 8]],
  },
  {
    name: 'matmul bad inputs',
    fn: fg.matmul,
    inputs: () => [f64([1]), f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.matmul(fg.ones([3, 4]), fg.ones([5, 6])), message: /^matmul: argument 'b' expected shape \[4, n\] \(rows = last dim of a\), got \[5, 6\]$/ },
      { call: () => fg.matmul(fg.ones([2, 3]), fg.ones([4])), message: /matmul: argument 'b' expected shape \[3\] \(length = last dim of a\), got \[4\]/ },
      { call: () => fg.matmul(fg.ones([2, 3, 4]), fg.ones([2, 5, 6])), message: /matmul: argument 'b' expected shape \[\.\.\., 4, n\] \(rows = last dim of a\), got \[2, 5, 6\]/ },
      { call: () => fg.matmul(fg.ones([2, 3, 4]), fg.ones([3, 4, 5])), message: /matmul: argument 'b' expected shape batch dims broadcastable with \[2\] \(the batch dims of a\), got \[3, 4, 5\]/ },
      { call: () => fg.matmul(fg.ones([]), fg.ones([2])), message: /matmul: argument 'a' expected shape with at least 1 dim, got \[\]/ },
      { call: () => fg.matmul(fg.tensor([true, false]), fg.ones([2])), message: /matmul: argument 'a' expected dtype a numeric dtype, got bool/ },
      { call: () => fg.matmul(fg.ones([2]), fg.tensor([[true], [false]])), message: /matmul: argument 'b' expected dtype a numeric dtype, got bool/ },
      { call: () => fg.matmul([[1]] as never, fg.ones([1])), message: /matmul: argument 'a' expected a Tensor, got an array of length 1/ },
      { call: () => fg.matmul(fg.ones([1]), 2 as never), message: /matmul: argument 'b' expected a Tensor, got 2/ },
    ],
  },
];
