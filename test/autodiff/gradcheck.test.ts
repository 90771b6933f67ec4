/** @file The gradient-check helpers themselves: they pass on correct gradients and fail on wrong ones. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import type { FunctionCtx } from '../../src/autodiff/function.js';
import { expectFlowgradError, randomTensor } from '../helpers/tensors.js';

const f64 = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64' });

/** x² with a deliberately wrong gradient (3g instead of 2xg). */
class WrongSquare extends fg.autograd.Function {
  static override forward(_ctx: FunctionCtx, x: fg.Tensor) {
    return x.mul(x);
  }
  static override backward(_ctx: FunctionCtx, g: fg.Tensor) {
    return g.mul(3);
  }
}

/** x² whose gradient is right but cut from the tape (detach), so its second derivative is wrong. */
class FlatSquare extends fg.autograd.Function {
  static override forward(ctx: FunctionCtx, x: fg.Tensor) {
    ctx.saveForBackward(x);
    return x.mul(x);
  }
  static override backward(ctx: FunctionCtx, g: fg.Tensor) {
    return g.mul(ctx.savedTensors[0].detach()).mul(2);
  }
}

describe('gradcheck', () => {
  it('passes on ops with correct gradients', () => {
    expect(fg.autograd.gradcheck((x, y) => x.mul(y).sin(), [randomTensor([2, 3], 1), randomTensor([3], 2)])).toBe(true);
  });

  it('fails on a wrong custom gradient, listing the elements that differ', () => {
    expectFlowgradError(
      () => fg.autograd.gradcheck((x) => WrongSquare.apply(x), [f64([1, 2])]),
      /^gradcheck: gradients differ from finite differences \(2 elements\):\n {2}input 0 element 0: autograd .*, finite difference .*\n {2}input 0 element 1/,
    );
  });

  it('fails when only one input of several is wrong', () => {
    expectFlowgradError(() => fg.autograd.gradcheck((x, y) => x.add(WrongSquare.apply(y) as fg.Tensor), [f64([1]), f64([2])]), /input 1 element 0/);
  });

  it('checks every output of a multi-output function', () => {
    expect(fg.autograd.gradcheck((x) => [x.exp(), x.mul(3)], [f64([0.5, -1])])).toBe(true);
    expect(() => fg.autograd.gradcheck((x) => [x.exp(), WrongSquare.apply(x) as fg.Tensor], [f64([0.5])])).toThrow(fg.FlowgradError);
  });

  it('treats an input the function ignores as having zero gradient', () => {
    expect(fg.autograd.gradcheck((x) => x.mul(2), [f64([1, 2])])).toBe(true);
    expect(fg.autograd.gradcheck((x, _unused) => x.exp(), [f64([1]), f64([2])])).toBe(true);
  });

  it('passes on a constant function', () => {
    expect(fg.autograd.gradcheck(() => f64([1, 2]), [f64([3])])).toBe(true);
  });

  it('requires float64 inputs and a float64 output', () => {
    expectFlowgradError(() => fg.autograd.gradcheck((x) => x, [fg.tensor([1])]), /^gradcheck: argument 'inputs\[0\]' expected a float64 tensor, got a float32 tensor of shape \[1\]/);
    expectFlowgradError(() => fg.autograd.gradcheck((x) => x.gt(0), [f64([1])]), /^gradcheck: argument 'f' expected a function with at least one float64 output, got none/);
  });

  it('leaves its inputs untouched', () => {
    const x = f64([1, 2]);
    fg.autograd.gradcheck((t) => t.exp(), [x]);
    expect([x.toArray(), x.requiresGrad, x.grad]).toEqual([[1, 2], false, null]);
  });
});

describe('gradgradcheck', () => {
  it('passes on ops with correct second derivatives', () => {
    expect(fg.autograd.gradgradcheck((x) => x.tanh().mul(x), [randomTensor([3], 3)])).toBe(true);
  });

  it('fails on a gradient that is right but not differentiable', () => {
    expect(fg.autograd.gradcheck((x) => FlatSquare.apply(x), [f64([1, 2])])).toBe(true);
    expectFlowgradError(() => fg.autograd.gradgradcheck((x) => FlatSquare.apply(x), [f64([1, 2])]), /^gradcheck: gradients differ from finite differences/);
  });
});
