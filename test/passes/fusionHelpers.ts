/**
 * @file Helpers for the fusion tests: a graph run on the reference kernels only (fused nodes on
 * their generated kernel), and bit-for-bit comparison of results.
 */
import { expect } from 'vitest';
import * as fg from '../../src/index.js';
import { kernelOf } from '../../src/kernels/registry.js';
import { contiguous } from '../../src/kernels/reference/copy.js';
import { schemaOf } from '../../src/ops/schema.js';
import { runFused } from '../../src/runtime/fused.js';

/**
 * Runs `g` node by node on the reference kernels (the oracle), fused nodes on their generated
 * kernel: comparing a graph with its fused form this way checks the fused kernel alone.
 */
export function referenceRun(g: fg.Graph, inputs: readonly fg.Tensor[]): fg.Tensor[] {
  const env = new Map<fg.Value, fg.Tensor>();
  g.inputs.forEach((v, i) => env.set(v, inputs[i]));
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => env.get(v)!);
    let outs: fg.Tensor[];
    if (n.op === 'constant') outs = [n.attrs.value as fg.Tensor];
    else if (n.op === 'fused') outs = runFused(n, ins);
    else {
      const entry = kernelOf(n.op, 'reference');
      if (!entry) throw new Error(`no reference kernel for ${n.op}`);
      outs = entry.kernel(entry.contiguousInputs ? ins.map(contiguous) : ins, n.attrs, schemaOf(n.op)!.infer(ins, n.attrs));
    }
    n.outputs.forEach((v, i) => env.set(v, outs[i]));
  }
  return g.outputs.map((v) => env.get(v)!);
}

/** Whether two numbers are the same bits as far as JS can tell (NaN equals NaN; −0 differs from 0). */
export const sameNumber = (a: number, b: number): boolean => Object.is(a, b);

/** Expects equal shapes, dtypes and every element bit for bit. */
export function expectSameBits(actual: readonly fg.Tensor[], expected: readonly fg.Tensor[], what = ''): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i];
    expect(a.shape, `${what} output ${i} shape`).toEqual(e.shape);
    expect(a.dtype, `${what} output ${i} dtype`).toBe(e.dtype);
    const [x, y] = [a.dataSync(), e.dataSync()];
    for (let k = 0; k < y.length; k++) {
      if (!sameNumber(x[k], y[k])) expect.fail(`${what} output ${i} element ${k}: ${x[k]}, expected ${y[k]}`);
    }
  });
}

/** The number of nodes of each op in `g`. */
export const countOps = (g: fg.Graph, op: string): number => g.nodes.filter((n) => n.op === op).length;
