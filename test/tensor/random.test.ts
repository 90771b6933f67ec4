/** @file The global generator: manualSeed makes rand, randn and dropout reproducible. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { fillNormal, fillUniform } from '../../src/tensor/random.js';
import { expectFlowgradError } from '../helpers/tensors.js';

/** Whether an entry point still throws its "not implemented yet" stub error. */
function isStub(call: () => unknown): boolean {
  try {
    call();
    return false;
  } catch (e) {
    return e instanceof fg.FlowgradError && /not implemented yet/.test(e.message);
  }
}

const draws = (n: number, fill: (out: Float64Array) => void) => {
  const out = new Float64Array(n);
  fill(out);
  return out;
};

describe('manualSeed and the generator', () => {
  it('the same seed gives the same uniform and normal draws', () => {
    fg.manualSeed(42);
    const a = [draws(5, fillUniform), draws(5, fillNormal)];
    fg.manualSeed(42);
    const b = [draws(5, fillUniform), draws(5, fillNormal)];
    expect(b).toEqual(a);
  });

  it('different seeds, and consecutive draws, differ', () => {
    fg.manualSeed(1);
    const first = draws(4, fillUniform);
    const second = draws(4, fillUniform);
    fg.manualSeed(2);
    const other = draws(4, fillUniform);
    expect(second).not.toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('accepts negative and large integer seeds', () => {
    fg.manualSeed(-7);
    const a = draws(3, fillUniform);
    fg.manualSeed(-7);
    expect(draws(3, fillUniform)).toEqual(a);
    expect(() => fg.manualSeed(2 ** 40 + 3)).not.toThrow();
  });

  it('uniform draws lie in [0, 1) with mean near 1/2; normal draws have mean near 0 and variance near 1', () => {
    fg.manualSeed(123);
    const u = draws(20000, fillUniform);
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(Math.abs(u.reduce((a, v) => a + v, 0) / u.length - 0.5)).toBeLessThan(0.01);
    const z = draws(20001, fillNormal); // odd length: the last Box–Muller pair is half used
    const mean = z.reduce((a, v) => a + v, 0) / z.length;
    const variance = z.reduce((a, v) => a + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(z.every(Number.isFinite)).toBe(true);
  });

  it('rejects a seed that is not an integer', () => {
    expectFlowgradError(() => fg.manualSeed(1.5), /^manualSeed: argument 'seed' expected an integer, got 1.5/);
    expectFlowgradError(() => fg.manualSeed('1' as never), /^manualSeed: argument 'seed' expected an integer, got "1"/);
    expectFlowgradError(() => fg.manualSeed(NaN), /^manualSeed: argument 'seed' expected an integer, got NaN/);
  });
});

describe('random ops after manualSeed', () => {
  it.skipIf(isStub(() => fg.rand([1])))('rand repeats and lies in [0, 1)', () => {
    fg.manualSeed(7);
    const a = fg.rand([3, 4]);
    fg.manualSeed(7);
    const b = fg.rand([3, 4]);
    expect(b.toArray()).toEqual(a.toArray());
    expect([a.shape, a.dtype]).toEqual([[3, 4], 'float32']);
    expect([...a.dataSync()].every((v) => v >= 0 && v < 1)).toBe(true);
    expect(fg.rand([2], { dtype: 'float64' }).dtype).toBe('float64');
  });

  it.skipIf(isStub(() => fg.randn([1])))('randn repeats', () => {
    fg.manualSeed(7);
    const a = fg.randn([5]).toArray();
    fg.manualSeed(7);
    expect(fg.randn([5]).toArray()).toEqual(a);
    expect(fg.randn([5]).toArray()).not.toEqual(a);
  });

  it.skipIf(isStub(() => fg.dropout(fg.ones([1]), 0.5, true)))('dropout repeats', () => {
    fg.manualSeed(9);
    const a = fg.dropout(fg.ones([64]), 0.5, true).toArray();
    fg.manualSeed(9);
    expect(fg.dropout(fg.ones([64]), 0.5, true).toArray()).toEqual(a);
  });
});
