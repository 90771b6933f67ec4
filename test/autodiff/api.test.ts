/** @file fg.autograd.grad: gradients returned rather than accumulated. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const leaf = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64', requiresGrad: true });
const f64 = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64' });

describe('fg.autograd.grad', () => {
  it('returns one gradient per input and leaves .grad alone', () => {
    const x = leaf([1, 2]);
    const w = leaf([3, 4]);
    const [gx, gw] = fg.autograd.grad(x.mul(w).sum(), [x, w]);
    expect([gx.toArray(), gw.toArray()]).toEqual([[3, 4], [1, 2]]);
    expect([x.grad, w.grad]).toEqual([null, null]);
  });

  it('accepts a single output and a single input', () => {
    const x = leaf(2);
    expect(fg.autograd.grad(x.mul(x), x)[0].item()).toBe(4);
  });

  it('seeds non-scalar outputs from gradOutputs', () => {
    const x = leaf([1, 2]);
    const [g] = fg.autograd.grad(x.mul(x), [x], { gradOutputs: [f64([1, 10])] });
    expect(g.toArray()).toEqual([2, 40]);
    const [h] = fg.autograd.grad(x.mul(x), [x], { gradOutputs: f64([1, 1]) });
    expect(h.toArray()).toEqual([2, 4]);
  });

  it('sums over several outputs', () => {
    const x = leaf([1, 2]);
    const [g] = fg.autograd.grad([x.mul(2), x.mul(3)], [x], { gradOutputs: [f64([1, 1]), f64([1, 1])] });
    expect(g.toArray()).toEqual([5, 5]);
  });

  it('a missing seed for a non-scalar output is an error; a wrong-shaped one a ShapeError naming gradOutputs', () => {
    const x = leaf([1, 2]);
    expectFlowgradError(() => fg.autograd.grad(x.mul(2), [x]), /autograd.grad: a gradient can be created implicitly only for one-element outputs/);
    expectFlowgradError(() => fg.autograd.grad(x.mul(2), [x], { gradOutputs: [f64([1, 1, 1])] }), /^autograd.grad: argument 'gradOutputs\[0\]' expected shape \[2\], got \[3\]/);
    expectFlowgradError(() => fg.autograd.grad(x.mul(2), [x], { gradOutputs: ['a' as never] }), /^autograd.grad: argument 'gradOutputs\[0\]' expected a tensor, got "a"/);
  });

  it('an input the outputs do not use is an error, or null with allowUnused', () => {
    const x = leaf(1);
    const unused = leaf(2);
    expectFlowgradError(() => fg.autograd.grad(x.mul(2), [x, unused]), /^autograd.grad: argument 'inputs\[1\]' expected a tensor the outputs depend on \(pass allowUnused: true to get null\)/);
    const [gx, gu] = fg.autograd.grad(x.mul(2), [x, unused], { allowUnused: true });
    expect(gx.item()).toBe(2);
    expect(gu).toBeNull();
  });

  it('differentiates with respect to a non-leaf', () => {
    const x = leaf(2);
    const h = x.mul(3);
    const [gh] = fg.autograd.grad(h.mul(h), [h]);
    expect(gh.item()).toBe(12);
  });

  it('runs only the part of the graph it needs, so the rest can still be differentiated', () => {
    const x = leaf(2);
    const h = x.exp();
    const y = h.mul(h);
    const [gh] = fg.autograd.grad(y, [h]);
    expect(gh.item()).toBeCloseTo(2 * Math.exp(2), 12);
    expect(x.grad).toBeNull();
    h.backward(); // ExpBackward was not run by grad, so its saved tensors are still there
    expect(x.grad!.item()).toBeCloseTo(Math.exp(2), 12);
  });

  it('frees what it ran unless retainGraph', () => {
    const x = leaf(2);
    const y = x.exp();
    fg.autograd.grad(y, [x]);
    expect(() => fg.autograd.grad(y, [x])).toThrow(fg.AutogradError);
    const z = x.exp();
    fg.autograd.grad(z, [x], { retainGraph: true });
    expect(fg.autograd.grad(z, [x])[0].item()).toBeCloseTo(Math.exp(2), 12);
  });

  it('the gradient of a tensor with respect to itself is ones', () => {
    const x = leaf([1, 2]);
    expect(fg.autograd.grad(x, [x], { gradOutputs: [f64([1, 1])] })[0].toArray()).toEqual([1, 1]);
  });

  it('rejects bad arguments', () => {
    const x = leaf([1, 2]);
    expectFlowgradError(() => fg.autograd.grad(x.sum(), [f64([1])]), /^autograd.grad: argument 'inputs\[0\]' expected a tensor that requires grad, got one that does not/);
    expectFlowgradError(() => fg.autograd.grad(x.sum(), ['a' as never]), /^autograd.grad: argument 'inputs\[0\]' expected a Tensor, got "a"/);
    expectFlowgradError(() => fg.autograd.grad(undefined as never, [x]), /^autograd.grad: argument 'outputs' expected tensors, got undefined/);
    expectFlowgradError(() => fg.autograd.grad(f64(1), [x]), /^autograd.grad: output 0 does not require grad/);
    expectFlowgradError(() => fg.autograd.grad(x.sum(), [x], 5 as never), /^autograd.grad: argument 'opts' expected an options object/);
  });
});
