import { describe, expect, it } from 'vitest';
import * as data from '../../src/data/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

describe('loadMnist', () => {
  const { train, test } = data.loadMnist({ trainCount: 1000, testCount: 500 });

  it('returns images [N, 1, 28, 28] float32 in [0, 1] and int32 labels [N]', () => {
    expect(train.x.shape).toEqual([1000, 1, 28, 28]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.shape).toEqual([1000]);
    expect(train.y.dtype).toBe('int32');
    expect(test.x.shape).toEqual([500, 1, 28, 28]);
    const pixels = train.x.dataSync();
    let [lo, hi, total] = [Infinity, -Infinity, 0];
    for (const v of pixels) [lo, hi, total] = [Math.min(lo, v), Math.max(hi, v), total + v];
    expect([lo, hi]).toEqual([0, 1]);
    // Digits are mostly background: a mean ink level well inside (0, 1).
    const mean = total / pixels.length;
    expect(mean).toBeGreaterThan(0.05);
    expect(mean).toBeLessThan(0.3);
  });

  it('has every digit in roughly equal shares', () => {
    for (const split of [train, test]) {
      const counts = new Array(10).fill(0);
      for (const label of split.y.dataSync()) counts[label]++;
      const n = split.y.size;
      for (const c of counts) {
        expect(c / n).toBeGreaterThan(0.05);
        expect(c / n).toBeLessThan(0.16);
      }
    }
  });

  it('splits deterministically, without overlap between train and test', () => {
    const again = data.loadMnist({ trainCount: 1000, testCount: 500 });
    expect(again.train.y.toArray()).toEqual(train.y.toArray());
    expect(again.test.x.dataSync()).toEqual(test.x.dataSync());
    const key = (x: Float32Array, i: number): string => x.subarray(i * 784, (i + 1) * 784).join(',');
    const trainImages = new Set(Array.from({ length: 1000 }, (_, i) => key(train.x.dataSync() as Float32Array, i)));
    const testImages = test.x.dataSync() as Float32Array;
    const shared = Array.from({ length: 500 }, (_, i) => key(testImages, i)).filter((k) => trainImages.has(k));
    expect(shared.length).toBeLessThanOrEqual(1); // the package may hold an exact duplicate or two
    const otherSeed = data.loadMnist({ trainCount: 10, testCount: 10, seed: 1 });
    expect(otherSeed.test.y.toArray()).not.toEqual(test.y.toArray().slice(0, 10));
  });

  it('defaults to 2000 held-out digits and the rest for training; checks counts', () => {
    const all = data.loadMnist();
    expect(all.test.x.shape[0]).toBe(2000);
    expect(all.train.x.shape[0]).toBe(8000);
    expectFlowgradError(() => data.loadMnist({ trainCount: 9000, testCount: 2000 }), /loadMnist: argument 'trainCount' expected at most 8000/);
    expectFlowgradError(() => data.loadMnist({ testCount: -1 }), /testCount/);
  });
});
