/**
 * @file maxPool2d and avgPool2d against direct loops written here (values and gradients) on
 * random shapes with every option combination; ties, NaN and −∞ in max pooling; forward-mode
 * rules of the five pooling ops. The op table (rows/nn.ts) does gradcheck and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { type Pool2dAttrs, poolInternals } from '../../../src/ops/nn/pool.js';
import { schemaOf } from '../../../src/ops/schema.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';

type Pair = [number, number];
interface Case { n: number; c: number; h: number; w: number; kernel: Pair; stride: Pair; padding: Pair }

const outSize = (size: number, k: number, s: number, p: number) => Math.floor((size + 2 * p - k) / s) + 1;

/**
 * Max and average pooling with their gradients for the output gradient g, from the definition:
 * max takes the first maximum of the window's real elements (padding is −∞), average divides
 * the window's real elements by kh·kw (padding counts as zeros).
 */
function naivePool(t: Case, x: Float64Array, g: Float64Array) {
  const oh = outSize(t.h, t.kernel[0], t.stride[0], t.padding[0]);
  const ow = outSize(t.w, t.kernel[1], t.stride[1], t.padding[1]);
  const size = t.n * t.c * oh * ow;
  const max = new Float64Array(size);
  const avg = new Float64Array(size);
  const dMax = new Float64Array(x.length);
  const dAvg = new Float64Array(x.length);
  for (let plane = 0; plane < t.n * t.c; plane++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const yi = (plane * oh + i) * ow + j;
        let best = -Infinity;
        let at = -1;
        let total = 0;
        for (let a = 0; a < t.kernel[0]; a++) {
          for (let b = 0; b < t.kernel[1]; b++) {
            const r = i * t.stride[0] - t.padding[0] + a;
            const q = j * t.stride[1] - t.padding[1] + b;
            if (r < 0 || r >= t.h || q < 0 || q >= t.w) continue;
            const xi = (plane * t.h + r) * t.w + q;
            total += x[xi];
            if (at < 0 || x[xi] > best) [best, at] = [x[xi], xi];
            dAvg[xi] += g[yi] / (t.kernel[0] * t.kernel[1]);
          }
        }
        max[yi] = best;
        avg[yi] = total / (t.kernel[0] * t.kernel[1]);
        dMax[at] += g[yi];
      }
    }
  }
  return { max, avg, dMax, dAvg, shape: [t.n, t.c, oh, ow] };
}

const cases: Case[] = [];
let seed = 7;
const next = (lo: number, hi: number) => lo + ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % (hi - lo + 1));
for (const kernel of [[1, 1], [2, 2], [3, 2], [3, 3]] as Pair[]) {
  for (const stride of [null, [1, 1], [2, 1], [2, 3]] as (Pair | null)[]) {
    for (const padding of [[0, 0], [1, 0], [1, 1]] as Pair[]) {
      if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) continue;
      const t = { n: next(1, 2), c: next(1, 3), h: next(kernel[0], 8), w: next(kernel[1], 8), kernel, stride: stride ?? kernel, padding };
      cases.push(t);
    }
  }
}

describe('pooling matches direct loops', () => {
  it.each(cases.map((t, i) => [i, t] as const))('case %i: max and average, values and gradients (float64)', (i, t) => {
    // Small integers force ties, so the test also pins down "the first maximum wins".
    const raw = randomTensor([t.n, t.c, t.h, t.w], 100 + i, -3, 3).dataSync();
    const xi = fg.tensor(raw.map((v) => (i % 2 === 0 ? Math.round(v) : v)) as Float64Array).reshape([t.n, t.c, t.h, t.w]).requiresGrad_();
    const opts = { stride: t.stride, padding: t.padding };
    const max = fg.maxPool2d(xi, t.kernel, opts);
    const avg = fg.avgPool2d(xi, t.kernel, opts);
    const g = randomTensor(max.shape as number[], 200 + i);
    const want = naivePool(t, xi.dataSync() as Float64Array, g.dataSync() as Float64Array);
    expect(max.shape).toEqual(want.shape);
    expectClose(Array.from(max.dataSync()), Array.from(want.max), 1e-12);
    expectClose(Array.from(avg.dataSync()), Array.from(want.avg), 1e-12);
    const [dMax] = fg.autograd.grad(fg.sum(fg.mul(max, g)), xi);
    const [dAvg] = fg.autograd.grad(fg.sum(fg.mul(avg, g)), xi);
    expectClose(Array.from(dMax.dataSync()), Array.from(want.dMax), 1e-12);
    expectClose(Array.from(dAvg.dataSync()), Array.from(want.dAvg), 1e-12);
  });

  it('pools float32 in float32', () => {
    const x = randomTensor([2, 3, 5, 4], 9, -1, 1, 'float32');
    const t: Case = { n: 2, c: 3, h: 5, w: 4, kernel: [3, 2], stride: [2, 1], padding: [1, 1] };
    const want = naivePool(t, Float64Array.from(x.dataSync()), new Float64Array(2 * 3 * 3 * 5));
    const max = fg.maxPool2d(x, t.kernel, t);
    const avg = fg.avgPool2d(x, t.kernel, t);
    expect([max.dtype, avg.dtype]).toEqual(['float32', 'float32']);
    expectClose(Array.from(max.dataSync()), Array.from(want.max), 1e-6);
    expectClose(Array.from(avg.dataSync()), Array.from(want.avg), 1e-6);
  });
});

