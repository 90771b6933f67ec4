/**
 * @file The movement ops that are views share their input's storage (and see writes to it);
 * contiguous() on a non-contiguous view copies, and ops read views at their strides.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';

const grid = () => fg.arange(0, 12, { dtype: 'float64' }).reshape([3, 4]);

describe('views share storage with their input', () => {
  const cases: [string, (x: fg.Tensor) => fg.Tensor][] = [
    ['permute', (x) => fg.permute(x, [1, 0])],
    ['transpose', (x) => x.transpose()],
    ['transpose of a 1-d tensor', (x) => fg.transpose(fg.reshape(x, [12]))],
    ['slice', (x) => fg.slice(x, 1, 1, null, 2)],
    ['slice of rows', (x) => x.slice(0, 1)],
    ['squeeze', (x) => fg.squeeze(fg.reshape(x, [1, 3, 4, 1]))],
    ['unsqueeze', (x) => fg.unsqueeze(x, -1)],
    ['unsqueeze of a transposed view', (x) => fg.unsqueeze(x.transpose(), 1)],
    ['squeeze of a strided slice', (x) => fg.squeeze(fg.slice(x, 1, 2, 3))],
  ];
  it.each(cases)('%s', (_name, op) => {
    const x = grid();
    const y = op(x);
    expect(y.storage).toBe(x.storage);
  });

  it('a write to the input shows through a transposed slice', () => {
    const x = grid();
    const y = fg.slice(x.transpose(), 0, 1, 3);
    fg.noGrad(() => x.fill_(2));
    expect(y.toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
  });

  it('a slice view has the right offset and strides', () => {
    const y = fg.slice(grid(), 1, 1, null, 2);
    expect(y.offset).toBe(1);
    expect(y.strides).toEqual([4, 2]);
    expect(y.toArray()).toEqual([[1, 3], [5, 7], [9, 11]]);
  });
});

describe('contiguous', () => {
  it('copies a transposed tensor into fresh row-major storage', () => {
    const x = grid();
    const t = x.transpose();
    expect(t.isContiguous()).toBe(false);
    const c = t.contiguous();
    expect(c.storage).not.toBe(x.storage);
    expect(c.isContiguous()).toBe(true);
    expect(c.toArray()).toEqual(t.toArray());
    expect(Array.from(c.storage.data)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('returns a contiguous tensor itself', () => {
    const x = grid();
    expect(x.contiguous()).toBe(x);
  });
});

describe('ops read non-contiguous inputs at their strides', () => {
  it('concat and gather of transposed views', () => {
    const t = grid().transpose();
    expect(fg.concat([t, t], 1).toArray()[1]).toEqual([1, 5, 9, 1, 5, 9]);
    const idx = fg.tensor([[2, 0], [1, 1]], { dtype: 'int32' });
    expect(fg.gather(t, 1, idx).toArray()).toEqual([[8, 0], [5, 5]]);
    expect(fg.gather(t, 1, idx.transpose()).toArray()).toEqual([[8, 4], [1, 5]]);
    expect(fg.indexSelect(t, 1, fg.tensor([2, 0], { dtype: 'int32' }).slice(0, 0, null, 1)).toArray()).toEqual([[8, 0], [9, 1], [10, 2], [11, 3]]);
  });
});

describe('gradients', () => {
  it('the index input of gather gets no gradient and needs none', () => {
    const x = grid().requiresGrad_();
    const idx = fg.tensor([[0, 3, 3]], { dtype: 'int32' });
    fg.gather(x, 1, idx).sum().backward();
    expect(idx.grad).toBe(null);
    expect(x.grad!.toArray()).toEqual([[1, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  it('indexSelect accumulates repeated rows', () => {
    const x = grid().requiresGrad_();
    fg.indexSelect(x, 0, fg.tensor([2, 2, 0], { dtype: 'int32' })).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 1, 1, 1], [0, 0, 0, 0], [2, 2, 2, 2]]);
  });

  it('concat splits the gradient back into its inputs', () => {
    const a = fg.ones([2, 1], { dtype: 'float64', requiresGrad: true });
    const b = fg.ones([2, 2], { dtype: 'float64', requiresGrad: true });
    fg.concat([a, b], 1).mul(fg.tensor([1, 2, 3], { dtype: 'float64' })).sum().backward();
    expect(a.grad!.toArray()).toEqual([[1], [1]]);
    expect(b.grad!.toArray()).toEqual([[2, 3], [2, 3]]);
  });

  it('second derivative through slice is sliceBackward of slice', () => {
    const x = fg.tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const [g] = fg.autograd.grad(fg.slice(x, 0, 1, 3).pow(3).sum(), [x], { createGraph: true });
    expect(g.toArray()).toEqual([0, 12, 27, 0]);
    const [h] = fg.autograd.grad(g.sum(), [x]);
    expect(h.toArray()).toEqual([0, 12, 18, 0]);
  });
});
