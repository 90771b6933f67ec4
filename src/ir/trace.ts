/**
 * @file Tracing (the recorder behind fg.trace and jit): runs a function on placeholder tensors and records the ops it calls into
 * a Graph, through the tracing dispatch key.
 *
 * The key sits below autograd, so a traced function may itself call backward() or grad():
 * the tape runs over traced values and its VJP ops are recorded too (`jit(grad(f))`).
 */
import { TraceError, ValueError, describe } from '../errors.js';
import { Graph, GraphBuilder } from './graph.js';
import type { Value } from './value.js';
import { type DispatchKey, registerDispatchKey } from '../ops/dispatch.js';
import { type DType, checkDType } from '../tensor/dtype.js';
import { type Dim, isConcrete, shapeStr } from '../tensor/shape.js';
import { Storage } from '../tensor/storage.js';
import { type TraceHandle, Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { userSourceLine } from './sourceLine.js';

/** An abstract input: a shape whose dims may be null (a fresh symbol) or a name ('batch'). */
export class Spec implements TensorType {
  constructor(
    readonly shape: readonly Dim[],
    readonly dtype: DType,
  ) {}
  toString(): string {
    return `spec(${shapeStr(this.shape)}, ${this.dtype})`;
  }
}

/** `fg.spec([null, 784])`: an abstract input of that shape and dtype (float32 by default). */
export function spec(shape: readonly (number | string | null)[], dtype: DType = 'float32'): Spec {
  if (!Array.isArray(shape)) throw new ValueError('spec', 'shape', 'an array of sizes, names or null', shape);
  let fresh = 0;
  const dims = shape.map((d, i): Dim => {
    if (d === null) return `d${i}_${fresh++}`;
    if (typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d)) return d;
    if (typeof d === 'number' && Number.isInteger(d) && d >= 0) return d;
    throw new ValueError('spec', `shape[${i}]`, 'a non-negative integer, a name such as "batch", or null', d);
  });
  return new Spec(dims, checkDType('spec', 'dtype', dtype));
}

/**
 * Tensors some trace recorded as literal constants, so a later trace that replays the graph
 * (gradGraph, jit's split graphs) keeps them literal although their storage is older than it.
 */
const literalTensors = new WeakSet<Tensor>();

export class TraceState {
  readonly builder: GraphBuilder;
  /** Concrete tensors already captured as constants, so each is captured once. */
  private readonly constants = new Map<Tensor, Value>();
  /** Storages with a smaller id existed before this trace began. */
  private readonly firstStorageId = new Storage(new Float32Array(0), 'float32').id;
  open = true;
  constructor(name: string) {
    this.builder = new GraphBuilder(name);
  }

  /**
   * Whether `t` comes from outside the traced function (a parameter, or a view of one such as
   * Linear's transposed weight): its storage is older than the trace. Such constants are held
   * by reference, so in-place updates between runs are seen, and passes must not fold them.
   */
  isCaptured(t: Tensor): boolean {
    return t.storage.id < this.firstStorageId && !literalTensors.has(t);
  }

  valueOf(t: Tensor): Value {
    const h = t.trace as TracerHandle | null;
    if (h) {
      if (h.state !== this) {
        throw new TraceError(
          `a traced value${h.source ? ` created at ${h.source}` : ''} escaped the trace that made it ` +
            '(was it kept in a variable outside the traced function?)',
        );
      }
      return h.value;
    }
    let v = this.constants.get(t);
    if (!v) {
      // Held by reference, like a parameter: in-place updates are seen by later runs.
      const captured = this.isCaptured(t);
      if (!captured) literalTensors.add(t);
      const attrs: Record<string, Tensor | boolean> = captured ? { value: t, captured: true } : { value: t };
      v = this.builder.addNode('constant', [], attrs, [{ shape: t.shape, dtype: t.dtype }], { device: t.device === 'cpu' ? undefined : t.device }).outputs[0];
      this.constants.set(t, v);
    }
    return v;
  }
}

