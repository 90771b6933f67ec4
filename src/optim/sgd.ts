/** @file SGD with momentum, dampening, Nesterov momentum and weight decay (PyTorch's torch.optim.SGD). */
import { ValueError, given } from '../errors.js';
import { add, mul, sub } from '../ops/elementwise/binary.js';
import { neg } from '../ops/elementwise/unary.js';
import { copy_ } from '../ops/inplace.js';
import { clone } from '../ops/movement/clone.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ParamState, type ParamsArg, Optimizer, checkHyperNumber } from './optimizer.js';

export interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** Ascend the objective instead of descending it. */
  maximize: boolean;
}

/**
 * One SGD step as pure ops (so it can also run inside fg.jit), PyTorch's rule:
 *
 *     g = grad + weightDecay·param
 *     buf = g (first step) | momentum·buf + (1 − dampening)·g
 *     g = g + momentum·buf (nesterov) | buf
 *     param = param − lr·g
 *
 * `momentumBuffer` is null before the first step; the result's is null without momentum.
 * `lr` may be a 0-d tensor, so a jitted step need not retrace when a scheduler changes it.
 */
export function sgdUpdate(
  param: Tensor,
  grad: Tensor,
  momentumBuffer: Tensor | null,
  { lr, momentum, dampening, weightDecay, nesterov, maximize }: Omit<SGDHyper, 'lr'> & { lr: number | Tensor },
): { param: Tensor; momentumBuffer: Tensor | null } {
  let g = maximize ? neg(grad) : grad;
  if (weightDecay !== 0) g = add(g, mul(param, weightDecay));
  let buffer: Tensor | null = null;
  if (momentum !== 0) {
    buffer = momentumBuffer === null ? clone(g) : add(mul(momentumBuffer, momentum), mul(g, 1 - dampening));
    g = nesterov ? add(g, mul(buffer, momentum)) : buffer;
  }
  return { param: sub(param, mul(g, lr)), momentumBuffer: buffer };
}

/**
 * Stochastic gradient descent. Defaults as PyTorch: lr 1e-3, momentum 0, dampening 0,
 * weightDecay 0, nesterov false.
 *
 *     const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 *     opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDHyper> {
  constructor(params: ParamsArg<SGDHyper>, opts: Partial<SGDHyper> = {}) {
    if (typeof opts !== 'object' || opts === null) throw new ValueError('SGD', 'options', 'an object { lr, momentum, dampening, weightDecay, nesterov, maximize }', opts);
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts });
  }

  protected checkHyper(h: SGDHyper): void {
    checkHyperNumber('SGD', 'lr', h.lr, 'a learning rate ≥ 0', (v) => v >= 0);
    checkHyperNumber('SGD', 'momentum', h.momentum, 'a momentum ≥ 0', (v) => v >= 0);
    checkHyperNumber('SGD', 'dampening', h.dampening, 'a finite number', () => true);
    checkHyperNumber('SGD', 'weightDecay', h.weightDecay, 'a weight decay ≥ 0', (v) => v >= 0);
    if (typeof h.nesterov !== 'boolean') throw new ValueError('SGD', 'nesterov', 'a boolean', h.nesterov);
    if (typeof h.maximize !== 'boolean') throw new ValueError('SGD', 'maximize', 'a boolean', h.maximize);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new ValueError('SGD', 'nesterov', 'momentum > 0 and dampening = 0 with Nesterov momentum', given(`momentum ${h.momentum}, dampening ${h.dampening}`));
    }
  }

  protected updateParameter(param: Tensor, grad: Tensor, state: ParamState, group: SGDHyper): void {
    const result = sgdUpdate(param, grad, (state.momentumBuffer as Tensor | undefined) ?? null, group);
    copy_(param, result.param);
    if (result.momentumBuffer) state.momentumBuffer = result.momentumBuffer;
  }
}
