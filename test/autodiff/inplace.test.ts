/**
 * @file In-place ops (add_ sub_ mul_ div_ copy_ zero_ fill_): results, views, and their
 * interplay with autograd (leaves, noGrad, the version counter of saved tensors).
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { makeView } from '../../src/kernels/reference/views.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const f64 = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64' });
const leaf = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64', requiresGrad: true });

describe('results', () => {
  it('add_, sub_, mul_, div_ with numbers and tensors, returning self', () => {
    const x = fg.tensor([4, 8]);
    expect(x.add_(2)).toBe(x);
    expect(x.toArray()).toEqual([6, 10]);
    x.sub_(fg.tensor([1, 2])).mul_(2).div_(fg.tensor(2));
    expect(x.toArray()).toEqual([5, 8]);
  });

  it('broadcast the other operand over self', () => {
    const x = fg.tensor([[1, 2], [3, 4]]);
    x.mul_(fg.tensor([10, 100]));
    expect(x.toArray()).toEqual([[10, 200], [30, 400]]);
  });

  it('fill_ and zero_', () => {
    const x = fg.tensor([4, 8]);
    expect(x.fill_(7).toArray()).toEqual([7, 7]);
    expect(x.zero_().toArray()).toEqual([0, 0]);
    const b = fg.tensor([false, false]);
    expect(b.fill_(true).toArray()).toEqual([true, true]);
  });

  it('copy_ broadcasts and converts the source', () => {
    const x = fg.zeros([2, 3]);
    x.copy_(fg.tensor([1, 2, 3]));
    expect(x.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    const i = fg.zeros([2], { dtype: 'int32' });
    i.copy_(fg.tensor([1.7, -2.5]));
    expect([i.toArray(), i.dtype]).toEqual([[1, -2], 'int32']);
  });

  it('exist as free functions', () => {
    const x = fg.tensor([1]);
    fg.add_(x, 2);
    fg.mul_(x, 3);
    fg.sub_(x, 1);
    fg.div_(x, 4);
    expect(x.toArray()).toEqual([2]);
    fg.copy_(x, fg.tensor([5]));
    fg.fill_(x, 6);
    expect(x.toArray()).toEqual([6]);
    fg.zero_(x);
    expect(x.toArray()).toEqual([0]);
  });

  it('write through strided views into the base tensor', () => {
    const base = fg.tensor([[1, 2, 3], [4, 5, 6]]);
    const columns = makeView(base, [3, 2], [1, 3]); // the transpose
    columns.add_(fg.tensor([10, 20]));
    expect(base.toArray()).toEqual([[11, 12, 13], [24, 25, 26]]);
    const middle = makeView(base, [2], [3], 1); // column 1
    middle.fill_(0);
    expect(base.toArray()).toEqual([[11, 0, 13], [24, 0, 26]]);
    base.reshape([6]).mul_(2);
    expect(base.toArray()).toEqual([[22, 0, 26], [48, 0, 52]]);
  });

  it('refuse to write into an expanded (stride-0) view, where elements share memory', () => {
    const e = fg.tensor([[1], [2]]).expand([2, 3]);
    expectFlowgradError(() => e.add_(1), /^add_: argument 'self' expected a tensor whose elements do not share memory .*, got a view of shape \[2, 3\] with strides \[1, 0\]/);
    expectFlowgradError(() => e.copy_(fg.tensor([1, 2, 3])), /^copy_: argument 'self' expected a tensor whose elements do not share memory/);
    expect(() => fg.tensor([5]).expand([1]).fill_(0)).not.toThrow(); // size-1 dims alias nothing
  });

  it('keep self\'s dtype: an int32 tensor cannot take a float result', () => {
    const i = fg.tensor([1, 2], { dtype: 'int32' });
    expectFlowgradError(() => i.add_(1.5), /^add_: argument 'self' expected dtype float32 \(the result's dtype, which cannot be written back into self; use the out-of-place op\), got int32/);
    expect(() => i.div_(2)).toThrow(fg.DTypeError);
    expect(() => fg.tensor([true]).add_(1)).toThrow(fg.DTypeError);
    expect(i.toArray()).toEqual([1, 2]);
    expect(i.add_(1).toArray()).toEqual([2, 3]);
    const f = fg.tensor([1.5]);
    f.add_(fg.tensor([1], { dtype: 'float64' })); // float64 into float32 is a float, so allowed
    expect(f.toArray()).toEqual([2.5]);
  });

  it('reject results that do not fit self\'s shape', () => {
    expectFlowgradError(() => fg.zeros([3]).add_(fg.zeros([2, 3])), /^add_: argument 'other' expected shape broadcastable to \[3\] \(in-place results keep self's shape\), got \[2, 3\]/);
    expectFlowgradError(() => fg.zeros([2, 3]).copy_(fg.tensor([1, 2])), /^copy_: argument 'other' expected shape broadcastable with \[2, 3\], got \[2\]/);
  });

  it('reject bad arguments, naming the in-place op', () => {
    expectFlowgradError(() => fg.zeros([2]).add_('a' as never), /^add_: argument 'other' expected a Tensor or a number, got "a"/);
    expectFlowgradError(() => fg.zeros([2]).mul_(undefined as never), /^mul_: argument 'other' expected a Tensor or a number, got undefined/);
    expectFlowgradError(() => fg.zeros([2]).copy_([1, 2] as never), /^copy_: argument 'src' expected a Tensor, got an array of length 2/);
    expectFlowgradError(() => fg.zeros([2]).fill_('a' as never), /^fill_: argument 'value' expected a number or boolean, got "a"/);
    expectFlowgradError(() => fg.add_(undefined as never, 1), /^add_: argument 'self' expected a Tensor, got undefined/);
    expectFlowgradError(() => fg.zero_('x' as never), /^zero_: argument 'self' expected a Tensor, got "x"/);
  });
});

describe('autograd', () => {
  it('on a leaf that requires grad: AutogradError outside noGrad, allowed inside', () => {
    const w = leaf([1, 2]);
    expectFlowgradError(() => w.add_(1), /^add_: in-place op on a tensor that requires grad \(a leaf\); wrap it in fg.noGrad/);
    expect(() => w.zero_()).toThrow(fg.AutogradError);
    expect(w.toArray()).toEqual([1, 2]);
    fg.noGrad(() => w.sub_(1));
    expect([w.toArray(), w.requiresGrad, w.isLeaf]).toEqual([[0, 1], true, true]);
  });

  it('on a non-leaf that requires grad: also refused', () => {
    const y = leaf([1]).mul(2);
    expectFlowgradError(() => y.add_(1), /^add_: in-place op on a tensor that requires grad; wrap it/);
  });

  it('an SGD step: gradients, then an in-place update under noGrad, then train on', () => {
    const w = leaf([1, 2]);
    w.mul(w).sum().backward();
    fg.noGrad(() => {
      w.sub_(w.grad!.mul(0.25));
      w.grad!.zero_();
    });
    expect([w.toArray(), w.grad!.toArray()]).toEqual([[0.5, 1], [0, 0]]);
    w.mul(w).sum().backward();
    expect(w.grad!.toArray()).toEqual([1, 2]);
  });

  it('modifying a tensor saved for backward, then calling backward, is an AutogradError (version counter)', () => {
    const x = leaf([1, 2]);
    const s = f64([3, 4]);
    const y = x.mul(s);
    s.mul_(2);
    expectFlowgradError(() => y.sum().backward(), /MulBackward: a tensor of shape \[2\] needed for the gradient was modified by an in-place op \(version 1, saved at 0\)/);
  });

  it('a modification through a view or a detached alias is caught too', () => {
    const x = leaf([1, 2]);
    const s = f64([3, 4]);
    const y = x.mul(s);
    s.reshape([2, 1]).add_(1);
    expect(() => y.sum().backward()).toThrow(fg.AutogradError);
    const e = x.exp();
    e.detach().zero_();
    expectFlowgradError(() => e.sum().backward(), /ExpBackward: a tensor of shape \[2\] needed for the gradient was modified/);
  });

  it('modifying a tensor that backward does not need is fine', () => {
    const x = leaf([1, 2]);
    const s = f64([3, 4]);
    const y = x.add(s);
    const unrelated = f64([0]);
    unrelated.add_(1);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });
});