export interface TracerHandle extends TraceHandle {
  readonly state: TraceState;
  readonly value: Value;
}

const stack: TraceState[] = [];
/** Set while a transform re-emits a node: the new nodes keep the original's source line. */
let sourceOverride: string | undefined;

/** Runs `fn` with every node it records attributed to `source` (graph transforms use it). */
export function withSource<T>(source: string | undefined, fn: () => T): T {
  const saved = sourceOverride;
  sourceOverride = source;
  try {
    return fn();
  } finally {
    sourceOverride = saved;
  }
}
const emptyStorage = (dtype: DType) => new Storage(new Float32Array(0) as never, dtype);

/** A placeholder tensor standing for `value` while `state` traces. */
export function tracer(state: TraceState, value: Value, source: string | undefined, device = 'cpu'): Tensor {
  const { shape, dtype } = value.type;
  const t = new Tensor(emptyStorage(dtype), shape as number[], shape.map(() => 0), 0, dtype, device);
  const handle: TracerHandle = { state, value, source, currentLine: userSourceLine };
  t.trace = handle;
  return t;
}

const tracingKey: DispatchKey = {
  name: 'tracing',
  priority: 10,
  wants(_schema, inputs, outTypes) {
    // Also claims traced inputs outside any trace, to report them as escaped.
    for (const t of inputs) if (t.trace) return true;
    if (stack.length === 0) return false;
    // Ops on constants run at once, unless their result's shape depends on a symbolic dim
    // (a constant expanded to [batch, 10]), they have no inputs (rand draws at run time), or
    // they read a captured tensor: that is held by reference and may change between runs, so
    // `w.mul(2)` of a parameter must be recomputed each run, not baked in.
    if (inputs.length === 0 || outTypes.some((t) => !isConcrete(t.shape))) return true;
    const state = stack[stack.length - 1];
    return inputs.some((t) => state.isCaptured(t));
  },
  call(schema, inputs, attrs, outTypes) {
    const state = stack[stack.length - 1];
    if (!state) {
      const h = inputs.find((t) => t.trace)!.trace!;
      throw new TraceError(`${schema.name}: a traced value${h.source ? ` created at ${h.source}` : ''} was used after its trace ended (was it kept outside the traced function?)`);
    }
    const values = inputs.map((t) => state.valueOf(t));
    const source = sourceOverride ?? userSourceLine();
    const device = inputs[0]?.device ?? (attrs as { device?: string }).device;
    // The default device is left implicit, so printed graphs stay short.
    const node = state.builder.addNode(schema.name, values, attrs, outTypes, { source, device: device === 'cpu' ? undefined : device });
    return node.outputs.map((v) => tracer(state, v, source, device));
  },
};
registerDispatchKey(tracingKey);

/** Whether a trace is being recorded (jit uses it to decide how to run). */
export const isTracing = (): boolean => stack.length > 0;

/** The innermost trace being recorded, or null (control flow nests its body traces inside it). */
export const currentTrace = (): TraceState | null => stack[stack.length - 1] ?? null;

/** Runs `fn` with `state` as the innermost trace, then closes `state` (control flow traces its bodies so). */
export function traceInto<T>(state: TraceState, fn: () => T): T {
  stack.push(state);
  try {
    return fn();
  } finally {
    stack.pop();
    state.open = false;
  }
}

/** The source line a node recorded now is attributed to (the user's line, or withSource's). */
export const recordingSource = (): string | undefined => sourceOverride ?? userSourceLine();

/** The names of f's simple parameters (`(x, w) => …` gives ['x', 'w']), to name graph inputs. */
function parameterNames(f: (...args: any[]) => unknown): (string | undefined)[] {
  const src = Function.prototype.toString.call(f);
  const m = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return [];
  return m[1].split(',').map((p) => {
    const name = p.split(/[:=]/)[0].trim();
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : undefined;
  });
}

/** A nested structure of tensors (arrays and plain objects), as inputs and outputs of traced functions. */
export type Pytree = Tensor | readonly Pytree[] | { readonly [key: string]: Pytree };

