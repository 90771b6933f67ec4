/**
 * @file The eager tape: the classic examples, gradFn names, leaves and requiresGrad,
 * accumulation into .grad, fan-out, noGrad and detach.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const leaf = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64', requiresGrad: true });

/** f(x1, x2) = ln(x1) + x1·x2 − sin(x2), DESIGN.md's worked example. */
const f = (x1: fg.Tensor, x2: fg.Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());
const F_AT_2_5 = 11.652071455223084;
const DF_DX1 = 5.5;
const DF_DX2 = 1.7163378145367738;

describe('the classic examples', () => {
  it('f(x1, x2) = ln(x1) + x1*x2 − sin(x2) at (2, 5) by the tape', () => {
    const x1 = leaf(2);
    const x2 = leaf(5);
    const y = f(x1, x2);
    y.backward();
    expect(y.item()).toBe(F_AT_2_5);
    expect(x1.grad!.item()).toBe(DF_DX1);
    expect(x2.grad!.item()).toBe(DF_DX2);
  });

  it('the same in float32 agrees to float32 precision', () => {
    const x1 = fg.tensor(2, { requiresGrad: true });
    const x2 = fg.tensor(5, { requiresGrad: true });
    const y = f(x1, x2);
    y.backward();
    expect(y.item()).toBeCloseTo(F_AT_2_5, 5);
    expect(x1.grad!.item()).toBeCloseTo(DF_DX1, 5);
    expect(x2.grad!.item()).toBeCloseTo(DF_DX2, 5);
    expect(x1.grad!.dtype).toBe('float32');
  });

  it('f by fg.autograd.grad', () => {
    const x1 = leaf(2);
    const x2 = leaf(5);
    const [g1, g2] = fg.autograd.grad(f(x1, x2), [x1, x2]);
    expect([g1.item(), g2.item()]).toEqual([DF_DX1, DF_DX2]);
    expect([x1.grad, x2.grad]).toEqual([null, null]);
  });

  it('f by fg.jvp, one pass per input tangent', () => {
    const at = () => [fg.tensor(2, { dtype: 'float64' }), fg.tensor(5, { dtype: 'float64' })];
    const one = fg.tensor(1, { dtype: 'float64' });
    const zero = fg.tensor(0, { dtype: 'float64' });
    const [y, dy1] = fg.jvp(f, at(), [one, zero]);
    const [, dy2] = fg.jvp(f, at(), [zero, one]);
    expect(y.item()).toBe(F_AT_2_5);
    expect(dy1.item()).toBe(DF_DX1);
    expect(dy2.item()).toBe(DF_DX2);
  });

  it('loss = ((x+1) − 2x)^2 at x = 3: grad 4, then 8 after a second backward with retainGraph', () => {
    const x = fg.tensor(3, { requiresGrad: true });
    const loss = x.add(1).sub(x.mul(2)).pow(2);
    expect(loss.item()).toBe(4);
    loss.backward({ retainGraph: true });
    expect(x.grad!.item()).toBe(4);
    loss.backward();
    expect(x.grad!.item()).toBe(8);
    // The second backward ran without retainGraph, so the graph is now freed.
    expectFlowgradError(() => loss.backward(), /PowBackward: trying to backward through the graph a second time.*retainGraph: true/);
    expect(() => loss.backward()).toThrow(fg.AutogradError);
  });
});

describe('gradFn and leaves', () => {
  it('names each node after its op', () => {
    const x = leaf([1, 2]);
    expect(x.pow(2).gradFn!.name).toBe('PowBackward');
    expect(x.add(1).gradFn!.name).toBe('AddBackward');
    expect(x.sub(x).gradFn!.name).toBe('SubBackward');
    expect(x.mul(2).gradFn!.name).toBe('MulBackward');
    expect(x.div(2).gradFn!.name).toBe('DivBackward');
    expect(x.exp().gradFn!.name).toBe('ExpBackward');
    expect(x.sum().gradFn!.name).toBe('SumBackward');
    expect(x.reshape([2, 1]).gradFn!.name).toBe('ReshapeBackward');
    expect(x.float().gradFn!.name).toBe('CastBackward');
  });

  it('leaves have no gradFn; results of recorded ops are not leaves', () => {
    const x = leaf([1]);
    const y = x.mul(2);
    expect([x.isLeaf, x.gradFn]).toEqual([true, null]);
    expect([y.isLeaf, y.requiresGrad]).toEqual([false, true]);
    const c = fg.tensor([1]);
    expect([c.isLeaf, c.requiresGrad]).toEqual([true, false]);
    expect(c.mul(2).isLeaf).toBe(true);
  });

  it('results require grad when any input does', () => {
    const x = leaf([1]);
    const c = fg.tensor([2], { dtype: 'float64' });
    expect(x.mul(c).requiresGrad).toBe(true);
    expect(c.mul(c).requiresGrad).toBe(false);
  });

  it('comparisons and integer results carry no gradient', () => {
    const x = leaf([1, 2]);
    const b = x.gt(1);
    expect([b.requiresGrad, b.gradFn, b.dtype]).toEqual([false, null, 'bool']);
    const i = x.int();
    expect([i.requiresGrad, i.gradFn]).toEqual([false, null]);
  });
});

