/**
 * @file Forward mode through the movement ops. Each op is linear in its tensor input, so
 * its JVP along a tangent t must equal the op applied to t; composed with square(), the
 * tangent is 2·f(x)·f(t).
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { applyOp } from '../../src/ops/dispatch.js';
import { indexAdd, scatterAdd } from '../../src/ops/movement/scatterAdd.js';
import { expectClose, randomTensor } from '../helpers/tensors.js';

const i32 = (data: fg.NestedArray) => fg.tensor(data, { dtype: 'int32' });

const cases: [string, number[], (x: fg.Tensor) => fg.Tensor][] = [
  ['permute', [2, 3, 2], (x) => fg.permute(x, [-1, 0, 1])],
  ['transpose', [2, 3], (x) => fg.transpose(x)],
  ['squeeze', [1, 3, 1], (x) => fg.squeeze(x)],
  ['unsqueeze', [2, 3], (x) => fg.unsqueeze(x, 1)],
  ['slice', [3, 5], (x) => fg.slice(x, -1, 1, null, 2)],
  ['slice of a transposed view', [3, 5], (x) => fg.slice(x.transpose(), 0, 1, -1)],
  ['concat', [2, 3], (x) => fg.concat([x, fg.ones([2, 1], { dtype: 'float64' }), x], 1)],
  ['stack', [2, 3], (x) => fg.stack([x, x.mul(2)], -1)],
  ['gather', [3, 4], (x) => fg.gather(x, 1, i32([[0, 3], [2, 2], [1, 0]]))],
  ['indexSelect', [3, 4], (x) => fg.indexSelect(x, 0, i32([2, 0, 2]))],
  ['scatterAdd', [2, 3], (x) => scatterAdd(fg.zeros([2, 4], { dtype: 'float64' }), 1, i32([[3, 3], [0, 1]]), x)],
  ['indexAdd', [2, 3], (x) => indexAdd(fg.zeros([3, 3], { dtype: 'float64' }), 0, i32([2, 2]), x)],
  ['sliceBackward', [3, 2], (x) => applyOp('sliceBackward', [x], { dim: 1, start: 1, end: 5, step: 2, size: 6 })[0]],
];

describe.each(cases)('jvp of %s', (_name, shape, f) => {
  const x = randomTensor(shape, 7);
  const t = randomTensor(shape, 8);

  it('is the op applied to the tangent', () => {
    const [y, dy] = fg.jvp(f, [x], [t]);
    expectClose(y.toArray(), f(x).toArray(), 1e-12);
    // The constant parts (ones, zeros) have no tangent: subtract f(0) to keep only the linear part.
    const linear = f(t).sub(f(fg.zeros(shape, { dtype: 'float64' })));
    expectClose(dy.toArray(), linear.toArray(), 1e-12);
  });

  it('composes with a nonlinear op', () => {
    const [, dy] = fg.jvp((v) => f(v).square(), [x], [t]);
    const linear = f(t).sub(f(fg.zeros(shape, { dtype: 'float64' })));
    expectClose(dy.toArray(), f(x).mul(linear).mul(2).toArray(), 1e-12);
  });
});

it('forward over reverse: jvp of a gather gradient', () => {
  const idx = i32([[1, 1, 0]]);
  const gradOf = (v: fg.Tensor) => fg.autograd.grad(fg.gather(v, 1, idx).pow(3).sum(), [v], { createGraph: true })[0];
  const x = fg.tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
  const [g, dg] = fg.jvp(gradOf, [x], [fg.tensor([[1, 1]], { dtype: 'float64' })]);
  expect(g.toArray()).toEqual([[3, 24]]);
  // d/dx of 3x² summed over the picks: 6·1 once for x0, 6·2 twice for x1.
  expect(dg.toArray()).toEqual([[6, 24]]);
});