/** Flattens a pytree into its tensors, in a fixed order (object keys sorted). */
export function flattenTree(tree: unknown, what: string, out: Tensor[] = []): Tensor[] {
  if (tree instanceof Tensor) out.push(tree);
  else if (Array.isArray(tree)) tree.forEach((x, i) => flattenTree(x, `${what}[${i}]`, out));
  else if (tree !== null && typeof tree === 'object' && Object.getPrototypeOf(tree) === Object.prototype) {
    for (const k of Object.keys(tree).sort()) flattenTree((tree as Record<string, unknown>)[k], `${what}.${k}`, out);
  } else throw new ValueError('trace', what, 'a Tensor, or arrays / plain objects of tensors', tree);
  return out;
}

/** Rebuilds a pytree of the same structure as `like` from a flat list of tensors. */
export function unflattenTree(like: unknown, leaves: readonly Tensor[], pos = { i: 0 }): any {
  if (like instanceof Tensor) return leaves[pos.i++];
  if (Array.isArray(like)) return like.map((x) => unflattenTree(x, leaves, pos));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(like as object).sort()) out[k] = unflattenTree((like as Record<string, unknown>)[k], leaves, pos);
  return out;
}

export interface TraceResult {
  readonly graph: Graph;
  /** The function's output with tracers in place of values: the structure to unflatten into. */
  readonly outputTree: unknown;
}

/**
 * Runs `f` on placeholders for `inputs` (one per argument: a Spec, or a pytree of Specs /
 * concrete tensors, whose shapes and dtypes are used) and records a Graph.
 */
export function traceToGraph(
  f: (...args: any[]) => unknown,
  inputs: readonly unknown[],
  name = f.name || 'main',
  inputNames?: readonly (string | undefined)[],
): TraceResult {
  if (typeof f !== 'function') throw new ValueError('trace', 'f', 'a function', f);
  if (!Array.isArray(inputs)) throw new ValueError('trace', 'specs', 'an array with one spec per argument', inputs);
  const state = new TraceState(name.replace(/[^A-Za-z0-9_]/g, '_') || 'main');
  const names = inputNames ?? parameterNames(f);
  const makeArg = (x: unknown, what: string, name?: string): unknown => {
    if (x instanceof Spec || x instanceof Tensor) {
      const v = state.builder.addInput({ shape: [...x.shape], dtype: x.dtype }, name);
      const t = tracer(state, v, undefined, x instanceof Tensor ? x.device : 'cpu');
      // An example tensor that requires grad gives a tracer that does too, so f may differentiate it.
      if (x instanceof Tensor && x.requiresGrad) t.setRequiresGradUnchecked(true);
      return t;
    }
    if (Array.isArray(x)) return x.map((y, i) => makeArg(y, `${what}[${i}]`));
    if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) o[k] = makeArg((x as Record<string, unknown>)[k], `${what}.${k}`);
      return o;
    }
    // Numbers, strings, booleans, null and undefined are static: the graph is specialised on them.
    if (x === null || x === undefined || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
    throw new ValueError('trace', what, 'a spec (fg.spec), a Tensor, a static number/string/boolean, or arrays / plain objects of them', x);
  };
  const args = inputs.map((x, i) => makeArg(x, `specs[${i}]`, names[i]));
  stack.push(state);
  let out: unknown;
  try {
    out = f(...args);
  } finally {
    stack.pop();
    state.open = false;
  }
  if (out === undefined) throw new ValueError('trace', 'f', 'a function returning tensors', describe(out));
  const outputs = flattenTree(out, 'output').map((t) => state.valueOf(t));
  return { graph: state.builder.build(outputs), outputTree: out };
}

/**
 * `fg.trace(f, specs)`: records f once over abstract inputs (one spec per argument) and
 * returns the Graph; `g.run(...tensors)` then runs it any number of times without retracing.
 */
export function trace(f: (...args: any[]) => unknown, specs: readonly unknown[]): Graph {
  return traceToGraph(f, specs).graph;
}