describe('requiresGrad', () => {
  it('is settable on float leaves, and requiresGrad_ returns the tensor itself', () => {
    const w = fg.zeros([2]);
    w.requiresGrad = true;
    expect(w.requiresGrad).toBe(true);
    const v = fg.zeros([2]);
    expect(v.requiresGrad_()).toBe(v);
    expect(v.requiresGrad).toBe(true);
    expect(v.requiresGrad_(false).requiresGrad).toBe(false);
  });

  it('cannot be turned on for a non-leaf (AutogradError) or an int tensor (DTypeError)', () => {
    const y = leaf([1]).mul(2);
    expectFlowgradError(() => (y.requiresGrad = true), /requiresGrad: can only be set on leaf tensors; use detach\(\)/);
    expect(() => (y.requiresGrad = true)).toThrow(fg.AutogradError);
    const i = fg.tensor([1], { dtype: 'int32' });
    expectFlowgradError(() => (i.requiresGrad = true), /requiresGrad: argument 'self' expected dtype float32 or float64/);
    expect(() => i.requiresGrad_()).toThrow(fg.DTypeError);
    expect(() => fg.tensor([true]).requiresGrad_()).toThrow(fg.DTypeError);
  });

  it('can be turned off anywhere', () => {
    const y = leaf([1]).mul(2);
    y.requiresGrad = false;
    expect(y.requiresGrad).toBe(false);
  });
});

describe('accumulation into .grad', () => {
  it('sums across backward calls until zeroGrad or grad = null', () => {
    const x = leaf(2);
    x.mul(3).backward();
    x.mul(3).backward();
    expect(x.grad!.item()).toBe(6);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    x.mul(3).backward();
    expect(x.grad!.item()).toBe(3);
    x.grad = null;
    x.mul(5).backward();
    expect(x.grad!.item()).toBe(5);
  });

  it('sums every path at fan-out: y = x·x + x·x·x', () => {
    const x = leaf(2);
    x.mul(x).add(x.mul(x).mul(x)).backward();
    expect(x.grad!.item()).toBe(2 * 2 + 3 * 2 * 2);
  });

  it('a tensor used twice in one op gets both contributions', () => {
    const x = leaf([3]);
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([6]);
  });

  it('sums a broadcast gradient back to the input shape', () => {
    const b = leaf([1, 2, 3]);
    fg.add(fg.zeros([4, 3], { dtype: 'float64' }), b).sum().backward();
    expect(b.grad!.toArray()).toEqual([4, 4, 4]);
  });

  it('stores a fresh tensor: changing .grad does not change another leaf or a later gradient', () => {
    const a = leaf([1]);
    const b = leaf([1]);
    a.add(b).sum().backward();
    fg.noGrad(() => a.grad!.add_(10));
    expect(b.grad!.toArray()).toEqual([1]);
  });

  it('backward on a leaf gives it a gradient of ones', () => {
    const x = leaf(3);
    x.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('leaves that do not require grad get no .grad', () => {
    const x = leaf([1]);
    const c = fg.tensor([2], { dtype: 'float64' });
    x.mul(c).sum().backward();
    expect(c.grad).toBeNull();
  });
});

describe('noGrad, enableGrad and detach', () => {
  it('nothing is recorded inside noGrad', () => {
    const x = leaf(2);
    const y = fg.noGrad(() => x.mul(3));
    expect([y.requiresGrad, y.gradFn, y.isLeaf]).toEqual([false, null, true]);
    expect(fg.isGradEnabled()).toBe(true);
  });

  it('noGrad returns what its function returns', () => {
    expect(fg.noGrad(() => 42)).toBe(42);
  });

  it('nests with enableGrad, and restores the mode after a throw', () => {
    const x = leaf(2);
    const [inner, outer, mode] = fg.noGrad(() => {
      const a = fg.enableGrad(() => x.mul(3));
      const b = x.mul(2);
      const nested = fg.noGrad(() => fg.enableGrad(() => fg.isGradEnabled()));
      return [a.requiresGrad, b.requiresGrad, nested];
    });
    expect([inner, outer, mode]).toEqual([true, false, true]);
    expect(() => fg.noGrad(() => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(fg.isGradEnabled()).toBe(true);
  });

  it('rejects a non-function with a ValueError', () => {
    expectFlowgradError(() => fg.noGrad(undefined as never), /^noGrad: argument 'fn' expected a function to run, got undefined/);
    expectFlowgradError(() => fg.enableGrad('x' as never), /^enableGrad: argument 'fn' expected a function to run, got "x"/);
  });

  it('detach cuts the tape: no gradient flows through it', () => {
    const x = leaf(2);
    const y = x.mul(x.detach());
    y.backward();
    expect(x.grad!.item()).toBe(2);
  });
});
