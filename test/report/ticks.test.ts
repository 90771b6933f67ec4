import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks } from '../../src/report/ticks.js';

describe('niceTicks', () => {
  it('covers the range with 1-2-5 steps and exact decimals', () => {
    const t = niceTicks(0.07, 2.31, 5);
    expect(t.values).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(t.decimals).toBe(1);
    expect([t.lo, t.hi]).toEqual([0, 2.5]);
    expect(niceTicks(96.5, 98.6, 5).values).toEqual([96.5, 97, 97.5, 98, 98.5, 99]);
    expect(niceTicks(0, 1900, 6).values).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(0.001, 0.0042, 4).decimals).toBe(3);
  });

  it('widens empty, reversed and non-finite ranges instead of dividing by zero', () => {
    expect(niceTicks(3, 3).lo).toBeLessThan(3);
    expect(niceTicks(3, 3).hi).toBeGreaterThan(3);
    expect(niceTicks(0, 0).values.length).toBeGreaterThan(1);
    expect(niceTicks(5, 1).values[0]).toBe(1);
    expect(niceTicks(Infinity, -Infinity).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('formats ticks with fixed decimals, exponents for extremes', () => {
    expect(formatTick(0.5, 1)).toBe('0.5');
    expect(formatTick(2, 1)).toBe('2.0');
    expect(formatTick(2e7, 0)).toBe('2.0e+7');
  });
});
