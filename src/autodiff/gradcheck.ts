/**
 * @file Finite-difference gradient checks (PyTorch's gradcheck / gradgradcheck).
 *
 * Projects the outputs on a fixed random cotangent v, so L(x) = Σ v·f(x) is a scalar, then
 * compares autograd's dL/dx with central differences (L(x+h) − L(x−h)) / 2h for every
 * element of every input. Run it in float64: float32 differences are too noisy.
 */
import { FlowgradError, ValueError, given } from '../errors.js';
import { mul } from '../ops/elementwise/binary.js';
import { enableGrad, noGrad } from '../ops/gradMode.js';
import { sum } from '../ops/reduce/sum.js';
import { Tensor } from '../tensor/tensor.js';
import { grad } from './api.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the cotangent projection, for reproducible checks. */
  seed?: number;
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

function cotangents(outs: readonly Tensor[], seed: number): Tensor[] {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return outs.map((o) => {
    const data = new Float64Array(o.size).map(() => 0.5 + Math.abs(next()));
    return Tensor.fromData(data, o.shape, 'float64', o.device);
  });
}

/** L(x) = Σ_i sum(v_i · f(x)_i). */
function projected(f: Fn, xs: Tensor[], vs: readonly Tensor[] | null): { value: Tensor; vs: Tensor[] } {
  const out = f(...xs);
  const outs = (Array.isArray(out) ? out : [out]).filter((o) => o.dtype === 'float64');
  const v = vs ?? cotangents(outs, 12345);
  let total: Tensor | null = null;
  outs.forEach((o, i) => {
    const term = sum(mul(o, v[i]));
    total = total ? total.add(term) : term;
  });
  if (!total) throw new ValueError('gradcheck', 'f', 'a function with at least one float64 output', given('none'));
  return { value: total, vs: v as Tensor[] };
}

/** Throws a FlowgradError listing the worst mismatches if analytic and numeric gradients differ. */
export function gradcheck(f: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  if (typeof f !== 'function') throw new ValueError('gradcheck', 'f', 'a function', f);
  if (!Array.isArray(inputs)) throw new ValueError('gradcheck', 'inputs', 'an array of float64 tensors', inputs);
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor) || x.dtype !== 'float64') throw new ValueError('gradcheck', `inputs[${i}]`, 'a float64 tensor', x);
  });
  const leaves = inputs.map((x) => Tensor.fromData(x.dataSync(), x.shape, 'float64', x.device).requiresGrad_());
  const { value, vs } = projected(f, leaves, null);
  // An output that does not depend on the inputs (the gradient of a linear function) has zero gradient.
  const analytic = value.requiresGrad ? grad(value, leaves, { allowUnused: true }) : leaves.map(() => null);
  const problems: string[] = [];
  leaves.forEach((x, i) => {
    const a = analytic[i] ? analytic[i].dataSync() : new Float64Array(x.size);
    const base = x.dataSync() as Float64Array;
    for (let k = 0; k < base.length; k++) {
      const at = (delta: number) => {
        const data = base.slice();
        data[k] += delta;
        const xs = leaves.map((l, j) => (j === i ? Tensor.fromData(data, x.shape, 'float64') : l.detach()));
        return noGrad(() => projected(f, xs, vs).value.item());
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      if (!(Math.abs(a[k] - numeric) <= atol + rtol * Math.abs(numeric))) {
        problems.push(`input ${i} element ${k}: autograd ${a[k]}, finite difference ${numeric}`);
      }
    }
  });
  if (problems.length > 0) {
    throw new FlowgradError(`gradcheck: gradients differ from finite differences (${problems.length} elements):\n  ${problems.slice(0, 8).join('\n  ')}`);
  }
  return true;
}

/** Checks second derivatives: gradcheck of x ↦ dL/dx computed with createGraph. */
export function gradgradcheck(f: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  // Numeric evaluation runs under noGrad with plain inputs; the first-order gradient still
  // needs a tape, so record it here with leaves of its own where the inputs have none.
  const firstOrder = (...xs: Tensor[]): Tensor[] =>
    enableGrad(() => {
      const ins = xs.map((x) => (x.requiresGrad ? x : x.detach().requiresGrad_()));
      const { value } = projected(f, ins, null);
      return grad(value, ins, { createGraph: true, allowUnused: true }).filter((g) => g !== null);
    });
  return gradcheck(firstOrder, inputs, opts);
}
