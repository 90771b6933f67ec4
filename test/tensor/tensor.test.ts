/** @file Tensor: properties, reading values out (also from strided views), printing, and storage sharing. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { makeView } from '../../src/kernels/reference/views.js';
import { expectFlowgradError } from '../helpers/tensors.js';

/** [[0, 1, 2], [3, 4, 5]] read as its transpose, through strides alone. */
const transposed = () => makeView(fg.arange(0, 6, 1, { dtype: 'float32' }).reshape([2, 3]), [3, 2], [1, 3]);

describe('shape, ndim, size', () => {
  it('describe the tensor', () => {
    const t = fg.zeros([2, 3, 4]);
    expect([t.shape, t.ndim, t.size, t.dtype, t.device]).toEqual([[2, 3, 4], 3, 24, 'float32', 'cpu']);
    expect(t.strides).toEqual([12, 4, 1]);
  });

  it('a 0-d tensor has ndim 0 and size 1; an empty one size 0', () => {
    const s = fg.tensor(5);
    expect([s.shape, s.ndim, s.size]).toEqual([[], 0, 1]);
    expect(fg.zeros([3, 0]).size).toBe(0);
  });

  it('every tensor gets a distinct id', () => {
    expect(fg.zeros([1]).id).not.toBe(fg.zeros([1]).id);
  });
});

