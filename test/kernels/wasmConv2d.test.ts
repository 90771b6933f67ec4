/** @file The wasm conv2d kernels (forward and both backward ops) against the reference kernels. */
import { describe, it } from 'vitest';
import { expectMatchesReference, randomF32, sliced } from './wasmHelpers.js';

interface Case {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly w: [number, number, number, number];
  readonly stride?: [number, number];
  readonly padding?: [number, number];
  readonly dilation?: [number, number];
  readonly groups?: number;
}

const CASES: Case[] = [
  { name: '3×3 same padding', x: [2, 3, 9, 11], w: [5, 3, 3, 3], padding: [1, 1] },
  { name: 'odd sizes, no padding', x: [1, 17, 13, 7], w: [3, 17, 3, 2] },
  { name: 'stride 2', x: [2, 4, 17, 17], w: [6, 4, 3, 3], stride: [2, 2], padding: [1, 1] },
  { name: 'stride (2, 3), padding (0, 2)', x: [1, 2, 11, 13], w: [4, 2, 3, 4], stride: [2, 3], padding: [0, 2] },
  { name: 'dilation 2', x: [1, 3, 12, 12], w: [2, 3, 3, 3], dilation: [2, 2], padding: [2, 2] },
  { name: 'groups 2', x: [2, 6, 8, 8], w: [4, 3, 3, 3], groups: 2, padding: [1, 1] },
  { name: 'depthwise', x: [1, 5, 7, 9], w: [5, 1, 3, 3], groups: 5, padding: [1, 1] },
  { name: '1×1 (no column matrix)', x: [3, 8, 5, 7], w: [6, 8, 1, 1] },
  { name: '1×1 with groups', x: [2, 4, 3, 3], w: [6, 2, 1, 1], groups: 2 },
  { name: '1×1 stride 2', x: [1, 4, 7, 7], w: [3, 4, 1, 1], stride: [2, 2] },
  { name: 'kernel as big as the input', x: [2, 3, 5, 5], w: [4, 3, 5, 5] },
  { name: 'padding wider than the kernel', x: [1, 2, 3, 3], w: [2, 2, 2, 2], padding: [3, 3] },
  { name: 'size-1 everything', x: [1, 1, 1, 1], w: [1, 1, 1, 1] },
  { name: 'LeNet-like', x: [4, 1, 28, 28], w: [6, 1, 5, 5], padding: [2, 2] },
  { name: 'wide (threaded)', x: [1, 32, 32, 32], w: [64, 32, 3, 3], padding: [1, 1] },
  { name: 'empty batch', x: [0, 3, 5, 5], w: [2, 3, 3, 3] },
  { name: 'no output channels', x: [1, 3, 5, 5], w: [0, 3, 3, 3] },
];

const attrsOf = (c: Case) => ({ stride: c.stride ?? [1, 1], padding: c.padding ?? [0, 0], dilation: c.dilation ?? [1, 1], groups: c.groups ?? 1 });

function outShape(c: Case): number[] {
  const a = attrsOf(c);
  const dim = (i: 0 | 1) => Math.floor((c.x[2 + i] + 2 * a.padding[i] - a.dilation[i] * (c.w[2 + i] - 1) - 1) / a.stride[i]) + 1;
  return [c.x[0], c.w[0], dim(0), dim(1)];
}

/** Float32 sums of up to a few thousand products: relative 1e-5 plus a small absolute slack. */
const tolFor = (taps: number) => ({ rtol: 2e-5, atol: 1e-6 * Math.sqrt(taps) });

describe('wasm conv2d kernels', () => {
  for (const c of CASES) {
    const attrs = attrsOf(c);
    const y = outShape(c);
    const taps = c.w[1] * c.w[2] * c.w[3];
    it(`conv2d: ${c.name}`, () => {
      expectMatchesReference('conv2d', [randomF32(c.x, 1), randomF32(c.w, 2)], attrs, tolFor(taps));
    });
    it(`conv2dBackwardInput: ${c.name}`, () => {
      expectMatchesReference('conv2dBackwardInput', [randomF32(y, 3), randomF32(c.w, 4)], { ...attrs, inputShape: c.x }, tolFor(c.w[0] * c.w[2] * c.w[3]));
    });
    it(`conv2dBackwardWeight: ${c.name}`, () => {
      expectMatchesReference('conv2dBackwardWeight', [randomF32(c.x, 5), randomF32(y, 6)], { ...attrs, weightShape: c.w }, tolFor(c.x[0] * y[2] * y[3]));
    });
  }
  it('takes non-contiguous inputs', () => {
    const attrs = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    const x = sliced(randomF32([3, 4, 10, 12], 7), [1, 0, 1, 2], [2, 4, 8, 9]);
    const w = sliced(randomF32([5, 4, 3, 3], 8), [1, 0, 0, 0], [3, 4, 3, 3]);
    expectMatchesReference('conv2d', [x, w], attrs, tolFor(36));
    const dy = sliced(randomF32([2, 4, 8, 9], 9), [0, 1, 0, 0], [2, 3, 8, 9]);
    expectMatchesReference('conv2dBackwardInput', [dy, w], { ...attrs, inputShape: [2, 4, 8, 9] }, tolFor(27));
    expectMatchesReference('conv2dBackwardWeight', [x, dy], { ...attrs, weightShape: [3, 4, 3, 3] }, tolFor(144));
  });
});
