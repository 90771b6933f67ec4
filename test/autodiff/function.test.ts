/** @file Custom autograd Functions: static forward/backward, ctx, apply. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import type { FunctionCtx } from '../../src/autodiff/function.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const leaf = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64', requiresGrad: true });
const f64 = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64' });

/** API.md's example, verbatim apart from types. */
class MyReLU extends fg.autograd.Function {
  static override forward(ctx: FunctionCtx, x: fg.Tensor) {
    ctx.saveForBackward(x);
    return x.relu();
  }
  static override backward(ctx: FunctionCtx, g: fg.Tensor) {
    const [x] = ctx.savedTensors;
    return g.mul(x.gt(0));
  }
}

/** k·a·b with a non-tensor argument k kept on ctx; backward returns one entry per argument. */
class ScaledProduct extends fg.autograd.Function {
  static override forward(ctx: FunctionCtx, a: fg.Tensor, b: fg.Tensor, k: number) {
    ctx.k = k;
    ctx.saveForBackward(a, b);
    return a.mul(b).mul(k);
  }
  static override backward(ctx: FunctionCtx, g: fg.Tensor) {
    const [a, b] = ctx.savedTensors;
    const k = ctx.k as number;
    return [ctx.needsInputGrad[0] ? g.mul(b).mul(k) : null, ctx.needsInputGrad[1] ? g.mul(a).mul(k) : null, null];
  }
}

describe('MyReLU from API.md', () => {
  it('computes relu and its gradient', () => {
    const x = leaf([-1, 2, 3]);
    const y = MyReLU.apply(x) as fg.Tensor;
    expect(y.toArray()).toEqual([0, 2, 3]);
    expect([y.gradFn!.name, y.isLeaf, y.requiresGrad]).toEqual(['MyReLUBackward', false, true]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1, 1]);
  });

  it('passes gradcheck', () => {
    expect(fg.autograd.gradcheck((x) => MyReLU.apply(x), [f64([-1.5, 0.5, 2])])).toBe(true);
  });

  it('records nothing inside its forward, and nothing at all under noGrad', () => {
    const x = leaf([1]);
    const y = fg.noGrad(() => MyReLU.apply(x) as fg.Tensor);
    expect([y.requiresGrad, y.gradFn]).toEqual([false, null]);
  });

  it('frees its saved tensors after backward unless retainGraph', () => {
    const x = leaf([1]);
    const y = (MyReLU.apply(x) as fg.Tensor).sum();
    y.backward();
    expectFlowgradError(() => y.backward(), /retainGraph/);
    const z = (MyReLU.apply(x) as fg.Tensor).sum();
    z.backward({ retainGraph: true });
    z.backward();
    expect(x.grad!.toArray()).toEqual([3]);
  });
});

