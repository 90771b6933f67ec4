/**
 * @file jit: trace once per input signature, then run the cached graph.
 *
 * The cache key is the signature of the arguments: the structure of the pytrees, each
 * tensor's shape, dtype and device, and the values of non-tensor arguments (the graph is
 * specialised on them). A call with tensors that require grad records one node on the eager
 * tape whose backward runs the graph's VJP (split forward/backward graphs), so backward()
 * flows through jitted code as it does through torch.compile'd code.
 */
import { FlowgradError, ValueError } from '../errors.js';
import { FunctionNode, attachOutputs } from '../autodiff/node.js';
import { type SplitGradGraph, replay, splitGradGraph } from '../autodiff/graph.js';
import type { Graph } from '../ir/graph.js';
import { traceToGraph, unflattenTree } from '../ir/trace.js';
import { isGradEnabled } from '../ops/gradMode.js';
import { cond, whileLoop } from '../control/index.js';
import { convertSource } from './source/convert.js';
import { checkPassNames, optimize } from '../passes/optimize.js';
import { sourceRuntime } from './source/runtime.js';
import { type Executable, compile } from '../runtime/compile.js';
import type { ExecutionStats } from '../runtime/sequential.js';
import { isFloating } from '../tensor/dtype.js';
import { makeView } from '../kernels/reference/views.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';

export interface JitOptions {
  /** 'trace' records the ops f calls; 'source' rewrites if/while on tensors; 'auto' tries source then trace. */
  mode?: 'trace' | 'source' | 'auto';
  /** Free variables of f, for a function rebuilt from its source. */
  scope?: Record<string, unknown>;
  /**
   * Graph passes run on each traced graph before it is compiled (fg.optimize): `true` for the
   * default pipeline, or pass names. Off by default: the traced graph runs as recorded.
   */
  passes?: boolean | readonly string[];
}

export interface Jitted<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** How many times f was traced. */
  readonly traceCount: number;
  /** The graph that runs for these arguments (tracing them if needed). */
  graphFor(...args: Parameters<F>): Graph;
  /** Each cached signature and every retrace with its reason. */
  explain(): string;
  /** What the last call's graph run did (launches, per-op time, buffers reused); null before the first call. */
  readonly lastStats: ExecutionStats | null;
}

interface Entry {
  readonly key: string;
  readonly graph: Graph;
  readonly outputTree: unknown;
  executable?: Executable;
  /** Split gradient graphs per set of differentiated inputs (by mask). */
  readonly grads: Map<string, { split: SplitGradGraph; forward: Executable; backward: Executable } | { tapeBecause: string }>;
}

/** One leaf of an argument signature: a tensor's type, or a static value. */
function signatureOf(args: readonly unknown[]): { key: string; tensors: Tensor[] } {
  const tensors: Tensor[] = [];
  const walk = (x: unknown, what: string): unknown => {
    if (x instanceof Tensor) {
      tensors.push(x);
      return `T:${x.dtype}[${x.shape.join(',')}]@${x.device}`;
    }
    if (Array.isArray(x)) return x.map((y, i) => walk(y, `${what}[${i}]`));
    if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      return Object.fromEntries(Object.keys(x).sort().map((k) => [k, walk((x as Record<string, unknown>)[k], `${what}.${k}`)]));
    }
    if (x === undefined) return '(undefined)';
    if (x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
    throw new ValueError('jit', what, 'a Tensor, a number, string or boolean, or arrays / plain objects of them', x);
  };
  const key = JSON.stringify(args.map((a, i) => walk(a, `argument ${i}`)));
  return { key, tensors };
}

/** Why `key` missed the cache: the first difference from the most similar cached key. */
function retraceReason(key: string, previous: readonly string[]): string {
  if (previous.length === 0) return 'first call';
  const now = JSON.parse(key) as unknown[];
  const diffs = previous.map((p) => describeDiff(JSON.parse(p) as unknown[], now)).sort((a, b) => a.length - b.length);
  return diffs[0];
}