describe('max pooling edge values', () => {
  it('propagates NaN (the first NaN in a window wins, and gets the gradient)', () => {
    const x = fg.tensor([[[[1, NaN], [NaN, 5]]]], { dtype: 'float64' }).requiresGrad_();
    const y = fg.maxPool2d(x, 2);
    expect(Number.isNaN(y.item())).toBe(true);
    expect(fg.autograd.grad(y.sum(), x)[0].toArray()).toEqual([[[[0, 1], [0, 0]]]]);
  });
  it('keeps −∞ inputs distinct from the padding: a window of −∞ routes its gradient to a real element', () => {
    const x = fg.full([1, 1, 2, 2], -Infinity, { dtype: 'float64' }).requiresGrad_();
    const y = fg.maxPool2d(x, 2, { stride: 1, padding: 1 });
    expect(y.toArray()).toEqual([[[[-Infinity, -Infinity, -Infinity], [-Infinity, -Infinity, -Infinity], [-Infinity, -Infinity, -Infinity]]]]);
    // 9 windows, each gives its gradient 1 to its first real element.
    expect(fg.autograd.grad(y.sum(), x)[0].toArray()).toEqual([[[[4, 2], [2, 1]]]]);
  });
});

/** Expects fg.jvp(f) to equal central differences along the tangents (inputs have no ties). */
function expectJvpMatches(f: (...xs: fg.Tensor[]) => fg.Tensor, primals: fg.Tensor[], tangents: fg.Tensor[]): void {
  const [, tangentOut] = fg.jvp(f, primals, tangents);
  const at = (h: number) => f(...primals.map((p, i) => fg.add(p, fg.mul(tangents[i], h))));
  const numeric = fg.div(fg.sub(at(1e-6), at(-1e-6)), 2e-6);
  expectClose(tangentOut.toArray(), numeric.toArray(), 1e-7);
}

describe('pooling forward mode', () => {
  const attrs: Pool2dAttrs = { kernel: [3, 2], stride: [2, 1], padding: [1, 1] };
  const x = randomTensor([2, 2, 5, 6], 31);
  const g = () => randomTensor([2, 2, 3, 7], 32);
  const r = (seed: number, shape = [2, 2, 5, 6]) => randomTensor(shape, seed);

  it('maxPool2d: the tangent at each argmax', () => expectJvpMatches((a) => fg.maxPool2d(a, [3, 2], attrs), [x], [r(33)]));
  it('avgPool2d: the same linear map on the tangent', () => expectJvpMatches((a) => fg.avgPool2d(a, [3, 2], attrs), [x], [r(34)]));
  it('maxPool2dBackward', () => expectJvpMatches((a, b) => poolInternals.maxPoolBackward(a, b, attrs), [x, g()], [r(35), r(36, [2, 2, 3, 7])]));
  it('maxPool2dPick', () => expectJvpMatches((a, b) => poolInternals.maxPoolPick(a, b, attrs), [x, r(37)], [r(38), r(39)]));
  it('avgPool2dBackward', () => expectJvpMatches((a) => poolInternals.avgPoolBackward(a, x.shape, attrs), [g()], [r(40, [2, 2, 3, 7])]));
});

describe('pooling shape inference', () => {
  const attrs: Pool2dAttrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
  it('carries symbolic batch and channels through', () => {
    expect(schemaOf('maxPool2d')!.infer([{ shape: ['batch', 'C', 28, 27], dtype: 'float32' }], attrs)[0].shape).toEqual(['batch', 'C', 14, 13]);
  });
  it('avgPool2dBackward returns its inputShape', () => {
    expect(schemaOf('avgPool2dBackward')!.infer([{ shape: [1, 2, 14, 13], dtype: 'float32' }], { ...attrs, inputShape: [1, 2, 28, 27] })[0].shape).toEqual([1, 2, 28, 27]);
  });
});
