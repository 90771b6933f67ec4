/** @file Adam and AdamW (PyTorch's torch.optim.Adam / AdamW, with bias correction and optional AMSGrad). */
import { cast } from '../ops/elementwise/cast.js';
import { ValueError } from '../errors.js';
import { add, div, maximum, mul, pow, sub } from '../ops/elementwise/binary.js';
import { neg, sqrt } from '../ops/elementwise/unary.js';
import { copy_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { type ParamState, type ParamsArg, Optimizer, checkHyperNumber } from './optimizer.js';

export interface AdamHyper {
  lr: number;
  /** Decay rates of the first and second moment estimates. */
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Keep the maximum of past second moments (Reddi et al., 2018). */
  amsgrad: boolean;
  /** Decay the weights directly (AdamW, Loshchilov & Hutter) instead of adding weightDecay·param to the gradient. */
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

/** Adam's moment estimates for one parameter; null before its first step. */
export interface AdamMoments {
  expAvg: Tensor | null;
  expAvgSq: Tensor | null;
  maxExpAvgSq: Tensor | null;
}

type Scalar = number | Tensor;
// Bias corrections stay JS numbers when step and lr are; a jitted step passes tensors instead.
const scalarSub = (a: number, b: Scalar): Scalar => (typeof b === 'number' ? a - b : sub(a, b));
const scalarPow = (a: number, b: Scalar): Scalar => (typeof b === 'number' ? a ** b : pow(a, b));
const scalarDiv = (a: Scalar, b: Scalar): Scalar => (typeof a === 'number' && typeof b === 'number' ? a / b : div(a, b));
const scalarSqrt = (a: Scalar): Scalar => (typeof a === 'number' ? Math.sqrt(a) : sqrt(a));

/**
 * One Adam step as pure ops (usable inside fg.jit), PyTorch's rule with `step` counted from 1:
 *
 *     g = grad + weightDecay·param            (or param·(1 − lr·weightDecay) when decoupled)
 *     m = β1·m + (1 − β1)·g,   v = β2·v + (1 − β2)·g²
 *     v̂ = max(v̂, v) with amsgrad, else v
 *     param = param − lr/(1 − β1^step) · m / (√v̂ / √(1 − β2^step) + eps)
 */
export function adamUpdate(
  param: Tensor,
  grad: Tensor,
  moments: AdamMoments,
  step: Scalar,
  h: Omit<AdamHyper, 'lr'> & { lr: Scalar },
): { param: Tensor } & AdamMoments {
  const [beta1, beta2] = h.betas;
  let g = h.maximize ? neg(grad) : grad;
  let p = param;
  if (h.weightDecay !== 0) {
    if (h.decoupledWeightDecay) p = mul(p, scalarSub(1, mul1(h.lr, h.weightDecay)));
    else g = add(g, mul(p, h.weightDecay));
  }
  const expAvg = add(mul(moments.expAvg ?? zerosLike(param), beta1), mul(g, 1 - beta1));
  const expAvgSq = add(mul(moments.expAvgSq ?? zerosLike(param), beta2), mul(mul(g, g), 1 - beta2));
  const maxExpAvgSq = h.amsgrad ? maximum(moments.maxExpAvgSq ?? zerosLike(param), expAvgSq) : null;
  // Bias corrections in float64, then rounded once to the parameter's dtype: the eager
  // optimizer computes them in JS doubles, and Adam amplifies any rounding difference.
  const wide = (v: Scalar): Scalar => (typeof v === 'number' ? v : cast(v, 'float64'));
  const narrow = (v: Scalar): Scalar => (typeof v === 'number' ? v : cast(v, param.dtype));
  const stepSize = narrow(scalarDiv(wide(h.lr), scalarSub(1, scalarPow(beta1, wide(step)))));
  const correction2Sqrt = narrow(scalarSqrt(scalarSub(1, scalarPow(beta2, wide(step)))));
  const denom = add(div(sqrt(maxExpAvgSq ?? expAvgSq), correction2Sqrt), h.eps);
  return { param: sub(p, mul(div(expAvg, denom), stepSize)), expAvg, expAvgSq, maxExpAvgSq };
}

const mul1 = (a: Scalar, b: number): Scalar => (typeof a === 'number' ? a * b : mul(a, b));

const ADAM_DEFAULTS: AdamHyper = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, decoupledWeightDecay: false, maximize: false };

/**
 * Adam (Kingma & Ba, 2015). Defaults as PyTorch: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weightDecay 0 (added to the gradient; see AdamW for decoupled decay).
 */
export class Adam extends Optimizer<AdamHyper> {
  constructor(params: ParamsArg<AdamHyper>, opts: Partial<AdamHyper> = {}) {
    if (typeof opts !== 'object' || opts === null) throw new ValueError('Adam', 'options', 'an object { lr, betas, eps, weightDecay, amsgrad, maximize }', opts);
    super(params, { ...ADAM_DEFAULTS, ...opts });
  }

  protected checkHyper(h: AdamHyper): void {
    const name = this.constructor.name;
    checkHyperNumber(name, 'lr', h.lr, 'a learning rate ≥ 0', (v) => v >= 0);
    checkHyperNumber(name, 'eps', h.eps, 'an epsilon ≥ 0', (v) => v >= 0);
    checkHyperNumber(name, 'weightDecay', h.weightDecay, 'a weight decay ≥ 0', (v) => v >= 0);
    if (!Array.isArray(h.betas) || h.betas.length !== 2) throw new ValueError(name, 'betas', 'a pair [beta1, beta2]', h.betas);
    h.betas.forEach((b, i) => checkHyperNumber(name, `betas[${i}]`, b, 'a number in [0, 1)', (v) => v >= 0 && v < 1));
    for (const flag of ['amsgrad', 'decoupledWeightDecay', 'maximize'] as const) {
      if (typeof h[flag] !== 'boolean') throw new ValueError(name, flag, 'a boolean', h[flag]);
    }
  }

  protected updateParameter(param: Tensor, grad: Tensor, state: ParamState, group: AdamHyper): void {
    const step = ((state.step as number | undefined) ?? 0) + 1;
    const tensorOrNull = (v: unknown): Tensor | null => (v instanceof Tensor ? v : null);
    const result = adamUpdate(param, grad, { expAvg: tensorOrNull(state.expAvg), expAvgSq: tensorOrNull(state.expAvgSq), maxExpAvgSq: tensorOrNull(state.maxExpAvgSq) }, step, group);
    copy_(param, result.param);
    state.step = step;
    state.expAvg = result.expAvg as Tensor;
    state.expAvgSq = result.expAvgSq as Tensor;
    if (result.maxExpAvgSq) state.maxExpAvgSq = result.maxExpAvgSq;
  }
}

/** AdamW: Adam with decoupled weight decay (default weightDecay 1e-2), PyTorch's torch.optim.AdamW. */
export class AdamW extends Adam {
  constructor(params: ParamsArg<AdamHyper>, opts: Partial<AdamHyper> = {}) {
    if (typeof opts !== 'object' || opts === null) throw new ValueError('AdamW', 'options', 'an object { lr, betas, eps, weightDecay, amsgrad, maximize }', opts);
    super(params, { weightDecay: 1e-2, ...opts, decoupledWeightDecay: true });
  }
}
