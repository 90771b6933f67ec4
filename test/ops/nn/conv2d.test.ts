/**
 * @file conv2d against a direct 7-loop convolution written here (values and both gradients),
 * on random shapes with every option combination; forward-mode rules of the three conv ops;
 * shape inference over symbolic dims. The op table (rows/nn.ts) does gradcheck and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../../src/index.js';
import { type Conv2dAttrs, conv2dBackwardInput, conv2dBackwardWeight } from '../../../src/ops/nn/conv2d.js';
import { schemaOf } from '../../../src/ops/schema.js';
import { expectClose, randomTensor } from '../../helpers/tensors.js';

type Pair = [number, number];
interface Case {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number;
  stride: Pair; padding: Pair; dilation: Pair; groups: number;
}

const outSize = (size: number, k: number, s: number, p: number, d: number) => Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;

/**
 * y = conv2d(x, w) + b, dx and dw for the output gradient g, straight from the definition
 * y[n, o, i, j] = Σ_c Σ_a Σ_b x[n, group(o)·C/groups + c, i·sh − ph + a·dh, j·sw − pw + b·dw] · w[o, c, a, b].
 */
function naiveConv(t: Case, x: Float64Array, w: Float64Array, b: Float64Array | null, g: Float64Array | null) {
  const oh = outSize(t.h, t.kh, t.stride[0], t.padding[0], t.dilation[0]);
  const ow = outSize(t.w, t.kw, t.stride[1], t.padding[1], t.dilation[1]);
  const cg = t.c / t.groups;
  const og = t.o / t.groups;
  const y = new Float64Array(t.n * t.o * oh * ow);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let n = 0; n < t.n; n++) {
    for (let o = 0; o < t.o; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const yi = ((n * t.o + o) * oh + i) * ow + j;
          let s = b ? b[o] : 0;
          for (let c = 0; c < cg; c++) {
            for (let a = 0; a < t.kh; a++) {
              for (let bb = 0; bb < t.kw; bb++) {
                const r = i * t.stride[0] - t.padding[0] + a * t.dilation[0];
                const q = j * t.stride[1] - t.padding[1] + bb * t.dilation[1];
                if (r < 0 || r >= t.h || q < 0 || q >= t.w) continue;
                const xi = ((n * t.c + Math.floor(o / og) * cg + c) * t.h + r) * t.w + q;
                const wi = ((o * cg + c) * t.kh + a) * t.kw + bb;
                s += x[xi] * w[wi];
                if (g) {
                  dx[xi] += g[yi] * w[wi];
                  dw[wi] += g[yi] * x[xi];
                }
              }
            }
          }
          y[yi] = s;
        }
      }
    }
  }
  return { y, dx, dw, shape: [t.n, t.o, oh, ow] };
}

/** A reproducible stream of small random integers. */
function integers(seed: number) {
  let s = seed;
  return (lo: number, hi: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  };
}

const optionSets: Omit<Case, 'n' | 'c' | 'h' | 'w' | 'o' | 'kh' | 'kw'>[] = [];
for (const stride of [[1, 1], [2, 2], [2, 1], [3, 2]] as Pair[]) {
  for (const padding of [[0, 0], [1, 1], [0, 2]] as Pair[]) {
    for (const dilation of [[1, 1], [2, 2], [1, 3]] as Pair[]) {
      for (const groups of [1, 2, 3]) optionSets.push({ stride, padding, dilation, groups });
    }
  }
}

/** Random sizes for the options, re-drawn until the dilated kernel fits the padded input. */
function randomCase(options: (typeof optionSets)[number], next: (lo: number, hi: number) => number): Case {
  for (;;) {
    const t = { ...options, n: next(1, 2), c: options.groups * next(1, 2), o: options.groups * next(1, 2), h: next(1, 7), w: next(1, 7), kh: next(1, 3), kw: next(1, 3) };
    if (outSize(t.h, t.kh, t.stride[0], t.padding[0], t.dilation[0]) >= 1 && outSize(t.w, t.kw, t.stride[1], t.padding[1], t.dilation[1]) >= 1) return t;
  }
}

