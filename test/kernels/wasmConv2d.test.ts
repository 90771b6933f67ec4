/** @file The wasm conv2d kernels (forward and both backward ops) against the reference kernels. */
import { describe, expect, it } from 'vitest';
import { WINOGRAD_MIN_CHANNELS, winogradApplies } from '../../src/kernels/wasm/winograd.js';
import { expectMatchesReference, permuted, randomF32, sliced } from './wasmHelpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

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
  // The forward op packs column panels straight from the input (implicit gemm): panels that
  // cross output rows, straddle the padding, or start mid-channel in a later k block.
  { name: 'k over one gemm block, restarting mid-channel', x: [2, 47, 10, 13], w: [7, 47, 3, 3], padding: [1, 1] },
  { name: 'dilation (2, 3), stride 1, wide rows', x: [1, 3, 9, 40], w: [4, 3, 3, 3], dilation: [2, 3], padding: [2, 3] },
  { name: 'stride (2, 1), dilation (1, 2), groups 3', x: [2, 6, 15, 19], w: [6, 2, 3, 3], stride: [2, 1], dilation: [1, 2], groups: 3, padding: [1, 2] },
  { name: 'rows not a multiple of 8 (threaded)', x: [2, 16, 30, 37], w: [24, 16, 3, 3], padding: [1, 1] },
  { name: 'asymmetric kernel, padding only one way', x: [1, 5, 6, 33], w: [3, 5, 1, 5], padding: [0, 2] },
  // 3×3, stride 1, dilation 1 with ≥ 16 channels each way: Winograd F(2×2, 3×3) (winograd.ts),
  // with partial tiles at odd output sizes and tile rows padded to four tiles.
  { name: 'Winograd: odd output size', x: [2, 16, 9, 11], w: [16, 16, 3, 3], padding: [1, 1] },
  { name: 'Winograd: no padding', x: [1, 20, 10, 7], w: [17, 20, 3, 3] },
  { name: 'Winograd: padding 2', x: [1, 16, 5, 6], w: [16, 16, 3, 3], padding: [2, 2] },
  { name: 'Winograd: padding (0, 1), groups 2', x: [3, 32, 8, 13], w: [32, 16, 3, 3], groups: 2, padding: [0, 1] },
  { name: 'Winograd: 2×2 output', x: [1, 16, 4, 4], w: [16, 16, 3, 3] },
  { name: 'Winograd: one long row of tiles', x: [1, 16, 3, 70], w: [24, 16, 3, 3], padding: [1, 1] },
  { name: 'Winograd forward, padding 3 (its input gradient by col2im)', x: [1, 16, 5, 4], w: [16, 16, 3, 3], padding: [3, 3] },
  { name: 'Winograd: 1-wide output (direct gemm instead)', x: [1, 16, 9, 3], w: [16, 16, 3, 3] },
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

describe.skipIf(REFERENCE_ONLY)('wasm conv2d kernels', () => {
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
    // Through Winograd: a channel slice and a permuted (NHWC-stored) input.
    const xw = sliced(randomF32([2, 40, 11, 12], 10), [0, 3, 1, 0], [2, 16, 9, 12]);
    expectMatchesReference('conv2d', [xw, randomF32([16, 16, 3, 3], 11)], attrs, tolFor(144));
    const nhwc = permuted(randomF32([1, 7, 9, 16], 12), [0, 3, 1, 2]);
    expectMatchesReference('conv2d', [nhwc, randomF32([18, 16, 3, 3], 13)], attrs, tolFor(144));
  });
  it('conv2d through Winograd keeps float32 accuracy on large values', () => {
    const attrs = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    expectMatchesReference('conv2d', [randomF32([1, 32, 12, 12], 14, -1000, 1000), randomF32([32, 32, 3, 3], 15, -50, 50)], attrs, { rtol: 2e-5, atol: 1e-6 * 1000 * 50 * Math.sqrt(288) });
  });
  it('takes Winograd exactly for 3×3, stride 1, dilation 1 with enough channels', () => {
    const shape = (cg: number, og: number, oh = 8, ow = 8) => ({ n: 1, c: cg, h: oh + 2, w: ow + 2, o: og, groups: 1, cg, og, oh, ow });
    const attrs = { stride: [1, 1] as [number, number], padding: [0, 0] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
    expect(winogradApplies(shape(32, 64, 64, 64), 3, 3, attrs)).toBe(true);
    expect(winogradApplies(shape(WINOGRAD_MIN_CHANNELS, WINOGRAD_MIN_CHANNELS), 3, 3, attrs)).toBe(true);
    expect(winogradApplies(shape(WINOGRAD_MIN_CHANNELS - 1, 64), 3, 3, attrs)).toBe(false);
    expect(winogradApplies(shape(32, 64), 3, 3, { ...attrs, stride: [1, 2] })).toBe(false);
    expect(winogradApplies(shape(32, 64), 3, 3, { ...attrs, dilation: [2, 1] })).toBe(false);
    expect(winogradApplies(shape(32, 64), 5, 5, attrs)).toBe(false);
    expect(winogradApplies(shape(32, 64, 8, 1), 3, 3, attrs)).toBe(false);
  });
});
