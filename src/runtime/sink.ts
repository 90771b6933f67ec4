/**
 * @file The `sink` executor (REFERENCE §2.4, "graph sinking"): a whole static graph compiled
 * once into one program — every node's kernel signature, attributes and output types fixed,
 * values in numbered slots, each freed at its last use — and submitted as one task per run,
 * with no per-node scheduling, shape inference or timing. As on the chips that sink graphs,
 * the price is generality: no symbolic dims, no control flow (cond/whileLoop/scan or their
 * lowered primitives), no graph-only ops but constants and fused nodes.
 *
 *     const exe = fg.compile(g, { executor: 'sink' });
 *     exe.run(x, w);  exe.stats.launches;  exe.stats.dispatches;   // 1 per run
 */
import { FlowgradError, ValueError, given } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { formatType } from '../ir/printer.js';
import { formatName } from '../ir/text.js';
import type { Value } from '../ir/value.js';
import { runKernel } from '../ops/dispatch.js';
import { type OpSchema, schemaOf } from '../ops/schema.js';
import { BYTES_PER_ELEMENT } from '../tensor/dtype.js';
import { isConcrete, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor, disposedError } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { BufferPool } from './bufferPool.js';
import type { CompileOptions, Executable } from './compile.js';
import { runFused } from './fused.js';
import { type ExecutionStats, emptyStats } from './sequential.js';
import { constantValue, ownedOutput } from './constants.js';

/** One step of the program: read slots, run, write slots, free the slots read for the last time. */
interface Step {
  readonly node: Node;
  readonly run: (inputs: readonly Tensor[]) => Tensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly frees: readonly number[];
}

/** A sunk graph's stats: the sequential executor's, plus the submissions (one per run). */
export interface SinkStats extends ExecutionStats {
  dispatches: number;
}

const bytesOf = (t: TensorType): number => sizeOf(t.shape as number[]) * BYTES_PER_ELEMENT[t.dtype];

/** Compiles `graph` into a program; throws a FlowgradError naming what keeps it from sinking. */
export class SinkProgram {
  private readonly steps: Step[] = [];
  private readonly slotCount: number;
  private readonly inputSlots: number[];
  private readonly outputSlots: number[];
  /** Constant nodes, preloaded into their slots at every run. */
  private readonly constants: [number, Node][] = [];
  private readonly naivePeakBytes: number;
  private readonly plannedPeakBytes: number;

  constructor(readonly graph: Graph) {
    const slotOf = new Map<Value, number>();
    const slot = (v: Value) => {
      if (!slotOf.has(v)) slotOf.set(v, slotOf.size);
      return slotOf.get(v)!;
    };
    for (const v of graph.inputs) {
      if (!isConcrete(v.type.shape)) throw this.refuse(`input ${formatName(v.name ?? String(v.id))} has a symbolic shape ${formatType(v.type)}`);
      slot(v);
    }
    this.inputSlots = graph.inputs.map(slot);
    const lastUse = new Map<Value, Node>();
    for (const n of graph.nodes) for (const v of n.inputs) lastUse.set(v, n);
    const kept = new Set(graph.outputs);
    let live = 0;
    let peak = 0;
    let naive = 0;
    for (const node of graph.nodes) {
      if (node.subgraphs.length > 0 && node.op !== 'fused') throw this.refuse(`${node.op} has subgraphs (control flow does not sink)`);
      for (const v of node.outputs) if (!isConcrete(v.type.shape)) throw this.refuse(`${node.op} gives a symbolic shape ${formatType(v.type)}`);
      const outputs = node.outputs.map(slot);
      if (node.op === 'constant') {
        this.constants.push([outputs[0], node]);
        continue;
      }
      const inputs = node.inputs.map(slot);
      const frees = [...new Set(node.inputs)].filter((v) => lastUse.get(v) === node && !kept.has(v) && v.producer?.op !== 'constant').map(slot);
      this.steps.push({ node, run: this.kernelOf(node), inputs, outputs, frees });
      const made = node.outputs.reduce((b, v) => b + bytesOf(v.type), 0);
      naive += made;
      live += made;
      peak = Math.max(peak, live);
      for (const v of new Set(node.inputs)) if (lastUse.get(v) === node && !kept.has(v) && v.producer && v.producer.op !== 'constant') live -= bytesOf(v.type);
    }
    this.outputSlots = graph.outputs.map(slot);
    this.slotCount = slotOf.size;
    this.naivePeakBytes = naive;
    this.plannedPeakBytes = peak;
  }