describe('ctx', () => {
  it('carries non-tensor arguments and saved tensors, and says which inputs need a gradient', () => {
    const a = leaf([1, 2]);
    const b = f64([3, 4]);
    let seen: readonly boolean[] = [];
    class Spy extends ScaledProduct {
      static override backward(ctx: FunctionCtx, g: fg.Tensor) {
        seen = ctx.needsInputGrad;
        return super.backward(ctx, g);
      }
    }
    (Spy.apply(a, b, 10) as fg.Tensor).sum().backward();
    expect(seen).toEqual([true, false, false]);
    expect(a.grad!.toArray()).toEqual([30, 40]);
  });

  it('a Function with two tensor inputs and a number', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    (ScaledProduct.apply(a, b, 10) as fg.Tensor).sum().backward();
    expect([a.grad!.toArray(), b.grad!.toArray()]).toEqual([[30, 40], [10, 20]]);
    expect(fg.autograd.gradcheck((x, y) => ScaledProduct.apply(x, y, 0.5), [f64([1, 2]), f64([-1, 3])])).toBe(true);
  });

  it('backward may return gradients for the tensor arguments only', () => {
    class TensorsOnly extends fg.autograd.Function {
      static override forward(ctx: FunctionCtx, a: fg.Tensor, k: number, b: fg.Tensor) {
        ctx.k = k;
        ctx.saveForBackward(a, b);
        return a.mul(b).mul(k);
      }
      static override backward(ctx: FunctionCtx, g: fg.Tensor) {
        const [a, b] = ctx.savedTensors;
        return [g.mul(b).mul(ctx.k as number), g.mul(a).mul(ctx.k as number)];
      }
    }
    const a = leaf([1]);
    const b = leaf([2]);
    (TensorsOnly.apply(a, 3, b) as fg.Tensor).sum().backward();
    expect([a.grad!.item(), b.grad!.item()]).toEqual([6, 3]);
  });

  it('backward returning the wrong number of gradients is an AutogradError', () => {
    class TooMany extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, a: fg.Tensor, _k: number) {
        return a.mul(2);
      }
      static override backward(_ctx: FunctionCtx, g: fg.Tensor) {
        return [g, g, g];
      }
    }
    expectFlowgradError(() => (TooMany.apply(leaf([1]), 3) as fg.Tensor).sum().backward(), /TooManyBackward: backward returned 3 gradients, expected one per forward argument \(2\)/);
  });

  it('saveForBackward only takes tensors', () => {
    class SavesNumber extends fg.autograd.Function {
      static override forward(ctx: FunctionCtx, a: fg.Tensor) {
        ctx.saveForBackward(a, 3 as never);
        return a;
      }
    }
    expectFlowgradError(() => SavesNumber.apply(leaf([1])), /^saveForBackward: argument 'tensors\[1\]' expected a Tensor, got 3/);
  });
});

