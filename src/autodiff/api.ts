/** @file The user-facing reverse-mode API: Tensor.backward and autograd.grad. */
import { ValueError, given } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { type BackwardOptions, runBackward, seedsFor } from './backward.js';

/** Accumulates d(t)/d(leaf) into every leaf's `.grad`. `gradient` seeds non-scalar outputs. */
export function backward(t: Tensor, gradient?: Tensor | BackwardOptions | null, opts?: BackwardOptions): void {
  if (gradient !== undefined && gradient !== null && !(gradient instanceof Tensor)) {
    if (typeof gradient !== 'object') throw new ValueError('backward', 'gradient', 'a Tensor or an options object', gradient);
    [opts, gradient] = [gradient, undefined];
  }
  const seeds = seedsFor('backward', [t], [gradient ?? undefined]);
  runBackward({ roots: [t], seeds, retainGraph: opts?.retainGraph ?? opts?.createGraph ?? false, createGraph: opts?.createGraph ?? false });
}

export interface GradOptions extends BackwardOptions {
  /** Seeds for non-scalar outputs (PyTorch's grad_outputs). */
  gradOutputs?: (Tensor | null)[] | Tensor;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/**
 * Gradients of `outputs` with respect to `inputs`, returned rather than accumulated into
 * `.grad` (PyTorch's torch.autograd.grad).
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): Tensor[] {
  if (typeof opts !== 'object' || opts === null) throw new ValueError('autograd.grad', 'opts', 'an options object { gradOutputs?, retainGraph?, createGraph?, allowUnused? }', opts);
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  ins.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new ValueError('autograd.grad', `inputs[${i}]`, 'a Tensor', x);
    if (!x.requiresGrad) throw new ValueError('autograd.grad', `inputs[${i}]`, 'a tensor that requires grad', given('one that does not'));
  });
  const seedsGiven = opts.gradOutputs === undefined ? undefined : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  const seeds = seedsFor('autograd.grad', outs, seedsGiven, 'gradOutputs');
  const createGraph = opts.createGraph ?? false;
  const result = runBackward({ roots: outs, seeds, retainGraph: opts.retainGraph ?? createGraph, createGraph, capture: ins });
  return result.map((g, i) => {
    if (g) return g;
    if (opts.allowUnused) return null as unknown as Tensor;
    throw new ValueError('autograd.grad', `inputs[${i}]`, 'a tensor the outputs depend on (pass allowUnused: true to get null)', given('one that was not used'));
  });
}