  private refuse(why: string): FlowgradError {
    return new FlowgradError(`compile: graph ${formatName(this.graph.name)} cannot run on the 'sink' executor: ${why}; use 'sequential' (or 'dataflow')`);
  }

  /** The node's call with everything static fixed: schema, attributes, output types. */
  private kernelOf(node: Node): (inputs: readonly Tensor[]) => Tensor[] {
    if (node.op === 'fused') return (inputs) => runFused(node, inputs);
    const schema: OpSchema<any> | undefined = schemaOf(node.op);
    if (!schema) throw this.refuse(`op ${node.op} is a graph-only op`);
    const outTypes = node.outputs.map((v) => v.type);
    return (inputs) => runKernel(schema, inputs, node.attrs, outTypes);
  }

  /** Runs the program on `inputs` (checked against the graph's static input types). */
  run(inputs: readonly Tensor[], pool: BufferPool | null, stats: SinkStats): Tensor[] {
    const { graph } = this;
    if (inputs.length !== graph.inputs.length) throw new ValueError(`graph ${formatName(graph.name)}`, 'inputs', `${graph.inputs.length} tensors`, given(`${inputs.length}`));
    const slots: (Tensor | undefined)[] = new Array(this.slotCount);
    graph.inputs.forEach((v, i) => {
      const t = inputs[i];
      if (!(t instanceof Tensor)) throw new ValueError(`graph ${formatName(graph.name)}`, `input ${i}`, 'a Tensor', t);
      if (t.disposed) throw disposedError(`graph ${formatName(graph.name)}`, `input ${i}`);
      if (t.dtype !== v.type.dtype || !shapesEqual(t.shape, v.type.shape as number[])) {
        throw new ValueError(`graph ${formatName(graph.name)}`, `input ${i}`, formatType(v.type), given(formatType(t)));
      }
      slots[this.inputSlots[i]] = t;
    });
    for (const [at, node] of this.constants) slots[at] = constantValue(node);
    const start = performance.now();
    const body = () => {
      for (const step of this.steps) {
        const outs = step.run(step.inputs.map((i) => slots[i]!));
        step.outputs.forEach((o, k) => {
          slots[o] = outs[k];
          pool?.retain(outs[k].storage.data);
        });
        for (const f of step.frees) {
          pool?.release(slots[f]!.storage.data);
          slots[f] = undefined;
        }
      }
      return this.outputSlots.map((s, i) => ownedOutput(slots[s]!, graph.outputs[i].producer));
    };
    const results = pool ? pool.during(body) : body();
    stats.busyMs.cpu = performance.now() - start;
    stats.launches = this.steps.length;
    stats.dispatches = 1;
    stats.peakBytes = this.plannedPeakBytes;
    stats.naivePeakBytes = this.naivePeakBytes;
    return results;
  }
}

/** The `sink` executor factory for compile. */
export function sinkExecutable(graph: Graph, options: CompileOptions): Executable & { readonly stats: SinkStats } {
  const program = new SinkProgram(graph);
  const pool = options.recycleBuffers === false ? null : new BufferPool();
  let stats: SinkStats = { ...emptyStats(), dispatches: 0 };
  return {
    graph,
    run(...inputs: Tensor[]) {
      stats = { ...emptyStats(), dispatches: 0 };
      const [reused, fresh] = pool ? [pool.reused, pool.fresh] : [0, 0];
      const out = program.run(inputs, pool, stats);
      if (pool) {
        stats.buffersReused = pool.reused - reused;
        stats.buffersAllocated = pool.fresh - fresh;
      }
      return out;
    },
    get stats() {
      return stats;
    },
  };
}
