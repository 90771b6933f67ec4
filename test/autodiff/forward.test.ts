/** @file Forward mode: fg.jvp by dual numbers, nested for higher derivatives. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const f64 = (v: fg.NestedArray) => fg.tensor(v, { dtype: 'float64' });

describe('fg.jvp', () => {
  it('returns outputs and the directional derivative', () => {
    const [y, t] = fg.jvp((x) => x.mul(x).sum(), [f64([1, 2])], [f64([1, 0.5])]);
    expect(y.item()).toBe(5);
    expect(t.item()).toBe(2 * 1 * 1 + 2 * 2 * 0.5);
  });

  it('nested jvp gives the second derivative: d²/dx² x³ at 3 = 18', () => {
    const cube = (x: fg.Tensor) => x.pow(3);
    const derivative = (x: fg.Tensor) => fg.jvp(cube, [x], [fg.onesLike(x)])[1];
    const [d1, d2] = fg.jvp(derivative, [f64(3)], [f64(1)]);
    expect([d1.item(), d2.item()]).toEqual([27, 18]);
  });

  it('a function with two outputs gets two tangents', () => {
    const [outs, tangents] = fg.jvp((x) => [x.mul(2), x.exp()], [f64([0, 1])], [f64([1, 1])]);
    expect(outs.map((o) => o.toArray())).toEqual([[0, 2], [1, Math.E]]);
    expect(tangents.map((o) => o.toArray())).toEqual([[2, 2], [1, Math.E]]);
  });

  it('an output that does not depend on the inputs has a zero tangent', () => {
    const c = f64([4, 5]);
    const [y, t] = fg.jvp(() => c.mul(2), [f64(1)], [f64(1)]);
    expect([y.toArray(), t.toArray()]).toEqual([[8, 10], [0, 0]]);
  });

  it('the identity passes the tangent through', () => {
    const [y, t] = fg.jvp((x) => x, [f64([1, 2])], [f64([3, 4])]);
    expect([y.toArray(), t.toArray()]).toEqual([[1, 2], [3, 4]]);
  });

  it('the same tensor passed twice carries each tangent separately', () => {
    const x = f64(3);
    const [y, t] = fg.jvp((a, b) => a.mul(b.mul(b)), [x, x], [f64(1), f64(0)]);
    expect([y.item(), t.item()]).toEqual([27, 9]);
  });

  it('flows through views, broadcasting and reductions', () => {
    const [y, t] = fg.jvp((a) => a.reshape([2, 1]).expand([2, 3]).sum(), [f64([1, 2])], [f64([1, 10])]);
    expect([y.item(), t.item()]).toEqual([9, 33]);
  });

  it('stops at comparisons (bool outputs have no tangent)', () => {
    const [y, t] = fg.jvp((a) => fg.where(a.gt(0), a, a.mul(-1)), [f64([-2, 3])], [f64([1, 1])]);
    expect([y.toArray(), t.toArray()]).toEqual([[2, 3], [-1, 1]]);
  });

  it('composes with the tape: backward through a jvp tangent', () => {
    const x = fg.tensor(2, { dtype: 'float64', requiresGrad: true });
    const [, t] = fg.jvp((a) => a.pow(3), [x], [f64(1)]);
    expect(t.item()).toBe(12);
    t.backward();
    expect(x.grad!.item()).toBe(12); // d/dx (3x²) = 6x
  });

  it('runs under noGrad too (forward mode needs no tape)', () => {
    const [, t] = fg.noGrad(() => fg.jvp((a) => a.sin(), [f64(0)], [f64(1)]));
    expect(t.item()).toBe(1);
  });

  describe('rejects bad arguments', () => {
    it.each([
      ['f not a function', () => fg.jvp(3 as never, [f64(1)], [f64(1)]), /^jvp: argument 'f' expected a function, got 3/],
      ['primals not an array', () => fg.jvp((x) => x, f64(1) as never, [f64(1)]), /^jvp: argument 'primals' expected an array of tensors, got a float64 tensor of shape \[\]/],
      ['a primal not a tensor', () => fg.jvp((x) => x, [1 as never], [f64(1)]), /^jvp: argument 'primals\[0\]' expected a Tensor, got 1/],
      ['too few tangents', () => fg.jvp((x) => x, [f64(1)], []), /^jvp: argument 'tangents' expected an array of 1 tensors \(one per primal\), got an array of length 0/],
      ['tangents undefined', () => fg.jvp((x) => x, [f64(1)], undefined as never), /^jvp: argument 'tangents' expected an array of 1 tensors/],
      ['a tangent not a tensor', () => fg.jvp((x) => x, [f64(1)], ['a' as never]), /^jvp: argument 'tangents\[0\]' expected a Tensor, got "a"/],
      ['a tangent of the wrong shape', () => fg.jvp((x) => x, [f64([1, 2])], [f64([1])]), /^jvp: argument 'tangents\[0\]' expected shape \[2\], got \[1\]/],
      ['f returning a number', () => fg.jvp(() => 3 as never, [f64(1)], [f64(1)]), /^jvp: argument 'f's output 0' expected a Tensor, got 3/],
    ])('%s', (_label, call, message) => expectFlowgradError(call, message));
  });

  it('leaves no tangent level behind after f throws', () => {
    expect(() => fg.jvp(() => {
      throw new Error('boom');
    }, [f64(1)], [f64(1)])).toThrow('boom');
    const [, t] = fg.jvp((x) => x.mul(2), [f64(1)], [f64(1)]);
    expect(t.item()).toBe(2);
  });
});
