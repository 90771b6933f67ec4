/** @file Helpers for the pass tests: graphs from IR text, expected IR after a pass, numbers before and after. */
import { expect } from 'vitest';
import * as fg from '../../src/index.js';
import { expectClose } from '../helpers/tensors.js';

/** A graph from IR lines (joined with newlines), parsed and verified. */
export const graphOf = (...lines: string[]): fg.Graph => fg.parseGraph(lines.join('\n'));

/**
 * Expects `g` to print as `lines` (trailing `# source` comments are kept as written), to verify,
 * and to round-trip through the parser.
 */
export function expectIR(g: fg.Graph, ...lines: string[]): void {
  expect(g.toString()).toBe(lines.join('\n'));
  fg.verifyGraph(g);
  expect(fg.graphDifference(fg.parseGraph(g.toString()), g)).toBeNull();
}

/** Runs both graphs on `inputs` and expects the same outputs (shape, dtype, values within tol). */
export function expectSameNumbers(before: fg.Graph, after: fg.Graph, inputs: fg.Tensor[], tol = 1e-12): void {
  const a = before.run(...inputs);
  const b = after.run(...inputs);
  expectSameTensors(b, a, tol);
}

/** Expects `actual` to equal `expected` tensor by tensor. */
export function expectSameTensors(actual: readonly fg.Tensor[], expected: readonly fg.Tensor[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(actual[i].shape, `output ${i} shape`).toEqual(e.shape);
    expect(actual[i].dtype, `output ${i} dtype`).toBe(e.dtype);
    expectClose(actual[i].toArray(), e.toArray(), tol, `output ${i}`);
  });
}

/** The ops of a graph's nodes, in order. */
export const opsOf = (g: fg.Graph): string[] => g.nodes.map((n) => n.op);