describe('toArray, item, dataSync', () => {
  it('toArray gives nested arrays, a number for 0-d, booleans for bool', () => {
    expect(fg.tensor([[1, 2], [3, 4]]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(fg.tensor(3).toArray()).toBe(3);
    expect(fg.tensor([true, false]).toArray()).toEqual([true, false]);
    expect(fg.zeros([2, 0, 3]).toArray()).toEqual([[], []]);
  });

  it('item reads one-element tensors of any rank', () => {
    expect(fg.tensor([[7]]).item()).toBe(7);
    expect(fg.tensor(7, { dtype: 'int32' }).item()).toBe(7);
    expect(fg.tensor(true).item()).toBe(true);
  });

  it('item on several elements is a ValueError naming item', () => {
    expectFlowgradError(() => fg.tensor([1, 2]).item(), /^item: argument 'self' expected a tensor with one element, got a tensor of shape \[2\]/);
    expect(() => fg.zeros([0]).item()).toThrow(fg.ValueError);
  });

  it('dataSync returns a copy of the right TypedArray kind', () => {
    const t = fg.tensor([1, 2]);
    const d = t.dataSync();
    expect(d).toBeInstanceOf(Float32Array);
    d[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
    expect(fg.tensor([1], { dtype: 'int32' }).dataSync()).toBeInstanceOf(Int32Array);
    expect(fg.tensor([1], { dtype: 'float64' }).dataSync()).toBeInstanceOf(Float64Array);
    expect(fg.tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
  });

  it('read strided views in logical (row-major) order', () => {
    const t = transposed();
    expect(t.isContiguous()).toBe(false);
    expect(t.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect([...t.dataSync()]).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('read views with an offset', () => {
    const base = fg.tensor([0, 1, 2, 3, 4, 5]);
    const tail = makeView(base, [2, 2], [2, 1], 2);
    expect(tail.toArray()).toEqual([[2, 3], [4, 5]]);
    expect([...tail.dataSync()]).toEqual([2, 3, 4, 5]);
    expect(makeView(base, [], [], 4).item()).toBe(4);
  });

  it('read expanded (stride-0) views and reshapes of them', () => {
    const e = fg.tensor([1, 2]).expand([3, 2]);
    expect(e.strides).toEqual([0, 1]);
    expect(e.toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect([...e.dataSync()]).toEqual([1, 2, 1, 2, 1, 2]);
    const col = fg.tensor([[1], [2]]).expand([2, 3]);
    expect(col.reshape([6]).toArray()).toEqual([1, 1, 1, 2, 2, 2]);
    expect(col.reshape([3, 2]).toArray()).toEqual([[1, 1], [1, 2], [2, 2]]);
    expect(col.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
  });

  it('valueOf turns a one-element tensor into a number', () => {
    expect(+fg.tensor([7])).toBe(7);
    expect(fg.tensor(2) > fg.tensor(1)).toBe(true);
    expect(() => +fg.tensor([7, 8])).toThrow(fg.FlowgradError);
  });
});

describe('toString', () => {
  it('shows values, shape and dtype', () => {
    expect(String(fg.tensor([[1, 2], [3, 4]]))).toBe('Tensor([[1,2],[3,4]], shape=[2, 2], dtype=float32)');
    expect(String(fg.tensor(3, { dtype: 'int32' }))).toBe('Tensor(3, shape=[], dtype=int32)');
    expect(String(fg.tensor([true]))).toBe('Tensor([true], shape=[1], dtype=bool)');
  });

  it('shows NaN and infinities (not JSON nulls)', () => {
    expect(String(fg.tensor([NaN, Infinity, -Infinity]))).toBe('Tensor([NaN,Infinity,-Infinity], shape=[3], dtype=float32)');
  });

  it('summarises large tensors', () => {
    expect(String(fg.zeros([10, 10]))).toBe('Tensor(<100 elements>, shape=[10, 10], dtype=float32)');
  });

  it('shows requiresGrad on leaves and gradFn on results', () => {
    const x = fg.tensor([1], { requiresGrad: true });
    expect(String(x)).toBe('Tensor([1], shape=[1], dtype=float32, requiresGrad=true)');
    expect(String(x.mul(2))).toBe('Tensor([2], shape=[1], dtype=float32, gradFn=MulBackward)');
  });

  it('reads strided views', () => {
    expect(String(transposed())).toBe('Tensor([[0,3],[1,4],[2,5]], shape=[3, 2], dtype=float32)');
  });
});

describe('views and storage', () => {
  it('reshape of a contiguous tensor shares storage', () => {
    const t = fg.tensor([[1, 2], [3, 4]]);
    const r = t.reshape([4]);
    expect(r.storage).toBe(t.storage);
    expect(fg.view(t, [4, 1]).storage).toBe(t.storage);
  });

  it('writes through a view reach the base', () => {
    const t = fg.tensor([1, 2, 3, 4]);
    t.reshape([2, 2]).add_(10);
    expect(t.toArray()).toEqual([11, 12, 13, 14]);
  });

  it('reshape of an expanded (stride-0) tensor copies, view refuses', () => {
    const e = fg.tensor([[1], [2]]).expand([2, 3]);
    const r = e.reshape([6]);
    expect(r.storage).not.toBe(e.storage);
    expect(r.isContiguous()).toBe(true);
    expect(() => e.view([6])).toThrow(fg.ValueError);
  });

  it('expand shares storage', () => {
    const t = fg.tensor([1, 2]);
    expect(t.expand([3, 2]).storage).toBe(t.storage);
  });

  it('reshape of a transposed view copies; the copy is independent', () => {
    const t = transposed();
    const r = t.reshape([6]);
    expect(r.storage).not.toBe(t.storage);
    expect(r.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('detach shares storage, makes a leaf and does not require grad', () => {
    const x = fg.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.storage).toBe(y.storage);
    expect([d.requiresGrad, d.isLeaf, d.gradFn]).toEqual([false, true, null]);
    const plain = fg.tensor([1, 2]);
    plain.detach().add_(1);
    expect(plain.toArray()).toEqual([2, 3]);
  });

  it('contiguous() returns a contiguous tensor itself, and copies a strided one', () => {
    const t = fg.tensor([1, 2]);
    expect(t.contiguous()).toBe(t);
    const c = transposed().contiguous();
    expect(c.isContiguous()).toBe(true);
    expect(c.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  it('clone copies into fresh storage', () => {
    const t = fg.tensor([1, 2]);
    const c = t.clone();
    expect(c.storage).not.toBe(t.storage);
    c.add_(1);
    expect(t.toArray()).toEqual([1, 2]);
  });
});
