/**
 * @file Deterministic benchmark inputs as plain typed arrays, so every library gets the same numbers.
 */

/** mulberry32: a small seeded generator; benchmarks need repeatability, not quality. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` float32 values uniform in [lo, hi). */
export function uniform(n: number, lo: number, hi: number, seed: number): Float32Array {
  const next = generator(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** `n` int32 class labels in [0, classes). */
export function labels(n: number, classes: number, seed: number): Int32Array {
  const next = generator(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * classes);
  return out;
}

/** Row-major one-hot rows [n, classes] for libraries whose loss wants probabilities. */
export function oneHot(classOf: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(classOf.length * classes);
  classOf.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}

/** Reorders an array of `shape` by `perm` (like numpy's transpose), e.g. NCHW → NHWC. */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += index[d] * inStrides[perm[d]];
    out[o] = data[src];
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}
