/**
 * @file Runs every row of the op table: expected values, float64 gradcheck (and second
 * order where asked), bad inputs; then checks that every differentiable op in the
 * registry was gradient-checked by some row.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { registerDispatchKey } from '../../src/ops/dispatch.js';
import { allSchemas } from '../../src/ops/schema.js';
import { expectClose, expectFlowgradError } from '../helpers/tensors.js';
import { opTable } from './opTable.js';

// A spy key, above every other, that records which ops a gradient check dispatched.
const gradChecked = new Set<string>();
let recording = false;
registerDispatchKey({
  name: 'testSpy',
  priority: 1000,
  wants: (schema) => (recording && gradChecked.add(schema.name), false),
  call: () => [],
});

const names = opTable.map((r) => r.name);
it('op table rows have unique names', () => expect(new Set(names).size).toBe(names.length));

describe.each(opTable.map((r) => [r.name, r] as const))('%s', (_name, row) => {
  if (row.expected !== undefined) {
    it('computes the expected values', () => {
      const out = row.fn(...row.inputs());
      const outs = Array.isArray(out) ? out : [out];
      const exp = Array.isArray(out) ? (row.expected as unknown[]) : [row.expected];
      outs.forEach((o, i) => expectClose(o.toArray(), exp[i], 1e-9));
    });
  }
  if (row.gradOrder >= 1) {
    it('passes gradcheck in float64', () => {
      const inputs = row.inputs();
      const wrt = row.wrt ?? inputs.map((t, i) => (t.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
      const f = (...xs: fg.Tensor[]) => row.fn(...inputs.map((t, i) => (wrt.includes(i) ? xs[wrt.indexOf(i)] : t)));
      recording = true;
      try {
        expect(fg.autograd.gradcheck(f, wrt.map((i) => inputs[i]), row.gradcheck)).toBe(true);
      } finally {
        recording = false;
      }
    });
  }
  if (row.gradOrder >= 1) {
    it('forward mode (jvp) matches finite differences', () => {
      const inputs = row.inputs();
      const wrt = row.wrt ?? inputs.map((t, i) => (t.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
      const tangents = inputs.map((t, i) => (wrt.includes(i) ? fg.linspace(-1, 1, t.size, { dtype: 'float64' }).reshape([...t.shape]) : fg.zerosLike(t)));
      const outs = (...xs: fg.Tensor[]) => [row.fn(...xs)].flat().filter((o) => o.dtype === 'float64');
      const [, tangentOut] = fg.jvp((...xs: fg.Tensor[]) => outs(...xs), inputs, tangents);
      const h = row.gradcheck?.eps ?? 1e-6;
      const shifted = (sign: number) => outs(...inputs.map((x, i) => (wrt.includes(i) ? x.add(tangents[i].mul(sign * h)) : x)));
      const [plus, minus] = [shifted(1), shifted(-1)];
      (tangentOut as fg.Tensor[]).forEach((t, k) => expectClose(t.toArray(), plus[k].sub(minus[k]).div(2 * h).toArray(), Math.max(1e-6, row.gradcheck?.atol ?? 0)));
    });
  }
  if (row.gradOrder >= 2) {
    it('passes second-order gradcheck', () => {
      const inputs = row.inputs();
      const wrt = row.wrt ?? inputs.map((t, i) => (t.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
      const f = (...xs: fg.Tensor[]) => row.fn(...inputs.map((t, i) => (wrt.includes(i) ? xs[wrt.indexOf(i)] : t)));
      expect(fg.autograd.gradgradcheck(f, wrt.map((i) => inputs[i]), row.gradcheck)).toBe(true);
    });
  }
  for (const [i, bad] of (row.bad ?? []).entries()) {
    it(`rejects bad input ${i} with a clear error`, () => expectFlowgradError(bad.call, bad.message));
  }
});

it('gradient-checked every differentiable op in the registry', () => {
  // Runs last (tests in a file run in order). Every op with a VJP must have been dispatched inside some gradcheck.
  const differentiable = allSchemas().filter((s) => s.vjp).map((s) => s.name);
  const missing = differentiable.filter((n) => !gradChecked.has(n));
  expect(missing, `differentiable ops never gradient-checked: ${missing.join(', ')}`).toEqual([]);
});
