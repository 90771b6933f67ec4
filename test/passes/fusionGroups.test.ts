import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { fusionGroups } from '../../src/passes/fusionGroups.js';

const ops = (groups: fg.Node[][]) => groups.map((g) => g.map((n) => n.op));

describe('fusionGroups', () => {
  it('fuses a conv2d with its bias add and relu, and an elementwise chain into a reduction', () => {
    const g = fg.trace(
      (x: fg.Tensor, w: fg.Tensor, b: fg.Tensor) => fg.conv2d(x, w, b, { padding: 1 }).relu().exp().sum(),
      [fg.spec([1, 2, 4, 4]), fg.spec([3, 2, 3, 3]), fg.spec([3])],
    );
    // conv2d is the anchor of one group (bias reshape → add → relu → exp); sum anchors none
    // of them (a group has one anchor), so it stays alone.
    expect(ops(fusionGroups(g))).toEqual([['conv2d', 'reshape', 'add', 'relu', 'exp']]);
  });

  it('lets a reduction absorb its injective producers', () => {
    const g = fg.trace((x: fg.Tensor) => x.mul(2).exp().sum(1), [fg.spec([3, 4])]);
    expect(ops(fusionGroups(g))).toEqual([['mul', 'exp', 'sum']]);
  });

  it('does not fuse across a value read twice, or two anchors', () => {
    const g = fg.trace((x: fg.Tensor, w: fg.Tensor) => {
      const h = x.matmul(w);
      return h.matmul(w.transpose()).add(h.relu().sum());
    }, [fg.spec([2, 2]), fg.spec([2, 2])]);
    const groups = ops(fusionGroups(g));
    expect(groups.every((grp) => grp.filter((o) => o === 'matmul' || o === 'sum').length <= 1)).toBe(true);
    // h (the first matmul) has two readers, so it joins neither.
    expect(groups.some((grp) => grp[0] === 'matmul' && grp.includes('relu'))).toBe(false);
  });
});
