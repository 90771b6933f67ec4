/** @file Op table rows: shape and movement ops. */
import * as fg from '../../../src/index.js';
import { randomTensor } from '../../helpers/tensors.js';
import type { OpRow } from '../opTable.js';

const f64 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'float64' });

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
      { call: () => fg.reshape(fg.ones([2, 3]), [4, 2]), message: /reshape: argument 'shape' expected shape a shape with 6 elements, got \[4, 2\]/ },
      { call: () => fg.reshape(fg.ones([2, 3]), [-1, -1]), message: /reshape: argument 'shape' expected an array of non-negative integers \(one may be -1\)/ },
      { call: () => fg.expand(fg.ones([2, 3]), [4, 3]), message: /expand: argument 'shape' expected shape a shape that \[2, 3\] broadcasts to, got \[4, 3\]/ },
      { call: () => fg.reshape(fg.ones([2]), 'x' as never), message: /reshape: argument 'shape' expected an array/ },
    ],
  },
];
