/**
 * @file Eager code needs no manual memory release: thousands of training steps leave the
 * heap and array-buffer memory where they started (after a GC).
 */
import { expect, it } from 'vitest';
import { soak } from '../../scripts/soak.js';

it('an eager training loop keeps memory flat with no dispose, tidy or .ref', async () => {
  const r = await soak(3000);
  expect(r.lastLoss).toBeLessThan(r.firstLoss);
  // Generous bounds: a leak of one small tensor per step would exceed them many times over.
  expect(r.end.heapMB - r.start.heapMB).toBeLessThan(8);
  expect(r.end.externalMB - r.start.externalMB).toBeLessThan(8);
});
