/**
 * @file JAX-style functional transforms over the tape: grad, valueAndGrad, vjp, hessian.
 *
 * Each call makes the differentiated arguments leaves of a fresh tape (or, when an outer
 * transform is already differentiating them, differentiates through the outer tape with
 * createGraph), so the transforms nest: grad(grad(f)), and compose with jit either way.
 */
import { ValueError, given } from '../errors.js';
import { enableGrad, isGradEnabled } from '../ops/gradMode.js';
import { mul } from '../ops/elementwise/binary.js';
import { reshape } from '../ops/movement/reshape.js';
import { stack } from '../ops/movement/concat.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/create.js';
import { grad as autogradGrad } from './api.js';

export interface GradTransformOptions {
  /** Which positional argument(s) to differentiate: a number gives one gradient, an array an array. */
  argnums?: number | number[];
}

type Fn = (...args: any[]) => any;

function argIndices(op: string, argnums: number | number[] | undefined, args: readonly unknown[]): number[] {
  const list = argnums === undefined ? [0] : Array.isArray(argnums) ? argnums : [argnums];
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) throw new ValueError(op, 'argnums', `argument indices in [0, ${args.length - 1}]`, i);
    const a = args[i];
    if (!(a instanceof Tensor)) throw new ValueError(op, `argument ${i}`, 'a Tensor (it is differentiated)', a);
    if (!isFloating(a.dtype)) throw new ValueError(op, `argument ${i}`, 'a float32 or float64 tensor (it is differentiated)', given(`a ${a.dtype} tensor`));
  }
  return list;
}

/**
 * The differentiable stand-ins for the arguments: an argument an outer transform already
 * differentiates is used as is (the gradient flows through the outer tape); any other
 * becomes a fresh leaf that shares its storage.
 */
function leavesFor(args: readonly unknown[], idx: readonly number[]): { leaves: unknown[]; nested: boolean } {
  let nested = false;
  const leaves = args.map((a, i) => {
    if (!idx.includes(i)) return a;
    const t = a as Tensor;
    if (t.requiresGrad && isGradEnabled()) {
      nested = true;
      return t;
    }
    return t.detach().requiresGrad_();
  });
  return { leaves, nested };
}

function scalarOutput(op: string, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw new ValueError(op, 'f', 'a function returning a Tensor', out);
  if (out.size !== 1) throw new ValueError(op, 'f', 'a function returning a one-element tensor', given(`one returning shape ${shapeStr(out.shape)}`));
  return out;
}

/** `valueAndGrad(f)(...args)` gives `[f(...args), gradients]`. */
export function valueAndGrad(f: Fn, opts: GradTransformOptions = {}): (...args: any[]) => [Tensor, Tensor | Tensor[]] {
  if (typeof f !== 'function') throw new ValueError('valueAndGrad', 'f', 'a function', f);
  return (...args) => {
    const idx = argIndices('grad', opts.argnums, args);
    const { leaves, nested } = leavesFor(args, idx);
    const out = scalarOutput('grad', enableGrad(() => f(...leaves)));
    const inputs = idx.map((i) => leaves[i] as Tensor);
    // An output that does not depend on the arguments has zero gradient, as in JAX.
    const gs = out.requiresGrad
      ? autogradGrad(out, inputs, { createGraph: nested, allowUnused: true }).map((g, k) => g ?? mul(inputs[k], 0))
      : inputs.map((x) => mul(x.detach(), 0));
    const value = nested ? out : out.detach();
    return [value, Array.isArray(opts.argnums) ? gs : gs[0]];
  };
}

/** `grad(f)(...args)`: the gradient of a scalar-valued f with respect to argument `argnums`. */
export function grad(f: Fn, opts: GradTransformOptions = {}): (...args: any[]) => any {
  const vg = valueAndGrad(f, opts);
  return (...args) => vg(...args)[1];
}

/** `vjp(f, ...primals)` gives `[f(...primals), vjpFn]`, where vjpFn(cotangent) returns one gradient per primal. */
export function vjp(f: Fn, ...primals: Tensor[]): [any, (cotangent: Tensor | Tensor[]) => Tensor[]] {
  if (typeof f !== 'function') throw new ValueError('vjp', 'f', 'a function', f);
  const idx = argIndices('vjp', primals.map((_, i) => i), primals);
  const { leaves, nested } = leavesFor(primals, idx);
  const out = enableGrad(() => f(...leaves));
  const outs: Tensor[] = Array.isArray(out) ? out : [out];
  outs.forEach((o, i) => {
    if (!(o instanceof Tensor)) throw new ValueError('vjp', `f's output ${i}`, 'a Tensor', o);
  });
  const inputs = leaves as Tensor[];
  const vjpFn = (cotangent: Tensor | Tensor[]): Tensor[] => {
    const cts = Array.isArray(cotangent) ? cotangent : [cotangent];
    if (cts.length !== outs.length) throw new ValueError('vjp', 'cotangent', `${outs.length} tensor(s), one per output`, cotangent);
    const live = outs.map((o, i) => [o, cts[i]] as const).filter(([o]) => o.requiresGrad);
    if (live.length === 0) return inputs.map((x) => mul(x.detach(), 0));
    const gs = autogradGrad(live.map(([o]) => o), inputs, { gradOutputs: live.map(([, c]) => c), retainGraph: true, createGraph: nested, allowUnused: true });
    return gs.map((g, k) => g ?? mul(inputs[k].detach(), 0));
  };
  return [Array.isArray(out) ? outs.map((o) => (nested ? o : o.detach())) : nested ? out : (out as Tensor).detach(), vjpFn];
}

/** `hessian(f)(x)`: the matrix of second derivatives of a scalar f, of shape [...x.shape, ...x.shape]. */
export function hessian(f: Fn): (x: Tensor, ...rest: any[]) => Tensor {
  if (typeof f !== 'function') throw new ValueError('hessian', 'f', 'a function', f);
  return (x, ...rest) => {
    argIndices('hessian', 0, [x]);
    const { leaves, nested } = leavesFor([x], [0]);
    const xl = leaves[0] as Tensor;
    const out = scalarOutput('hessian', enableGrad(() => f(xl, ...rest)));
    const n = x.size;
    const [g] = out.requiresGrad ? autogradGrad(out, [xl], { createGraph: true, allowUnused: true }) : [null];
    // One reverse pass per row: row i = d(∂f/∂x_i)/dx, seeded with the one-hot e_i.
    const rows: Tensor[] = [];
    for (let i = 0; i < n; i++) {
      const seed = zeros(x.shape as number[], { dtype: x.dtype, device: x.device });
      seed.storage.data[i] = 1;
      const [row] = g?.requiresGrad ? autogradGrad(g, [xl], { gradOutputs: seed, retainGraph: true, createGraph: nested, allowUnused: true }) : [null];
      rows.push(row ?? mul(xl.detach(), 0));
    }
    return reshape(stack(rows), [...x.shape, ...x.shape]);
  };
}
