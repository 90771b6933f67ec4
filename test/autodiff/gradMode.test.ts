/** @file Grad mode: noGrad / enableGrad / setGradEnabled and what the tape records under each. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { setGradEnabled } from '../../src/ops/gradMode.js';

const leaf = () => fg.tensor([1, 2], { requiresGrad: true });

describe('grad mode', () => {
  it('is on by default', () => {
    expect(fg.isGradEnabled()).toBe(true);
  });

  it('noGrad turns recording off for its block only', () => {
    const x = leaf();
    const inside = fg.noGrad(() => [fg.isGradEnabled(), x.exp()] as const);
    expect(inside[0]).toBe(false);
    expect(inside[1].requiresGrad).toBe(false);
    expect(x.exp().requiresGrad).toBe(true);
  });

  it('setGradEnabled sets it either way', () => {
    expect(setGradEnabled(false, () => fg.isGradEnabled())).toBe(false);
    expect(fg.noGrad(() => setGradEnabled(true, () => fg.isGradEnabled()))).toBe(true);
  });

  it('backward itself records nothing unless createGraph', () => {
    const x = leaf();
    x.mul(x).sum().backward();
    expect([x.grad!.requiresGrad, x.grad!.gradFn]).toEqual([false, null]);
  });

  it('values computed under noGrad equal those computed with the tape', () => {
    const x = leaf();
    expect(fg.noGrad(() => x.exp().toArray())).toEqual(x.exp().toArray());
  });
});