function describeDiff(before: unknown, after: unknown, path = 'arguments'): string {
  if (JSON.stringify(before) === JSON.stringify(after)) return '';
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) {
      const d = describeDiff(before[i], after[i], path === 'arguments' ? `argument ${i}` : `${path}[${i}]`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (typeof v === 'string' && v.startsWith('T:') ? `tensor ${v.slice(2)}` : JSON.stringify(v));
  return `${path} changed from ${show(before)} to ${show(after)}`;
}

const runtime = sourceRuntime({ cond, whileLoop });

/** Compiles `f` by tracing (after converting its control flow in source mode): see the file comment. */
export function jit<F extends (...args: any[]) => any>(f: F, opts: JitOptions = {}): Jitted<F> {
  if (typeof f !== 'function') throw new ValueError('jit', 'f', 'a function', f);
  const mode = opts.mode ?? 'trace';
  const passes = opts.passes ?? false;
  if (passes !== true && passes !== false) checkPassNames('jit', passes);
  if (mode !== 'trace' && mode !== 'auto' && mode !== 'source') throw new ValueError('jit', 'mode', "'trace', 'source' or 'auto'", mode);
  const log: string[] = [];
  // The front end: 'source' rewrites if/while/?: into fg.cond/fg.whileLoop calls and traces
  // the result; 'auto' does the same but falls back to plain tracing when the source cannot
  // be converted (no source, unsupported syntax, free variables missing from scope).
  let target: F = f;
  let frontEnd = 'trace';
  if (mode !== 'trace') {
    try {
      const converted = convertSource(f, opts.scope, runtime);
      target = converted.fn;
      frontEnd = converted.conversions.length > 0 ? 'source' : 'trace (no if, while or ?: to convert)';
      log.push(...converted.conversions.map((c) => `converted ${c}`));
    } catch (e) {
      if (mode === 'source' || !(e instanceof FlowgradError)) throw e;
      frontEnd = 'trace';
      log.push(`source conversion failed, tracing instead: ${e.message}`);
    }
  }
  const cache = new Map<string, Entry>();
  let traceCount = 0;
  let lastRun: Executable | null = null;

  const entryFor = (args: readonly unknown[]): { entry: Entry; tensors: Tensor[] } => {
    const { key, tensors } = signatureOf(args);
    let entry = cache.get(key);
    if (!entry) {
      const reason = retraceReason(key, [...cache.keys()]);
      const traced = traceToGraph(target, args, f.name || 'jitted');
      const { outputTree } = traced;
      const graph = passes === false ? traced.graph : optimize(traced.graph, passes === true ? {} : { passes: [...passes] });
      traceCount++;
      log.push(`trace #${traceCount}: ${reason}`);
      entry = { key, graph, outputTree, grads: new Map() };
      cache.set(key, entry);
    }
    return { entry, tensors };
  };

  const call = (...args: Parameters<F>): ReturnType<F> => {
    const { tensors } = signatureOf(args);
    // Inside another trace, inline: the enclosing trace records f's ops directly.
    if (tensors.some((t) => t.trace)) return target(...args);
    const { entry } = entryFor(args);
    let outs: Tensor[];
    if (isGradEnabled() && tensors.some((t) => t.requiresGrad)) [outs, lastRun] = runWithTape(entry, tensors, (note) => log.push(note));
    else outs = (lastRun = entry.executable ??= compile(entry.graph)).run(...tensors);
    return unflattenTree(entry.outputTree, outs);
  };

  return Object.defineProperties(call, {
    traceCount: { get: () => traceCount },
    lastStats: { get: () => lastRun?.stats ?? null },
    graphFor: { value: (...args: unknown[]) => entryFor(args).entry.graph },
    explain: {
      value: () =>
        [
          `jit(${f.name || 'anonymous'}, mode ${mode} → ${frontEnd}): ${traceCount} trace(s), ${cache.size} cached signature(s)`,
          ...[...cache.keys()].map((k) => `  signature ${k}`),
          ...log.map((l) => `  ${l}`),
        ].join('\n'),
    },
  }) as Jitted<F>;
}

/**
 * Runs the forward graph now and records a tape node whose backward runs the backward graph;
 * returns the outputs and the forward executable. A graph that graph autodiff cannot
 * differentiate (a whileLoop on the gradient path) runs op by op through the dispatcher
 * instead, so the tape records each op as in eager mode (a "graph break"; no executable).
 */
function runWithTape(entry: Entry, tensors: Tensor[], note: (line: string) => void): [Tensor[], Executable | null] {
  const wrt = tensors.map((t, i) => (t.requiresGrad && isFloating(t.dtype) ? i : -1)).filter((i) => i >= 0);
  const mask = wrt.join(',');
  let g = entry.grads.get(mask);
  if (!g) {
    try {
      const split = splitGradGraph(entry.graph, wrt);
      g = { split, forward: compile(split.forward), backward: compile(split.backward) };
    } catch (e) {
      if (!(e instanceof FlowgradError)) throw e;
      g = { tapeBecause: e.message.split('\n')[0] };
      note(`runs on the tape when inputs ${mask} require grad (graph autodiff refused: ${g.tapeBecause})`);
    }
    entry.grads.set(mask, g);
  }
  if ('tapeBecause' in g) {
    const env = replay(entry.graph, tensors);
    return [entry.graph.outputs.map((v) => env.get(v)!), null];
  }
  const nOut = entry.graph.outputs.length;
  const results = g.forward.run(...tensors);
  // Fresh handles: an output may be an input or a captured constant, whose own gradFn must not change.
  const outputs = results.slice(0, nOut).map((t) => makeView(t, t.shape, t.strides));
  const node = new JitNode(g.split, g.backward, tensors, wrt, results.slice(nOut), entry.graph.outputs.map((v) => v.type));
  attachOutputs(node, outputs);
  return [outputs, g.forward];
}

/** The tape node of a jitted call. */
class JitNode extends FunctionNode {
  private readonly inputCount: number;
  constructor(
    private readonly split: SplitGradGraph,
    private readonly backwardExe: Executable,
    inputs: readonly Tensor[],
    private readonly wrt: readonly number[],
    saved: readonly Tensor[],
    outputTypes: readonly TensorType[],
  ) {
    super('JitBackward', inputs, outputTypes);
    this.inputCount = inputs.length;
    this.save([...inputs, ...saved]);
  }

  apply(grads: readonly Tensor[]): readonly (Tensor | null)[] {
    const all = this.savedTensors();
    let gs: Tensor[];
    if (isGradEnabled()) {
      // createGraph: the gradient must stay connected to the inputs on the tape, so replay the
      // joint VJP graph from the inputs through the dispatcher rather than reuse saved values.
      const { joint } = this.split;
      const env = replay(joint, [...all.slice(0, this.inputCount), ...grads]);
      gs = joint.outputs.slice(joint.outputs.length - this.wrt.length).map((v) => env.get(v)!);
    } else gs = this.backwardExe.run(...all.slice(this.inputCount), ...grads);
    const out: (Tensor | null)[] = this.next.map(() => null);
    this.wrt.forEach((i, k) => (out[i] = gs[k]));
    return out;
  }
}
