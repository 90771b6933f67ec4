/** @file dropout beyond the op table: statistics, scaling, reproducibility, gradients. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { expectClose } from '../../helpers/tensors.js';

describe('dropout', () => {
  it('zeroes about a fraction p and scales survivors by 1/(1 − p)', () => {
    for (const p of [0.1, 0.5, 0.8]) {
      const y = fg.dropout(fg.ones([100, 100]), p).dataSync();
      let zeros = 0;
      for (const v of y) {
        if (v === 0) zeros++;
        else expect(v).toBeCloseTo(1 / (1 - p), 5);
      }
      // 10k Bernoulli draws: the standard deviation of the fraction is at most 0.005.
      expect(Math.abs(zeros / y.length - p)).toBeLessThan(0.025);
    }
  });

  it('is reproducible after manualSeed and fresh otherwise', () => {
    const x = fg.ones([64]);
    fg.manualSeed(42);
    const a = fg.dropout(x).toArray();
    const b = fg.dropout(x).toArray();
    fg.manualSeed(42);
    expect(fg.dropout(x).toArray()).toEqual(a);
    expect(b).not.toEqual(a);
  });

  it('passes the gradient through the kept elements only, scaled', () => {
    const x = fg.ones([200], { requiresGrad: true });
    const y = fg.dropout(x, 0.25);
    y.sum().backward();
    expectClose(Array.from(x.grad!.dataSync()), Array.from(y.dataSync()));
  });

  it('keeps dtype and shape', () => {
    const y = fg.dropout(fg.ones([2, 3], { dtype: 'float64' }), 0.5);
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([2, 3]);
  });

  it('returns x itself when not training or p = 0', () => {
    const x = fg.ones([3]);
    expect(fg.dropout(x, 0.5, false)).toBe(x);
    expect(fg.dropout(x, 0)).toBe(x);
  });
});
