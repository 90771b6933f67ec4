/**
 * @file A small seeded generator (mulberry32) for shuffling, separate from the global tensor
 * generator: a DataLoader with a seed yields the same order whatever else draws numbers.
 */

/** A function giving uniform draws in [0, 1), fully determined by `seed`. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0..n−1 in an order drawn by Fisher–Yates from `uniform`. */
export function permutation(n: number, uniform: () => number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
