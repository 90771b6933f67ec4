/** @file Small helpers for building test inputs and comparing results. */
import { expect } from 'vitest';
import * as fg from '../../src/index.js';

/** A reproducible float64 tensor with values in [lo, hi). */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1, dtype: fg.DType = 'float64'): fg.Tensor {
  let s = seed >>> 0 || 1;
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1)).map(() => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s / 2 ** 32) * (hi - lo);
  });
  return fg.tensor(data, { dtype }).reshape(shape);
}

/** Random values in [lo, hi) kept at least `gap` away from `avoid` (for kinks like relu at 0). */
export function awayFrom(shape: number[], seed: number, avoid = 0, gap = 0.1): fg.Tensor {
  const t = randomTensor(shape, seed);
  const d = t.dataSync().map((v) => (Math.abs(v - avoid) < gap ? avoid + (v < avoid ? -gap : gap) : v));
  return fg.tensor(d as Float64Array).reshape(shape);
}

/** Deep comparison of nested arrays of numbers with a tolerance. */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-6, path = ''): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} should be an array`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose(a[i], e, tol, `${path}[${i}]`));
    return;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return void expect(actual, path).toBeNaN();
    if (!Number.isFinite(expected)) return void expect(actual, path).toBe(expected);
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected)));
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** Expects `call` to throw an instance of `kind` whose message matches every pattern; returns the message. */
export function expectThrows(call: () => unknown, kind: abstract new (...args: any[]) => Error, ...patterns: RegExp[]): string {
  let thrown: unknown;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected a ${kind.name}`).toBeInstanceOf(kind);
  const message = (thrown as Error).message;
  for (const p of patterns) expect(message).toMatch(p);
  return message;
}

/** Expects `call` to throw a FlowgradError whose message matches. */
export function expectFlowgradError(call: () => unknown, message: RegExp): void {
  expectThrows(call, fg.FlowgradError, message);
}
