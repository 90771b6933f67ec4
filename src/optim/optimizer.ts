/**
 * @file Optimizer: the base of SGD and Adam (PyTorch's torch.optim.Optimizer). It owns
 * parameter groups with their own hyperparameters and per-parameter state, and runs each
 * subclass's update rule off the tape, writing the new values into the parameters in place.
 */
import { ValueError, given } from '../errors.js';
import { cast } from '../ops/elementwise/cast.js';
import { enableGrad, noGrad } from '../ops/gradMode.js';
import { clone } from '../ops/movement/clone.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Per-parameter optimizer state: tensors (momentum buffers, moments) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/** A group of parameters sharing hyperparameters `H` (at least a learning rate). */
export type ParamGroup<H> = H & {
  params: Tensor[];
  /** The learning rate a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
};

/** What the constructor takes: tensors, or groups of them with hyperparameters overriding the defaults. */
export type ParamsArg<H> = Iterable<Tensor> | ({ params: Iterable<Tensor> } & Partial<H>)[];

/** An optimizer's state as plain data, with parameters by index (PyTorch's layout). */
export interface OptimizerStateDict<H> {
  state: Record<number, ParamState>;
  paramGroups: (H & { params: number[]; initialLr?: number })[];
}

/** The subclass's hyperparameters: a learning rate plus its own numbers and switches. */
export interface BaseHyper {
  lr: number;
}

export abstract class Optimizer<H extends BaseHyper = BaseHyper> {
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created lazily by the first step that updates the parameter. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(
    params: ParamsArg<H>,
    readonly defaults: H,
  ) {
    const name = this.constructor.name;
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new ValueError(name, 'params', 'an iterable of tensors or of parameter groups { params, ...hyperparameters }', params);
    }
    const list = [...params] as unknown[];
    if (list.length === 0) throw new ValueError(name, 'params', 'a non-empty list of parameters', given('an empty list'));
    const groups = (list[0] instanceof Tensor ? [{ params: list }] : list) as ({ params: Iterable<Tensor> } & Partial<H>)[];
    for (const g of groups) this.addParamGroup(g);
  }

  /** Checks a group's hyperparameters (subclasses name their valid ranges). */
  protected abstract checkHyper(group: H): void;

  /** Updates one parameter from its gradient (called off the tape, once per step per parameter with a grad). */
  protected abstract updateParameter(param: Tensor, grad: Tensor, state: ParamState, group: H): void;

  /** Adds a group of parameters; unspecified hyperparameters take the optimizer's defaults. */
  addParamGroup(group: { params: Iterable<Tensor> } & Partial<H>): void {
    const name = this.constructor.name;
    if (typeof group !== 'object' || group === null || !group.params || typeof (group.params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new ValueError(name, 'paramGroups', 'groups of the form { params: Tensor[], ...hyperparameters }', group);
    }
    const params = [...group.params];
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      const arg = `params[${i}]`;
      if (!(p instanceof Tensor)) throw new ValueError(name, arg, 'a Tensor', p);
      if (!p.isLeaf) throw new ValueError(name, arg, 'a leaf tensor (an optimizer updates leaves; detach() makes one)', given('a tensor computed by an op'));
      if (!isFloating(p.dtype)) throw new ValueError(name, arg, 'a float32 or float64 tensor', p);
      if (taken.has(p)) throw new ValueError(name, arg, 'a parameter in no other group (each parameter belongs to one group)', p);
      taken.add(p);
    });
    const full = { ...this.defaults, ...group, params } as ParamGroup<H>;
    this.checkHyper(full);
    this.paramGroups.push(full);
  }

  /**
   * Updates every parameter that has a gradient. With a `closure` (which recomputes the loss
   * and its gradients) it is called first, with grad recording on, and its loss returned.
   */
  step(closure?: () => Tensor): Tensor | undefined {
    if (closure !== undefined && typeof closure !== 'function') throw new ValueError(`${this.constructor.name}.step`, 'closure', 'a function returning the loss', closure);
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          let state = this.state.get(p);
          if (!state) this.state.set(p, (state = {}));
          this.updateParameter(p, p.grad, state, group);
        }
      }
    });
    return loss;
  }

  /** Clears every parameter's gradient (sets it to null, PyTorch's default). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /** The state and hyperparameters as plain data, parameters numbered in group order; tensors are copies. */
  stateDict(): OptimizerStateDict<H> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => ({ ...g, params: g.params.map((p) => index.set(p, index.size).get(p) as number) }));
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) state[index.get(p) as number] = copyState(s);
    return { state, paramGroups };
  }

  /** Restores hyperparameters and state saved by `stateDict()` from an optimizer over parameters of the same shapes. */
  loadStateDict(stateDict: OptimizerStateDict<H>): void {
    const op = `${this.constructor.name}.loadStateDict`;
    if (typeof stateDict !== 'object' || stateDict === null || !Array.isArray(stateDict.paramGroups) || typeof stateDict.state !== 'object' || stateDict.state === null) {
      throw new ValueError(op, 'stateDict', 'an object { state, paramGroups } from Optimizer.stateDict()', stateDict);
    }
    const saved = stateDict.paramGroups;
    const sizes = (gs: { params: unknown[] }[]): string => `[${gs.map((g) => (Array.isArray(g?.params) ? g.params.length : '?')).join(', ')}]`;
    if (saved.length !== this.paramGroups.length || saved.some((g, i) => !Array.isArray(g?.params) || g.params.length !== this.paramGroups[i].params.length)) {
      throw new ValueError(op, 'stateDict', `parameter groups of sizes ${sizes(this.paramGroups)} (this optimizer's)`, given(`groups of sizes ${sizes(saved)}`));
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, k) => byIndex.set(id, this.paramGroups[i].params[k])));
    const newState = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (!p) throw new ValueError(op, 'stateDict.state', 'entries keyed by the parameter numbers in paramGroups', given(`key ${JSON.stringify(key)}`));
      for (const [field, v] of Object.entries(s)) {
        const ok = typeof v === 'number' || (v instanceof Tensor && shapesEqual(v.shape, p.shape) && isFloating(v.dtype));
        if (!ok) throw new ValueError(op, `stateDict.state[${key}].${field}`, `a number or a float tensor of shape ${shapeStr(p.shape)}`, v);
      }
      newState.set(p, castState(copyState(s), p));
    }
    saved.forEach((g, i) => {
      const { params: _ids, ...hyper } = g;
      const merged = { ...this.paramGroups[i], ...hyper, params: this.paramGroups[i].params } as ParamGroup<H>;
      this.checkHyper(merged);
      this.paramGroups[i] = merged;
    });
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }
}

function copyState(s: ParamState): ParamState {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? clone(v) : v]));
}

/** State tensors take the parameter's dtype (as PyTorch casts them on load). */
function castState(s: ParamState, p: Tensor): ParamState {
  for (const [k, v] of Object.entries(s)) if (v instanceof Tensor && v.dtype !== p.dtype) s[k] = noGrad(() => cast(v, p.dtype));
  return s;
}

/** Checks a hyperparameter is a finite number satisfying `ok`. */
export function checkHyperNumber(op: string, arg: string, v: unknown, expected: string, ok: (n: number) => boolean): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ValueError(op, arg, expected, v);
}