describe('edge cases', () => {
  it('a Function returning its input unchanged gives a new tensor; the input stays a leaf', () => {
    class Doubler extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return x;
      }
      static override backward(_ctx: FunctionCtx, g: fg.Tensor) {
        return g.mul(2);
      }
    }
    const x = leaf([1, 2]);
    const y = Doubler.apply(x) as fg.Tensor;
    expect(y).not.toBe(x);
    expect(y.storage).toBe(x.storage);
    expect([x.isLeaf, x.gradFn, y.gradFn!.name]).toEqual([true, null, 'DoublerBackward']);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  it('several outputs, only some of them used', () => {
    class TwoOut extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return [x.mul(2), x.mul(3)];
      }
      static override backward(_ctx: FunctionCtx, g1: fg.Tensor, g2: fg.Tensor) {
        return g1.mul(2).add(g2.mul(3));
      }
    }
    const x = leaf([1, 2]);
    const [a, b] = TwoOut.apply(x) as fg.Tensor[];
    a.sum().add(b.sum().mul(10)).backward();
    expect(x.grad!.toArray()).toEqual([32, 32]);
    const z = leaf([1]);
    (TwoOut.apply(z) as fg.Tensor[])[0].sum().backward(); // the unused output's gradient is zeros
    expect(z.grad!.toArray()).toEqual([2]);
  });

  it('an int or bool output keeps its place: backward gets one gradient per output', () => {
    class WithMask extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return [x.gt(0), x.mul(2)];
      }
      static override backward(_ctx: FunctionCtx, _gMask: fg.Tensor, g: fg.Tensor) {
        return g.mul(2);
      }
    }
    const x = leaf([1, -1]);
    const [mask, y] = WithMask.apply(x) as fg.Tensor[];
    expect([mask.requiresGrad, mask.gradFn, y.gradFn!.name]).toEqual([false, null, 'WithMaskBackward']);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  it('a gradient computed in another dtype is cast to the input\'s', () => {
    class InFloat32 extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return x.mul(2);
      }
      static override backward(_ctx: FunctionCtx, g: fg.Tensor) {
        return g.float().mul(2);
      }
    }
    const x = leaf([1]);
    (InFloat32.apply(x) as fg.Tensor).sum().backward();
    expect([x.grad!.dtype, x.grad!.toArray()]).toEqual(['float64', [2]]);
  });

  it('backward returning the wrong shape is a ShapeError', () => {
    class WrongShape extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return x.mul(2);
      }
      static override backward(_ctx: FunctionCtx, g: fg.Tensor) {
        return g.sum();
      }
    }
    expectFlowgradError(() => (WrongShape.apply(leaf([1, 2])) as fg.Tensor).sum().backward(), /^WrongShapeBackward: argument 'gradient 0' expected shape \[2\] \(the input's shape\), got \[\]/);
    expect(() => (WrongShape.apply(leaf([1, 2])) as fg.Tensor).sum().backward()).toThrow(fg.ShapeError);
  });

  it('backward returning a non-tensor is a ValueError', () => {
    class ReturnsNumber extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return x.mul(2);
      }
      static override backward() {
        return 1 as never;
      }
    }
    expectFlowgradError(() => (ReturnsNumber.apply(leaf([1])) as fg.Tensor).sum().backward(), /ReturnsNumberBackward: argument 'gradient 0' expected a Tensor or null, got 1/);
  });

  it('a Function without backward runs forward, and throws when differentiated', () => {
    class NoBackward extends fg.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
        return x.mul(2);
      }
    }
    const y = NoBackward.apply(leaf([1, 2])) as fg.Tensor;
    expect(y.toArray()).toEqual([2, 4]);
    expectFlowgradError(() => y.sum().backward(), /NoBackward: a custom Function must define static backward\(ctx, \.\.\.grads\) to be differentiated/);
    expect(() => (NoBackward.apply(leaf([1])) as fg.Tensor).sum().backward()).toThrow(fg.AutogradError);
  });

  it('a Function without forward, or whose forward returns a non-tensor, says so', () => {
    class NoForward extends fg.autograd.Function {}
    expectFlowgradError(() => NoForward.apply(leaf([1])), /NoForward: a custom Function must define static forward\(ctx, \.\.\.args\)/);
    class BadOutput extends fg.autograd.Function {
      static override forward() {
        return 3 as never;
      }
    }
    expectFlowgradError(() => BadOutput.apply(leaf([1])), /^BadOutput.forward: argument 'output 0' expected a Tensor, got 3/);
  });

  it('a modified saved tensor is caught at backward', () => {
    class SavesOther extends fg.autograd.Function {
      static override forward(ctx: FunctionCtx, x: fg.Tensor, s: fg.Tensor) {
        ctx.saveForBackward(s);
        return x.mul(s);
      }
      static override backward(ctx: FunctionCtx, g: fg.Tensor) {
        return [g.mul(ctx.savedTensors[0]), null];
      }
    }
    const s = f64([2]);
    const y = SavesOther.apply(leaf([1]), s) as fg.Tensor;
    s.zero_();
    expectFlowgradError(() => y.sum().backward(), /SavesOtherBackward: a tensor of shape \[1\] needed for the gradient was modified by an in-place op/);
  });

  it('second derivatives flow through a backward written with ops', () => {
    class Cube extends fg.autograd.Function {
      static override forward(ctx: FunctionCtx, x: fg.Tensor) {
        ctx.saveForBackward(x);
        return x.pow(3);
      }
      static override backward(ctx: FunctionCtx, g: fg.Tensor) {
        const [x] = ctx.savedTensors;
        return g.mul(x.pow(2)).mul(3);
      }
    }
    const x = leaf(3);
    const [g] = fg.autograd.grad(Cube.apply(x) as fg.Tensor, x, { createGraph: true });
    const [h] = fg.autograd.grad(g, x);
    expect([g.item(), h.item()]).toEqual([27, 18]);
  });

  it('forward-mode tangents flow through forward (its ops are ordinary ops)', () => {
    const [y, t] = fg.jvp((x) => MyReLU.apply(x) as fg.Tensor, [f64([-1, 2])], [f64([5, 7])]);
    expect([y.toArray(), t.toArray()]).toEqual([[0, 2], [0, 7]]);
  });
});
