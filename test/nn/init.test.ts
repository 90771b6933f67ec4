import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { init } from '../../src/nn/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const stats = (t: fg.Tensor): { mean: number; std: number; maxAbs: number } => {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, maxAbs: Math.max(...v.map(Math.abs)) };
};

describe('nn.init', () => {
  it('calculateGain follows PyTorch’s table', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('tanh')).toBe(5 / 3);
    expect(init.calculateGain('relu')).toBe(Math.SQRT2);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.0001)), 15);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expectFlowgradError(() => init.calculateGain('swish' as init.Nonlinearity), /calculateGain: argument 'nonlinearity'/);
  });

  it('fans: Linear [out, in] and Conv [out, in, kH, kW]', () => {
    expect(init.calculateFans('t', fg.zeros([3, 5]))).toEqual([5, 3]);
    expect(init.calculateFans('t', fg.zeros([8, 4, 3, 3]))).toEqual([36, 72]);
    expectFlowgradError(() => init.kaimingUniform_(fg.zeros([5])), /at least 2 dims/);
  });

  it('kaiming and xavier draws have the documented bounds and spreads', () => {
    fg.manualSeed(3);
    const w = fg.zeros([400, 100]);
    init.kaimingUniform_(w, { nonlinearity: 'relu' });
    const ku = stats(w);
    expect(ku.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 100));
    expect(Math.abs(ku.std / Math.sqrt(2 / 100) - 1)).toBeLessThan(0.03);

    init.kaimingNormal_(w, { mode: 'fanOut', nonlinearity: 'relu' });
    expect(Math.abs(stats(w).std / Math.sqrt(2 / 400) - 1)).toBeLessThan(0.03);

    init.xavierUniform_(w, 2);
    const xu = stats(w);
    expect(xu.maxAbs).toBeLessThanOrEqual(2 * Math.sqrt(6 / 500));
    expect(Math.abs(xu.std / (2 * Math.sqrt(2 / 500)) - 1)).toBeLessThan(0.03);

    init.xavierNormal_(w);
    expect(Math.abs(stats(w).std / Math.sqrt(2 / 500) - 1)).toBeLessThan(0.03);
    expect(Math.abs(stats(w).mean)).toBeLessThan(0.005);
  });

  it('fills in place, on parameters that require grad, reproducibly after manualSeed', () => {
    const p = fg.zeros([3, 3], { requiresGrad: true });
    expect(init.ones_(p)).toBe(p);
    expect(p.toArray()).toEqual([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    init.zeros_(p);
    expect(p.sum().item()).toBe(0);
    init.constant_(p, 0.5);
    expect(p.mean().item()).toBe(0.5);
    fg.manualSeed(9);
    const a = init.uniform_(fg.zeros([5], { dtype: 'float64' }), -1, 1).toArray();
    fg.manualSeed(9);
    expect(init.uniform_(fg.zeros([5], { dtype: 'float64' }), -1, 1).toArray()).toEqual(a);
    expectFlowgradError(() => init.normal_(fg.zeros([2], { dtype: 'int32' })), /normal_: argument 'tensor' expected dtype float32 or float64, got int32/);
  });
});
