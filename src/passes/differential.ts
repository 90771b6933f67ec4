/**
 * @file Differential mode of the pass manager: run the graph before and after each pass on
 * the same inputs (given, or random ones made from the input types) and name the first pass
 * that changed the numbers.
 *
 * Runs must not disturb the caller: storages that side-effecting nodes write (running
 * statistics) are restored before each run and at the end, and a graph with random ops is
 * run with the generator reseeded alike each time, then the generator is left as if one
 * draw had been made (a seeded program stays reproducible).
 */
import { FlowgradError, ValueError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { formatType, valueRef } from '../ir/printer.js';
import { DimBindings } from '../ir/symbolic.js';
import { compile } from '../runtime/compile.js';
import { schemaOf } from '../ops/schema.js';
import { type TypedArray, isFloating } from '../tensor/dtype.js';
import { manualSeed, nextUniform } from '../tensor/random.js';
import type { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/create.js';
import { storageRoot } from './constants.js';

/** Differential-mode settings: `check: true` or `check: { inputs, tolerance, seed }`. */
export interface CheckOptions {
  /** Inputs to run the graphs on (default: random values of the input types; symbolic dims take size 3). */
  inputs?: readonly Tensor[];
  /** Allowed difference for floating outputs, relative: |a − b| ≤ tol·(1 + |b|) (default 1e-6). Others must be equal. */
  tolerance?: number;
  /** Seed of the random inputs (default 0). */
  seed?: number;
}

/** The first place two runs disagree. */
export interface Mismatch {
  readonly pass: string;
  readonly round: number;
  /** What differs, in words: `output 0 (%5) element 3: 2.5, was 1.5 before the pass`. */
  readonly detail: string;
}

interface Outputs {
  readonly types: string[];
  readonly data: TypedArray[];
}

const CHECK_KEYS = ['inputs', 'tolerance', 'seed'];
/** Symbolic dims of random inputs take this size. */
const SYMBOLIC_SIZE = 3;

/** Validates the `check` option of optimize/runPasses; returns null when off. */
export function checkOptions(caller: string, check: unknown): CheckOptions | null {
  if (check === undefined || check === false) return null;
  if (check === true) return {};
  if (typeof check !== 'object' || check === null || Array.isArray(check)) throw new ValueError(caller, 'check', 'true, false, or { inputs?, tolerance?, seed? }', check);
  for (const k of Object.keys(check)) if (!CHECK_KEYS.includes(k)) throw new FlowgradError(`${caller}: unknown check option '${k}' (known: ${CHECK_KEYS.join(', ')})`);
  const c = check as CheckOptions;
  if (c.inputs !== undefined && (!Array.isArray(c.inputs) || c.inputs.some((t) => !(t instanceof Tensor)))) throw new ValueError(caller, 'check.inputs', 'an array of Tensors, one per graph input', c.inputs);
  if (c.tolerance !== undefined && (typeof c.tolerance !== 'number' || !(c.tolerance >= 0))) throw new ValueError(caller, 'check.tolerance', 'a non-negative number', c.tolerance);
  if (c.seed !== undefined && !Number.isInteger(c.seed)) throw new ValueError(caller, 'check.seed', 'an integer', c.seed);
  return c;
}

/** Runs graphs on one set of inputs and compares each pass's result with the graph before it. */
export class DifferentialCheck {
  private readonly inputs: readonly Tensor[];
  private readonly tolerance: number;
  private readonly written: Map<Storage, TypedArray>;
  private readonly random: boolean;
  private readonly runSeed: number;
  private current: Outputs;

  constructor(
    graph: Graph,
    options: CheckOptions,
    private readonly caller: string,
  ) {
    this.inputs = options.inputs ?? randomInputs(graph, options.seed ?? 0);
    this.tolerance = options.tolerance ?? 1e-6;
    this.written = writtenStorages(graph, this.inputs);
    this.random = graph.nodes.some((n) => schemaOf(n.op)?.flags.random);
    this.runSeed = this.random ? Math.floor(nextUniform() * 2 ** 31) : 0;
    try {
      this.current = this.run(graph);
    } catch (e) {
      const how = options.inputs ? 'the given inputs' : 'random inputs (pass check: { inputs } to choose them)';
      throw new FlowgradError(`${this.caller}: differential check: the graph fails on ${how}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Compares `after` (what `pass` made) with the graph before it; null if the numbers agree. */
  compare(pass: string, round: number, after: Graph): Mismatch | null {
    let outputs: Outputs;
    try {
      outputs = this.run(after);
    } catch (e) {
      return { pass, round, detail: `the graph after it fails to run: ${e instanceof Error ? e.message : String(e)}` };
    }
    const detail = this.difference(after, this.current, outputs);
    if (detail) return { pass, round, detail };
    this.current = outputs;
    return null;
  }

  /** Puts written storages back as they were; call once at the end. */
  restore(): void {
    for (const [storage, saved] of this.written) storage.data.set(saved);
  }

  private run(g: Graph): Outputs {
    this.restore();
    if (this.random) manualSeed(this.runSeed);
    try {
      const outs = compile(g).run(...this.inputs);
      // Copied at once: an output may alias storage that the next run writes.
      return { types: outs.map((t) => formatType(t)), data: outs.map((t) => t.dataSync()) };
    } finally {
      this.restore();
      if (this.random) manualSeed(this.runSeed + 1);
    }
  }

  private difference(g: Graph, before: Outputs, after: Outputs): string | null {
    if (before.types.length !== after.types.length) return `${after.types.length} outputs, ${before.types.length} before the pass`;
    for (let i = 0; i < before.types.length; i++) {
      const what = `output ${i} (${valueRef(g.outputs[i])})`;
      if (before.types[i] !== after.types[i]) return `${what} is ${after.types[i]}, was ${before.types[i]} before the pass`;
      const floating = isFloating(g.outputs[i].type.dtype);
      const [a, b] = [after.data[i], before.data[i]];
      for (let k = 0; k < b.length; k++) {
        const [x, y] = [a[k], b[k]];
        const same = Object.is(x, y) || x === y || (floating && Number.isNaN(x) && Number.isNaN(y)) ||
          (floating && Number.isFinite(y) && Math.abs(x - y) <= this.tolerance * (1 + Math.abs(y)));
        if (!same) return `${what} element ${k}: ${x}, was ${y} before the pass`;
      }
    }
    return null;
  }
}

/** Random inputs of the graph's input types: floats in [-1, 1), int32 in {0, 1, 2}, bools. */
function randomInputs(g: Graph, seed: number): Tensor[] {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const dims = new DimBindings();
  for (const v of g.inputs) for (const d of v.type.shape) if (typeof d === 'string' && !d.includes('*')) dims.bind(d, SYMBOLIC_SIZE, 'check');
  return g.inputs.map((v) => {
    const shape = dims.concreteShape(v.type.shape, `${valueRef(v)}`);
    const n = shape.reduce((a, b) => a * b, 1);
    const { dtype } = v.type;
    const data = Array.from({ length: n }, () => (dtype === 'bool' ? next() < 0.5 : dtype === 'int32' ? Math.floor(next() * 3) : next() * 2 - 1));
    const t = tensor(data as number[], { dtype });
    return t.reshape(shape);
  });
}

/** Snapshots of the storages side-effecting nodes write: constants they read through views, and inputs. */
function writtenStorages(g: Graph, inputs: readonly Tensor[]): Map<Storage, TypedArray> {
  const out = new Map<Storage, TypedArray>();
  for (const n of g.nodes) {
    if (!schemaOf(n.op)?.flags.sideEffecting) continue;
    for (const v of n.inputs) {
      const root = storageRoot(v);
      const inputAt = g.inputs.indexOf(root);
      const t = inputAt >= 0 ? inputs[inputAt] : root.producer?.op === 'constant' ? root.producer.attrs.value : undefined;
      if (t instanceof Tensor && !out.has(t.storage)) out.set(t.storage, t.storage.data.slice() as TypedArray);
    }
  }
  return out;
}
