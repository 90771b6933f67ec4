/** @file rand and randn: reproducibility, range, rough moments, options. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';

function moments(t: fg.Tensor): { mean: number; std: number } {
  const data = t.dataSync();
  let s = 0;
  for (const v of data) s += v;
  const mean = s / data.length;
  let q = 0;
  for (const v of data) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / data.length) };
}

describe('rand', () => {
  it('is reproducible after manualSeed', () => {
    fg.manualSeed(3);
    const a = fg.rand([5, 4]).toArray();
    fg.manualSeed(3);
    expect(fg.rand([5, 4]).toArray()).toEqual(a);
    expect(fg.rand([5, 4]).toArray()).not.toEqual(a);
  });

  it('draws in [0, 1) with mean ½ and std 1/√12', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const t = fg.rand([10000], { dtype });
      expect(t.dtype).toBe(dtype);
      for (const v of t.dataSync()) expect(v >= 0 && v < 1).toBe(true);
      const { mean, std } = moments(t);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(std - 1 / Math.sqrt(12))).toBeLessThan(0.02);
    }
  });

  it('honours shape and options', () => {
    expect(fg.rand([]).shape).toEqual([]);
    expect(fg.rand([2, 0]).size).toBe(0);
    const t = fg.rand([2, 3], { requiresGrad: true, device: 'cpu:0' });
    expect(t.shape).toEqual([2, 3]);
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(t.device).toBe('cpu:0');
  });
});

describe('randn', () => {
  it('is reproducible after manualSeed', () => {
    fg.manualSeed(5);
    const a = fg.randn([7]).toArray();
    fg.manualSeed(5);
    expect(fg.randn([7]).toArray()).toEqual(a);
  });

  it('draws with mean 0 and std 1', () => {
    const { mean, std } = moments(fg.randn([20000], { dtype: 'float64' }));
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });

  it('is float32 by default', () => {
    expect(fg.randn([3]).dtype).toBe('float32');
  });
});
