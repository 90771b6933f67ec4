/**
 * @file The compiled training step: forward through functionalCall, fg.valueAndGrad over
 * every weight (graph autodiff inside the trace) and the Adam update as pure math, all in
 * one fg.jit, traced once per batch shape.
 */
import * as fg from '../index.js';
import type { LeNet5 } from './lenet.js';

/** Tensors by parameter name ('conv1.weight'). */
export type ParamTree = Record<string, fg.Tensor>;

/** Everything a step reads and replaces: the weights, Adam's two moments and its step count. */
export interface JitState {
  params: ParamTree;
  expAvg: ParamTree;
  expAvgSq: ParamTree;
  /** Steps taken so far, a 0-d float32 tensor (a JS number would be baked into the graph and retrace every step). */
  step: fg.Tensor;
}

/** The result of one step: the batch's loss (before the update) and the next state. */
export interface JitStepResult {
  loss: fg.Tensor;
  state: JitState;
}

const mapTree = (names: readonly string[], f: (name: string, i: number) => fg.Tensor): ParamTree => Object.fromEntries(names.map((n, i) => [n, f(n, i)]));

/**
 * The starting state: copies of the model's current weights (so the module's own
 * parameters are not aliased by the state), zero moments, step 0.
 */
export function initialJitState(model: LeNet5): JitState {
  const params = fg.noGrad(() => Object.fromEntries([...model.namedParameters()].map(([n, p]) => [n, fg.clone(p.detach())])));
  const zeros = (): ParamTree => Object.fromEntries(Object.entries(params).map(([n, p]) => [n, fg.zerosLike(p)]));
  return { params, expAvg: zeros(), expAvgSq: zeros(), step: fg.tensor(0) };
}

/**
 * `step(state, x, y, lr)` → `{ loss, state }`, jitted. `model` supplies only the structure
 * of the forward pass: its parameters are swapped for the state's during the trace, so the
 * graph has them as inputs and captures no weights.
 *
 *     const step = jitTrainStep(model, adamHyper(1e-3));
 *     let state = initialJitState(model);
 *     ({ state } = step(state, x, y, fg.tensor(1e-3)));
 */
export function jitTrainStep(model: LeNet5, hyper: fg.optim.AdamHyper): fg.Jitted<(state: JitState, x: fg.Tensor, y: fg.Tensor, lr: fg.Tensor) => JitStepResult> {
  const names = [...model.namedParameters()].map(([n]) => n);
  // valueAndGrad differentiates positional tensor arguments, so the weights go in flat, one per name.
  const argnums = names.map((_, i) => i);
  return fg.jit(function lenetTrainStep(state: JitState, x: fg.Tensor, y: fg.Tensor, lr: fg.Tensor): JitStepResult {
    const lossOf = (...weights: fg.Tensor[]) => fg.crossEntropy(fg.nn.functionalCall(model, mapTree(names, (_, i) => weights[i]), x), y);
    const [loss, grads] = fg.valueAndGrad(lossOf, { argnums })(...names.map((n) => state.params[n])) as [fg.Tensor, fg.Tensor[]];
    const step = fg.add(state.step, 1);
    const updates = names.map((n, i) =>
      fg.optim.adamUpdate(state.params[n], grads[i], { expAvg: state.expAvg[n], expAvgSq: state.expAvgSq[n], maxExpAvgSq: null }, step, { ...hyper, lr }),
    );
    return {
      loss,
      state: {
        params: mapTree(names, (_, i) => updates[i].param),
        expAvg: mapTree(names, (_, i) => updates[i].expAvg as fg.Tensor),
        expAvgSq: mapTree(names, (_, i) => updates[i].expAvgSq as fg.Tensor),
        step,
      },
    };
  });
}
