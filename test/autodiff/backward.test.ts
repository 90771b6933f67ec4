/**
 * @file The backward engine: retaining and freeing the graph, seeds for non-scalar outputs,
 * retainGrad, and higher-order gradients through createGraph.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectClose, expectFlowgradError } from '../helpers/tensors.js';

const leaf = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64', requiresGrad: true });
const f64 = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64' });

describe('freeing the graph', () => {
  it('a second backward without retainGraph throws an AutogradError that mentions retainGraph', () => {
    const x = leaf(3);
    const y = x.mul(x);
    y.backward();
    expectFlowgradError(() => y.backward(), /MulBackward: trying to backward through the graph a second time .*Pass \{ retainGraph: true \}/);
  });

  it('retainGraph keeps it for as many passes as asked', () => {
    const x = leaf(3);
    const y = x.exp();
    y.backward({ retainGraph: true });
    y.backward({ retainGraph: true });
    y.backward(null, { retainGraph: true });
    expect(x.grad!.item()).toBeCloseTo(3 * Math.exp(3), 12);
  });

  it('a new graph built from the same leaves is independent of a freed one', () => {
    const x = leaf(3);
    x.mul(x).backward();
    x.mul(x).backward();
    expect(x.grad!.item()).toBe(12);
  });

  it('backward through a shared subgraph frees it for the other branch too', () => {
    const x = leaf(2);
    const h = x.exp();
    const a = h.mul(2);
    const b = h.mul(3);
    a.backward();
    expect(() => b.backward()).toThrow(fg.AutogradError);
  });
});

describe('seeds for backward', () => {
  it('a non-scalar output without a gradient is an error', () => {
    const x = leaf([1, 2]);
    expectFlowgradError(() => x.mul(2).backward(), /backward: a gradient can be created implicitly only for one-element outputs; output 0 has shape \[2\]/);
  });

  it('a one-element non-scalar output gets an implicit seed', () => {
    const x = leaf([[2]]);
    x.mul(x).backward();
    expect(x.grad!.toArray()).toEqual([[4]]);
  });

  it('a gradient tensor weighs each output element', () => {
    const x = leaf([1, 2]);
    x.mul(x).backward(f64([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 40]);
  });

  it('a gradient of another dtype is cast, so .grad keeps the leaf\'s dtype', () => {
    const x = fg.tensor([1, 2], { requiresGrad: true });
    x.mul(2).backward(f64([1, 1]));
    expect([x.grad!.dtype, x.grad!.toArray()]).toEqual(['float32', [2, 2]]);
    const y = leaf([1, 2]);
    y.mul(2).backward(fg.tensor([1, 1], { dtype: 'int32' }));
    expect([y.grad!.dtype, y.grad!.toArray()]).toEqual(['float64', [2, 2]]);
  });

  it('a gradient of the wrong shape is a ShapeError', () => {
    const x = leaf([1, 2]);
    expectFlowgradError(() => x.mul(2).backward(f64([1, 1, 1])), /^backward: argument 'gradient' expected shape \[2\], got \[3\]/);
    expect(() => x.mul(2).backward(f64([[1, 1]]))).toThrow(fg.ShapeError);
  });

  it('a gradient that is neither a tensor nor options is a ValueError', () => {
    const x = leaf([1]);
    expectFlowgradError(() => x.mul(2).backward('a' as never), /^backward: argument 'gradient' expected a Tensor or an options object, got "a"/);
    expectFlowgradError(() => x.mul(2).backward(5 as never), /got 5/);
  });

  it('backward on a tensor that does not require grad is an AutogradError', () => {
    expectFlowgradError(() => f64(1).mul(2).backward(), /backward: output 0 does not require grad/);
    expectFlowgradError(() => fg.noGrad(() => leaf(1).mul(2)).backward(), /does not require grad/);
  });

  it('fg.autograd.backward is the same as the method', () => {
    const x = leaf(2);
    fg.autograd.backward(x.mul(x));
    expect(x.grad!.item()).toBe(4);
  });
});

describe('retainGrad', () => {
  it('stores a non-leaf gradient in .grad', () => {
    const x = leaf([1, 2]);
    const y = x.mul(3);
    expect(y.retainGrad()).toBe(y);
    expect(y.retainsGrad).toBe(true);
    y.mul(y).sum().backward();
    expect(y.grad!.toArray()).toEqual([6, 12]);
    expect(x.grad!.toArray()).toEqual([18, 36]);
  });

  it('non-leaves do not keep their gradient without it', () => {
    const x = leaf([1, 2]);
    const y = x.mul(3);
    y.sum().backward();
    expect(y.grad).toBeNull();
  });

  it('accumulates across backward calls, like a leaf', () => {
    const x = leaf(2);
    const y = x.mul(2);
    y.retainGrad();
    const z = y.mul(3);
    z.backward({ retainGraph: true });
    z.backward();
    expect(y.grad!.item()).toBe(6);
  });

  it('on a leaf is harmless, and on a tensor without grad an error', () => {
    const x = leaf(2);
    x.retainGrad();
    x.mul(2).backward();
    expect(x.grad!.item()).toBe(2);
    expect(() => f64(1).retainGrad()).toThrow(fg.AutogradError);
  });
});

describe('createGraph and higher-order gradients', () => {
  it('d²/dx² of x³ at 2 is 12, by backward twice', () => {
    const x = leaf(2);
    x.pow(3).backward({ createGraph: true });
    const g = x.grad!;
    expect(g.item()).toBe(12);
    expect(g.requiresGrad).toBe(true);
    x.grad = null;
    g.backward();
    expect(x.grad!.item()).toBe(12);
  });

  it('d²/dx² of x³ at 3 is 18, by autograd.grad twice', () => {
    const x = leaf(3);
    const [g] = fg.autograd.grad(x.mul(x).mul(x), x, { createGraph: true });
    const [h] = fg.autograd.grad(g, x);
    expect([g.item(), h.item()]).toEqual([27, 18]);
  });

  it('grad of grad of tanh is −2·tanh·(1 − tanh²)', () => {
    const x = leaf(0.5);
    const [g] = fg.autograd.grad(x.tanh(), x, { createGraph: true });
    const [h] = fg.autograd.grad(g, x);
    const t = Math.tanh(0.5);
    expect(g.item()).toBeCloseTo(1 - t * t, 14);
    expect(h.item()).toBeCloseTo(-2 * t * (1 - t * t), 14);
  });

  it('third derivatives compose: d³/dx³ of sin is −cos', () => {
    const x = leaf(0.3);
    const [g1] = fg.autograd.grad(x.sin(), x, { createGraph: true });
    const [g2] = fg.autograd.grad(g1, x, { createGraph: true });
    const [g3] = fg.autograd.grad(g2, x);
    expect(g3.item()).toBeCloseTo(-Math.cos(0.3), 14);
  });

  it('mixed partials: d/dy (d/dx x²y) = 2x', () => {
    const x = leaf(3);
    const y = leaf(5);
    const [gx] = fg.autograd.grad(x.mul(x).mul(y), x, { createGraph: true });
    const [gxy] = fg.autograd.grad(gx, y);
    expect(gxy.item()).toBe(6);
  });

  it('without createGraph the gradient is a constant', () => {
    const x = leaf(2);
    const [g] = fg.autograd.grad(x.pow(3), x);
    expect([g.requiresGrad, g.gradFn]).toEqual([false, null]);
  });

  it('createGraph implies retainGraph', () => {
    const x = leaf(2);
    const y = x.pow(3);
    y.backward({ createGraph: true });
    y.backward();
    expectClose(x.grad!.item(), 24);
  });

  it('a gradient penalty trains through the gradient (WGAN-GP style)', () => {
    const w = leaf([1, 2]);
    const x = leaf([3, 4]);
    const out = w.mul(x).sum();
    const [gx] = fg.autograd.grad(out, x, { createGraph: true });
    gx.mul(gx).sum().backward();
    // gx = w, so d/dw Σ w² = 2w
    expect(w.grad!.toArray()).toEqual([2, 4]);
  });
});