describe('conv2d matches a direct 7-loop convolution', () => {
  const next = integers(2024);
  const cases = optionSets.map((opts) => randomCase(opts, next));

  it.each(cases.map((t, i) => [i, t] as const))('case %i: values, input gradient and weight gradient (float64)', (i, t) => {
    const x = randomTensor([t.n, t.c, t.h, t.w], 1000 + i);
    const w = randomTensor([t.o, t.c / t.groups, t.kh, t.kw], 2000 + i);
    const b = i % 2 === 0 ? randomTensor([t.o], 3000 + i) : null;
    const opts = { stride: t.stride, padding: t.padding, dilation: t.dilation, groups: t.groups };
    const y = fg.conv2d(x.requiresGrad_(), w.requiresGrad_(), b, opts);
    const g = randomTensor(y.shape as number[], 4000 + i);
    const want = naiveConv(t, x.dataSync() as Float64Array, w.dataSync() as Float64Array, b ? (b.dataSync() as Float64Array) : null, g.dataSync() as Float64Array);
    expect(y.shape).toEqual(want.shape);
    expectClose(Array.from(y.dataSync()), Array.from(want.y), 1e-12);
    const [dx, dw] = fg.autograd.grad(fg.sum(fg.mul(y, g)), [x, w]);
    expectClose(Array.from(dx.dataSync()), Array.from(want.dx), 1e-12);
    expectClose(Array.from(dw.dataSync()), Array.from(want.dw), 1e-12);
  });

  it('agrees in float32 (accumulating in float64, so only the inputs are rounded)', () => {
    const t = cases[17];
    const x = randomTensor([t.n, t.c, t.h, t.w], 5, -1, 1, 'float32');
    const w = randomTensor([t.o, t.c / t.groups, t.kh, t.kw], 6, -1, 1, 'float32');
    const y = fg.conv2d(x, w, null, { stride: t.stride, padding: t.padding, dilation: t.dilation, groups: t.groups });
    expect(y.dtype).toBe('float32');
    const want = naiveConv(t, Float64Array.from(x.dataSync()), Float64Array.from(w.dataSync()), null, null);
    expectClose(Array.from(y.dataSync()), Array.from(want.y), 1e-6);
  });

  it('reads non-contiguous inputs (a permuted input, an expanded weight)', () => {
    const t: Case = { n: 2, c: 2, h: 5, w: 4, o: 3, kh: 2, kw: 3, stride: [2, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    const xNhwc = randomTensor([2, 5, 4, 2], 7);
    const x = xNhwc.permute(0, 3, 1, 2);
    const w = fg.expand(randomTensor([1, 2, 2, 3], 8), [3, 2, 2, 3]);
    const y = fg.conv2d(x, w, null, { stride: t.stride, padding: t.padding });
    const want = naiveConv(t, x.dataSync() as Float64Array, w.dataSync() as Float64Array, null, null);
    expectClose(Array.from(y.dataSync()), Array.from(want.y), 1e-12);
  });

  it('handles an empty batch', () => {
    const y = fg.conv2d(fg.ones([0, 2, 5, 5]), fg.ones([3, 2, 3, 3]), fg.ones([3]));
    expect(y.shape).toEqual([0, 3, 3, 3]);
  });
});

/** Expects fg.jvp(f) to equal central differences along the tangents (exact here: every conv op is bilinear). */
function expectJvpMatches(f: (...xs: fg.Tensor[]) => fg.Tensor, primals: fg.Tensor[], tangents: fg.Tensor[]): void {
  const [, tangentOut] = fg.jvp(f, primals, tangents);
  const at = (h: number) => f(...primals.map((p, i) => fg.add(p, fg.mul(tangents[i], h))));
  const numeric = fg.div(fg.sub(at(1e-3), at(-1e-3)), 2e-3);
  expectClose(tangentOut.toArray(), numeric.toArray(), 1e-9);
}

describe('conv forward mode', () => {
  const attrs: Conv2dAttrs = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 };
  const opts = { stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation, groups: attrs.groups };
  const x = randomTensor([2, 4, 5, 6], 11);
  const w = randomTensor([2, 2, 3, 2], 12);
  const g = fg.conv2d(x, w, null, opts);
  const r = (shape: readonly number[], seed: number) => randomTensor(shape as number[], seed);

  it('conv2d: conv(tx, w) + conv(x, tw) + tb', () => {
    expectJvpMatches((a, b, c) => fg.conv2d(a, b, c, opts), [x, w, r([2], 13)], [r(x.shape, 14), r(w.shape, 15), r([2], 16)]);
  });
  it('conv2dBackwardInput', () => {
    expectJvpMatches((a, b) => conv2dBackwardInput(a, b, x.shape, attrs), [r(g.shape, 17), w], [r(g.shape, 18), r(w.shape, 19)]);
  });
  it('conv2dBackwardWeight', () => {
    expectJvpMatches((a, b) => conv2dBackwardWeight(a, b, w.shape, attrs), [x, r(g.shape, 20)], [r(x.shape, 21), r(g.shape, 22)]);
  });
  it('gives second derivatives by forward-over-reverse', () => {
    // d/dε of ∂L/∂w at x + ε·t, for L = Σ g·conv2d(x, w): the weight gradient is linear in x.
    const t = r(x.shape, 23);
    const dLdw = (xx: fg.Tensor) => {
      const wl = w.detach().requiresGrad_();
      return fg.autograd.grad(fg.sum(fg.mul(fg.conv2d(xx, wl, null, opts), g)), wl, { createGraph: true })[0];
    };
    const [, tangent] = fg.jvp(dLdw, [x], [t]);
    expectClose(tangent.toArray(), dLdw(t).toArray(), 1e-12);
  });
});

describe('conv shape inference', () => {
  const attrs: Conv2dAttrs = { stride: [2, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
  const infer = (x: (number | string)[], w: (number | string)[], a: Conv2dAttrs) =>
    schemaOf('conv2d')!.infer([{ shape: x, dtype: 'float32' }, { shape: w, dtype: 'float32' }], a)[0].shape;

  it('carries a symbolic batch through', () => {
    expect(infer(['batch', 3, 28, 28], [8, 3, 3, 3], attrs)).toEqual(['batch', 8, 14, 28]);
  });
  it('gives symbolic spatial sizes as expressions (unchanged where the window keeps the size)', () => {
    expect(infer([1, 3, 'H', 'W'], [8, 3, 3, 3], attrs)).toEqual([1, 8, 'floor((H-1)/2)+1', 'W']);
  });
  it('backward ops infer the shapes in their attributes', () => {
    const bi = schemaOf('conv2dBackwardInput')!.infer([{ shape: [2, 8, 3, 7], dtype: 'float64' }, { shape: [8, 3, 3, 3], dtype: 'float64' }], { ...attrs, inputShape: [2, 3, 6, 7] });
    expect(bi[0]).toEqual({ shape: [2, 3, 6, 7], dtype: 'float64' });
    const bw = schemaOf('conv2dBackwardWeight')!.infer([{ shape: [2, 3, 6, 7], dtype: 'float64' }, { shape: [2, 8, 3, 7], dtype: 'float64' }], { ...attrs, weightShape: [8, 3, 3, 3] });
    expect(bw[0]).toEqual({ shape: [8, 3, 3, 3], dtype: 'float64' });
  });
});
