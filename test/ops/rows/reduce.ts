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
    fn: fg.sum,
    inputs: () => [f64([1])],
    gradOrder: 0,
    bad: [
      { call: () => fg.sum(fg.ones([2, 3]), 2), message: /sum: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/ },
      { call: () => fg.sum(fg.ones([2, 3]), [0, 0]), message: /sum: argument 'axis' expected distinct dims/ },
      { call: () => fg.mean(fg.ones([2]), 0, 'yes' as never), message: /mean: argument 'keepDim' expected a boolean, got "yes"/ },
    ],
  },
];
