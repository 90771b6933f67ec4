/**
 * @file The global random generator behind rand, randn and dropout.
 *
 * xoshiro128** seeded through splitmix32: fast, 32-bit, and reproducible after manualSeed.
 */
import { ValueError } from '../errors.js';

const state = new Uint32Array(4);

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Seeds the generator: the same seed gives the same rand/randn/dropout draws. */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new ValueError('manualSeed', 'seed', 'an integer', seed);
  const next = splitmix32(seed ^ Math.floor(seed / 2 ** 32));
  for (let i = 0; i < 4; i++) state[i] = next();
}
manualSeed(Date.now() ^ (Math.random() * 2 ** 32));

function nextUint32(): number {
  const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
  const t = state[1] << 9;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 11);
  return result;
}
const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** A uniform draw in [0, 1) with 32 bits of randomness. */
export const nextUniform = (): number => nextUint32() / 4294967296;

/** Fills `out` with uniform [0, 1) draws. */
export function fillUniform(out: { length: number; [i: number]: number }): void {
  for (let i = 0; i < out.length; i++) out[i] = nextUniform();
}

/** Fills `out` with standard normal draws (Box–Muller, both halves used). */
export function fillNormal(out: { length: number; [i: number]: number }): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - nextUniform(); // (0, 1]: log stays finite
    const u2 = nextUniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}
