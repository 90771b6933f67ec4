/** @file Shared helpers of the control-flow tests: float64 inputs, graph vs eager, IR round trips. */
import { expect } from 'vitest';
import * as fg from '../../src/index.js';
import { expectClose } from '../helpers/tensors.js';

export const f64 = (d: fg.NestedArray): fg.Tensor => fg.tensor(d, { dtype: 'float64' });
export const i32 = (d: fg.NestedArray): fg.Tensor => fg.tensor(d, { dtype: 'int32' });
export const s64 = (shape: (number | string | null)[]): fg.Spec => fg.spec(shape, 'float64');

/** The graph verifies, and its text and JSON forms read back as an equal graph. */
export function expectRoundTrip(g: fg.Graph): string {
  fg.verifyGraph(g);
  const text = g.toString();
  expect(fg.graphDifference(fg.parseGraph(text), g)).toBeNull();
  expect(fg.graphDifference(fg.graphFromJSON(fg.graphToJSON(g)), g)).toBeNull();
  return text;
}

/** Every output of `g.run(...inputs)` equals the eager `f(...inputs)` (flattened in order). */
export function expectGraphMatchesEager(g: fg.Graph, f: (...xs: fg.Tensor[]) => unknown, inputs: fg.Tensor[], tol = 1e-12): void {
  const eager = flatten(f(...inputs));
  const graph = g.run(...inputs);
  expect(graph.length).toBe(eager.length);
  graph.forEach((t, i) => {
    expect(t.shape).toEqual(eager[i].shape);
    expect(t.dtype).toBe(eager[i].dtype);
    expectClose(t.toArray(), eager[i].toArray(), tol);
  });
}

export function flatten(x: unknown): fg.Tensor[] {
  if (x instanceof fg.Tensor) return [x];
  if (Array.isArray(x)) return x.flatMap(flatten);
  if (x !== null && typeof x === 'object') return Object.keys(x).sort().flatMap((k) => flatten((x as Record<string, unknown>)[k]));
  return [];
}

/** Gradients of the scalar f by the eager tape, one per input. */
export function tapeGrads(f: (...xs: fg.Tensor[]) => fg.Tensor, inputs: fg.Tensor[]): fg.Tensor[] {
  const leaves = inputs.map((x) => x.detach().requiresGrad_());
  return fg.autograd.grad(f(...leaves), leaves, { allowUnused: true }).map((g, i) => g ?? fg.zerosLike(inputs[i]));
}

/** Each tensor of `actual` is close to the same tensor of `expected`. */
export function expectAllClose(actual: readonly fg.Tensor[], expected: readonly fg.Tensor[], tol = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((t, i) => expectClose(t.toArray(), expected[i].toArray(), tol, `[${i}]`));
}
