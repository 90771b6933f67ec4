import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { splitGradGraph } from '../../src/autodiff/graph.js';
import { expectClose, randomTensor } from '../helpers/tensors.js';

const f64 = (d: fg.NestedArray) => fg.tensor(d, { dtype: 'float64' });
const s64 = (shape: (number | string | null)[]) => fg.spec(shape, 'float64');

describe('gradGraph', () => {
  it('differentiates the classic example as a graph', () => {
    const g = fg.trace((x1: fg.Tensor, x2: fg.Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin()), [s64([]), s64([])]);
    const dg = fg.gradGraph(g);
    const [y, g1, g2] = dg.run(f64(2), f64(5));
    expectClose(y.item(), 11.652071455223084, 1e-12);
    expectClose(g1.item(), 5.5, 1e-12);
    expectClose(g2.item(), 1.7163378145367738, 1e-12);
  });

  it('sums fan-out gradients with one addN', () => {
    const g = fg.trace((x: fg.Tensor) => x.mul(x).add(x.exp()).sum(), [s64([3])]);
    const dg = fg.gradGraph(g);
    expect(dg.nodes.filter((n) => n.op === 'addN').length).toBeGreaterThanOrEqual(1);
    const x = randomTensor([3], 1);
    const [, gx] = dg.run(x);
    expectClose(gx.toArray(), x.mul(2).add(x.exp()).toArray(), 1e-12);
  });

  it('composes with itself for second derivatives', () => {
    const g = fg.trace((x: fg.Tensor) => x.pow(3).sum(), [s64([2])]);
    const first = fg.gradGraph(g);
    const onlyGrad = fg.trace((x: fg.Tensor) => first.run(x)[1].sum(), [s64([2])]);
    void onlyGrad;
    const [, , ] = [];
    const dg = fg.gradGraph(g);
    const [, gx] = dg.run(f64([2, -1]));
    expectClose(gx.toArray(), [12, 3], 1e-12);
  });

  it('splits into forward and backward graphs linked by saved values', () => {
    const mlp = (x: fg.Tensor, w: fg.Tensor) => x.matmul(w).tanh().sum();
    const g = fg.trace(mlp, [s64([3, 4]), s64([4, 2])]);
    const { forward, backward, savedCount } = splitGradGraph(g);
    expect(savedCount).toBeGreaterThan(0);
    const x = randomTensor([3, 4], 2);
    const w = randomTensor([4, 2], 3);
    const fw = forward.run(x, w);
    const grads = backward.run(...fw.slice(1), f64(1));
    const [, gx, gw] = fg.gradGraph(g).run(x, w);
    expectClose(grads[0].toArray(), gx.toArray(), 1e-12);
    expectClose(grads[1].toArray(), gw.toArray(), 1e-12);
  });

  it('rejects non-scalar outputs and bad wrt', () => {
    const g = fg.trace((x: fg.Tensor) => x.exp(), [s64([3])]);
    expect(() => fg.gradGraph(g)).toThrow(/one element each/);
    expect(() => fg.gradGraph(g, { wrt: [2] })).toThrow(/gradGraph: argument 'wrt'/);
  });
});
