/**
 * @file Module: the base of every layer and model, a tree of submodules that owns parameters
 * and buffers (PyTorch's nn.Module, names in camelCase).
 *
 * Registration is by scanning the module's own enumerable fields, in the order they were
 * first assigned: a `Parameter` is a parameter, a `Module` a submodule, and a tensor in a
 * field named by `registerBuffer` a buffer. The fields are the only record, so
 * `this.fc = new Linear(…)` registers a layer and reassigning a field can never leave a
 * stale entry behind (an explicit registry beside the fields could drift from them).
 * Plain tensors, arrays and other values in fields are not registered, as in PyTorch.
 */
import { ValueError, given } from '../errors.js';
import { makeView } from '../kernels/reference/views.js';
import { cast } from '../ops/elementwise/cast.js';
import { type DType, isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';
import { type LoadStateDictOptions, type LoadStateDictResult, loadStateInto } from './stateDict.js';

/** Parameters and buffers by dotted name ('conv1.weight'), in registration order. */
export type StateDict = Record<string, Tensor>;

/** A tensor sharing `t`'s storage, cut from the tape. */
const detached = (t: Tensor): Tensor => makeView(t, t.shape, t.strides);

/**
 * The base class of layers and models. Subclasses assign parameters (`new Parameter(t)`) and
 * submodules to fields in their constructor and implement `forward`; `call` runs it.
 *
 *     class Net extends Module {
 *       fc1 = new Linear(784, 128);
 *       fc2 = new Linear(128, 10);
 *       forward(x: Tensor) { return this.fc2.call(relu(this.fc1.call(x))); }
 *     }
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** True in training mode (dropout active, batch norm on batch statistics); set by train()/eval(). */
  training = true;
  // Private (#) fields are not own enumerable keys, so the field scan never sees them.
  readonly #bufferNames = new Set<string>();
  readonly #nonPersistent = new Set<string>();

  /** The computation. Call it through `call` (or directly). */
  abstract forward(...inputs: In): Out;

  /** Runs `forward`: `model.call(x)` is PyTorch's `model(x)`. */
  call(...inputs: In): Out {
    return this.forward(...inputs);
  }

  /** Registers `value` as a buffer named `name` (state that is saved but not trained, e.g. running means). */
  registerBuffer<T extends Tensor | null>(name: string, value: T, { persistent = true } = {}): T {
    this.checkNewName('registerBuffer', name);
    if (value !== null && !(value instanceof Tensor)) throw new ValueError('registerBuffer', 'value', 'a Tensor or null', value);
    if (value instanceof Parameter) throw new ValueError('registerBuffer', 'value', 'a plain Tensor (a Parameter is registered by assigning it to a field)', value);
    this.#bufferNames.add(name);
    if (persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    (this as Record<string, unknown>)[name] = value;
    return value;
  }

  /** Assigns a parameter to the field `name` (for names computed at run time). */
  registerParameter(name: string, value: Parameter | null): Parameter | null {
    this.checkNewName('registerParameter', name);
    if (value !== null && !(value instanceof Parameter)) throw new ValueError('registerParameter', 'value', 'a Parameter or null', value);
    (this as Record<string, unknown>)[name] = value;
    return value;
  }

  /** Assigns a submodule to the field `name` (for names computed at run time, as Sequential's '0', '1', …). */
  registerModule<M extends Module<any, any> | null>(name: string, value: M): M {
    this.checkNewName('registerModule', name);
    if (value !== null && !(value instanceof Module)) throw new ValueError('registerModule', 'value', 'a Module or null', value);
    (this as Record<string, unknown>)[name] = value;
    return value;
  }

  private checkNewName(op: string, name: unknown): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) throw new ValueError(op, 'name', 'a non-empty name without dots', name);
    const current = (this as Record<string, unknown>)[name];
    const ownSlot = Object.prototype.hasOwnProperty.call(this, name) && (current === null || current === undefined || current instanceof Tensor || current instanceof Module);
    if (name in this && !ownSlot) throw new ValueError(op, 'name', `a name not already used by ${this.constructor.name} for something else`, name);
  }

  /** The direct submodules with their field names. */
  *namedChildren(): Generator<[string, Module<any, any>]> {
    for (const [name, value] of Object.entries(this)) if (value instanceof Module) yield [name, value];
  }

  /** The direct submodules. */
  *children(): Generator<Module<any, any>> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and every descendant, depth first, each once, with dotted names ('' for this one). */
  *namedModules(prefix = '', seen = new Set<Module<any, any>>()): Generator<[string, Module<any, any>]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) yield* child.namedModules(prefix ? `${prefix}.${name}` : name, seen);
  }

  /** This module and every descendant, each once. */
  *modules(): Generator<Module<any, any>> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** The module's own parameters (not its children's), by field name. */
  private *ownParameters(): Generator<[string, Parameter]> {
    for (const [name, value] of Object.entries(this)) if (value instanceof Parameter) yield [name, value];
  }

  private *ownBuffers(persistentOnly = false): Generator<[string, Tensor]> {
    for (const name of this.#bufferNames) {
      const value = (this as Record<string, unknown>)[name];
      if (value instanceof Tensor && !(persistentOnly && this.#nonPersistent.has(name))) yield [name, value];
    }
  }

  /** Every parameter of the tree with its dotted name ('conv1.weight'), each tensor once. */
  *namedParameters({ recurse = true } = {}): Generator<[string, Parameter]> {
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module<any, any>]> = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) {
      for (const [name, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [prefix ? `${prefix}.${name}` : name, p];
      }
    }
  }

  /** Every parameter of the tree, each once (the list to give an optimizer). */
  parameters({ recurse = true } = {}): Parameter[] {
    return [...this.namedParameters({ recurse })].map(([, p]) => p);
  }

  /** Every buffer of the tree with its dotted name ('bn1.runningMean'), each tensor once. */
  *namedBuffers({ recurse = true } = {}): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module<any, any>]> = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) {
      for (const [name, b] of m.ownBuffers()) {
        if (seen.has(b)) continue;
        seen.add(b);
        yield [prefix ? `${prefix}.${name}` : name, b];
      }
    }
  }

  /** Every buffer of the tree, each once. */
  buffers({ recurse = true } = {}): Tensor[] {
    return [...this.namedBuffers({ recurse })].map(([, b]) => b);
  }

  /**
   * Parameters and persistent buffers by dotted name, detached (they share storage with
   * the module, as in PyTorch: copy them to keep a snapshot). Per module: its parameters,
   * its buffers, then its children in field order.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const visit = (m: Module<any, any>, prefix: string, path: Set<Module<any, any>>): void => {
      if (path.has(m)) throw new ValueError('stateDict', 'module', 'a tree of modules', given(`a cycle through ${m.constructor.name} at '${prefix}'`));
      for (const [name, p] of m.ownParameters()) out[prefix + name] = detached(p);
      for (const [name, b] of m.ownBuffers(true)) out[prefix + name] = detached(b);
      path.add(m);
      for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`, path);
      path.delete(m);
    };
    visit(this, '', new Set());
    return out;
  }

  /**
   * Copies `stateDict`'s tensors into this module's parameters and buffers, in place (the
   * optimizer keeps its references). Every key, shape and dtype is checked before anything
   * is written. With `strict` (the default) missing or unexpected keys are an error;
   * otherwise they are returned. A shape mismatch is always an error.
   */
  loadStateDict(stateDict: StateDict, { strict = true }: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateInto(this.constructor.name, this.stateDict(), stateDict, strict);
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('train', 'mode', 'a boolean', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): dropout off, batch norm on running statistics; returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (sets it to null, PyTorch's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Freezes (false) or unfreezes (true) every parameter; returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Calls `fn` on every descendant, then on this module (PyTorch's order); returns this. */
  apply(fn: (m: Module<any, any>) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Converts floating parameters and buffers to `dtype`, replacing them with new tensors
   * (make the optimizer afterwards); integer buffers are left alone, as in PyTorch. Returns this.
   */
  to(dtype: DType): this {
    if (!isFloating(dtype)) throw new ValueError('Module.to', 'dtype', "'float32' or 'float64'", dtype);
    for (const m of this.modules()) {
      const fields = m as unknown as Record<string, unknown>;
      for (const [name, p] of m.ownParameters()) if (p.dtype !== dtype) fields[name] = new Parameter(cast(detached(p), dtype), p.requiresGrad);
      for (const [name, b] of m.ownBuffers()) if (isFloating(b.dtype) && b.dtype !== dtype) fields[name] = cast(b, dtype);
    }
    return this;
  }

  /** Settings shown in the printed form, e.g. 'inFeatures=4, outFeatures=2, bias=true'. */
  extraRepr(): string {
    return '';
  }

  /** The tree in PyTorch's printed form: `Sequential(\n  (0): Linear(…)\n)`. */
  toString(): string {
    const children = [...this.namedChildren()].map(([name, m]) => `(${name}): ${m.toString().replace(/\n/g, '\n  ')}`);
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.constructor.name}(${extra})`;
    const lines = extra ? [extra, ...children] : children;
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }
}
