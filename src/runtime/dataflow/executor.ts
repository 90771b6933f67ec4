/**
 * @file The dataflow executor (REFERENCE.md §2.5; the design of TensorFlow's "Implementation
 * of Control Flow in TensorFlow"): runs graphs with the control-flow primitives, where a
 * loop's nodes run once per iteration, so no single topological order exists. Values are
 * tagged with an iteration of a frame instance (frameState.ts); a node fires when all its
 * inputs have arrived in one iteration, a Merge when any one has. Single-threaded: a FIFO
 * ready queue.
 *
 * Dead values: Switch sends its data to one output and DEAD to the other; a node with a dead
 * input does not run and its results are dead; a Merge forwards its live input (dead when all
 * are dead). Enter moves a value into iteration 0 of a child frame instance (isConstant: into
 * every iteration), NextIteration into the next iteration of its Merge, Exit into the parent.
 * A dead NextIteration ends the loop; a dead Exit is sent on only once its frame instance is
 * done (all Enters came, nothing left to run) and the Exit never left live: the loop was in
 * a branch not taken.
 *
 * Other nodes run as in the sequential executor (same kernels, same results): registry ops
 * launch their kernel, constants give their tensor, and other graph ops (cond, whileLoop and
 * scan not lowered by lowerControlFlow) go to their sequential runners (graphOpRunner.ts).
 */
import { FlowgradError, ValueError, internal } from '../../errors.js';
import type { Graph } from '../../ir/graph.js';
import { GraphInterpreter, withNodeContext } from '../../ir/interpreter.js';
import type { Node } from '../../ir/node.js';
import { formatNodeLine, valueRef } from '../../ir/printer.js';
import { ENTER, EXIT, MERGE, NEXT_ITERATION, SWITCH, enterFrame, isConstantEnter, isPrimitive } from '../../ir/primitives.js';
import { formatName } from '../../ir/text.js';
import type { Value } from '../../ir/value.js';
import { copyAs } from '../../kernels/reference/copy.js';
import { runKernel } from '../../ops/dispatch.js';
import { type OpSchema, schemaOf } from '../../ops/schema.js';
import { tensor } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import type { CompileOptions, Executable } from '../compile.js';
import { DEAD, DONE, FrameInstance, Iteration, type Token } from './frameState.js';
import { constantValue } from '../constants.js';
import { GraphOpRunner } from './graphOpRunner.js';
import { LiveTensors } from './liveTensors.js';
import { type Plan, planOf } from './plan.js';
import { stallError } from './stall.js';
import { type DataflowStats, addInnerStats, emptyDataflowStats, recordLaunch } from './stats.js';

export type { DataflowStats } from './stats.js';

export interface DataflowOptions {
  /** A loop frame instance that reaches this many iterations is stopped with an error (default 1,000,000). */
  maxIterations?: number;
}

/** As cond decides: any value but 0 / false is true (NaN included). */
const isTrue = (pred: Tensor): boolean => {
  const v = pred.item() as number | boolean;
  return v !== 0 && v !== false;
};

export class DataflowExecutor extends GraphInterpreter<Tensor> {
  stats: DataflowStats = emptyDataflowStats();
  private readonly maxIterations: number;
  private readonly plans = new WeakMap<Graph, Plan>();
  private readonly graphOps = new GraphOpRunner();
  // State of the run in progress.
  private plan!: Plan;
  private queue: { node: Node; at: Iteration }[] = [];
  /** Frame instances not done (the root included), for the report of a stalled run. */
  private readonly active = new Set<FrameInstance>();
  private readonly live = new LiveTensors();

  constructor(options: DataflowOptions = {}) {
    super();
    const max = options.maxIterations ?? 1_000_000;
    if (!Number.isSafeInteger(max) || max < 1) throw new ValueError('DataflowExecutor', 'maxIterations', 'a positive integer', max);
    this.maxIterations = max;
  }

  protected override runGraph(graph: Graph, inputs: readonly Tensor[]): Tensor[] {
    this.stats = emptyDataflowStats();
    this.plan = this.plans.get(graph) ?? planOf(graph);
    this.plans.set(graph, this.plan);
    this.env = new Map();
    this.bindInputs(graph, inputs);
    const root = new FrameInstance(null, null, 0);
    this.active.add(root);
    const top = this.iteration(root, 0);
    try {
      graph.inputs.forEach((v) => this.store(v, top, this.env.get(v)!));
      for (const node of this.plan.sources) this.enqueue(node, top);
      this.drain();
      return graph.outputs.map((v) => this.result(graph, v, top));
    } finally {
      this.queue = [];
      this.active.clear();
      this.stats.buffersAllocated = this.live.made;
      this.live.clear();
      this.env = new Map();
    }
  }

  protected override typeOf(x: Tensor, input: Value, graph: Graph): TensorType {
    if (!(x instanceof Tensor)) throw new ValueError(`graph ${formatName(graph.name)}`, valueRef(input), 'a Tensor', x);
    return x;
  }

  protected override evalNode(node: Node, inputs: readonly Tensor[]): Tensor[] {
    if (node.op === 'constant') return [constantValue(node)];
    const schema = schemaOf(node.op);
    if (schema) return this.launch(node, schema, inputs);
    const { outputs, stats } = this.graphOps.run(node, inputs);
    addInnerStats(this.stats, stats, this.live.bytes);
    return outputs;
  }

  // ---- the ready queue ----

  private enqueue(node: Node, at: Iteration): void {
    this.queue.push({ node, at });
    at.outstanding++;
    at.frame.outstanding++;
  }

  private drain(): void {
    let head = 0;
    while (head < this.queue.length) {
      const { node, at } = this.queue[head++];
      this.fire(node, at);
      at.outstanding--;
      at.frame.outstanding--;
      this.settle(at);
      // A long loop keeps queueing: drop what has run.
      if (head > 4096 && head * 2 > this.queue.length) [this.queue, head] = [this.queue.slice(head), 0];
    }
  }

  private fire(node: Node, at: Iteration): void {
    if (node.op === MERGE) return this.fireMerge(node, at);
    const dead = at.dead.delete(node);
    const inputs = dead ? [] : node.inputs.map((v) => at.values.get(v) as Tensor);
    if (isPrimitive(node.op)) {
      this.stats.primitiveFirings++;
      this.firePrimitive(node, at, dead, inputs);
    } else if (dead) {
      this.stats.deadSkipped++;
      this.finish(node, at, node.outputs.map(() => DEAD), DEAD);
    } else {
      let outputs: Tensor[];
      try {
        outputs = this.evalNode(node, inputs);
      } catch (e) {
        const err = withNodeContext(e, node);
        if (at.frame.name !== null) err.message += ` (${at.frame.describe(at.index)})`;
        throw err;
      }
      // Results that are neither graph data (a constant) nor an input passed through are this run's.
      if (node.op !== 'constant') for (const t of outputs) if (!inputs.includes(t)) this.live.add(t);
      this.stats.order.push(this.plan.index.get(node)!);
      this.finish(node, at, outputs, DONE);
    }
    this.stats.peakBytes = Math.max(this.stats.peakBytes, this.live.bytes);
    for (const v of this.plan.deps.get(node)!) this.consume(v, at);
  }

  /** Stores a node's results where they belong; `done` stands for it in control dependencies. */
  private finish(node: Node, at: Iteration, outputs: readonly Token[], done: Token): void {
    node.outputs.forEach((v, i) => this.store(v, at, outputs[i]));
    const marker = this.plan.doneMarkers.get(node);
    if (marker) this.store(marker, at, done);
  }

  private firePrimitive(node: Node, at: Iteration, dead: boolean, [data, pred]: readonly Tensor[]): void {
    const token: Token = dead ? DEAD : data;
    switch (node.op) {
      case SWITCH: {
        const outputs: Token[] = [DEAD, DEAD];
        if (!dead) outputs[isTrue(pred) ? 1 : 0] = data;
        return this.finish(node, at, outputs, dead ? DEAD : DONE);
      }
      case ENTER:
        return this.enter(node, at, token);
      case EXIT:
        return this.exit(node, at, token);
      case NEXT_ITERATION:
        // A dead NextIteration ends the loop: no next iteration for this value.
        if (!dead) this.mergeNext(node.inputs[1].producer!, this.iteration(at.frame, at.index + 1), token);
        return;
      default:
        throw internal(`dataflow: no rule for primitive ${node.op}`);
    }
  }

  private enter(node: Node, at: Iteration, token: Token): void {
    const frame = this.childFrame(at, enterFrame(node.attrs));
    const out = node.outputs[0];
    if (isConstantEnter(node.attrs)) {
      frame.invariants.set(out, token);
      this.live.retain(token);
      for (const it of frame.iterations.values()) this.store(out, it, token);
    } else this.store(out, frame.iterations.get(0)!, token);
    frame.entersArrived++;
    this.finishFrame(frame);
  }

  private exit(node: Node, at: Iteration, token: Token): void {
    const frame = at.frame;
    if (token === DEAD) {
      frame.deadExits.add(node);
      return;
    }
    if (frame.liveExits.has(node)) {
      throw new FlowgradError(`dataflow: ${formatNodeLine(node)} left ${frame.describe(at.index)} with a live value, and had left this loop before: an Exit reads the false output of the loop's Switch`);
    }
    frame.liveExits.add(node);
    this.store(node.outputs[0], frame.parent!, token);
  }

  // ---- Merge ----

  private arriveAtMerge(merge: Node, at: Iteration, v: Value, token: Token): void {
    const state = at.mergeState(merge);
    const index = merge.inputs.indexOf(v);
    if (token !== DEAD) {
      if (state.chosen !== undefined) {
        const first = valueRef(merge.inputs[state.chosen.index]);
        throw new FlowgradError(`dataflow: ${formatNodeLine(merge)} received two live inputs, ${first} and ${valueRef(v)}, in ${at.frame.describe(at.index)}: a Merge joins branches of which one is taken`);
      }
      state.chosen = { token, index };
      this.live.retain(token);
      this.enqueue(merge, at);
    }
    state.arrived += merge.inputs.filter((x) => x === v).length;
    if (state.arrived === merge.inputs.length && state.chosen === undefined) {
      state.chosen = { token: DEAD, index: -1 };
      this.enqueue(merge, at);
    }
    this.consume(v, at);
  }

  /** NextIteration's value reaches its loop Merge in the next iteration. */
  private mergeNext(merge: Node, next: Iteration, token: Token): void {
    const state = next.mergeState(merge);
    if (state.chosen !== undefined) throw internal(`dataflow: ${valueRef(merge.outputs[0])} fed back twice in one iteration`);
    state.arrived = 1;
    state.chosen = { token, index: 1 };
    this.live.retain(token);
    this.enqueue(merge, next);
  }

  private fireMerge(merge: Node, at: Iteration): void {
    this.stats.primitiveFirings++;
    const chosen = at.merges.get(merge)!.chosen!;
    const { token, index } = chosen;
    const outputs: Token[] = token === DEAD ? [DEAD, DEAD] : [token, tensor(index, { dtype: 'int32' })];
    this.finish(merge, at, outputs, token === DEAD ? DEAD : DONE);
    // The state stays (a later live input is an error), without the tensor.
    chosen.token = DONE;
    this.live.release(token);
    this.stats.peakBytes = Math.max(this.stats.peakBytes, this.live.bytes);
  }

  // ---- values ----

  /** Puts a value into an iteration and tells the nodes that wait for it. */
  private store(v: Value, at: Iteration, token: Token): void {
    if (at.values.has(v)) throw internal(`dataflow: ${valueRef(v)} computed twice in ${at.frame.describe(at.index)}`);
    const readers = this.plan.readers.get(v) ?? [];
    const kept = at.frame.name === null && this.plan.outputs.has(v);
    at.values.set(v, token);
    at.usesLeft.set(v, kept ? Infinity : readers.length);
    this.live.retain(token);
    for (const node of readers) {
      if (node.op === MERGE) this.arriveAtMerge(node, at, v, token);
      else this.arrive(node, at, token);
    }
    if (!kept && readers.length === 0) this.drop(v, at);
  }

  private arrive(node: Node, at: Iteration, token: Token): void {
    const left = (at.missing.get(node) ?? this.plan.deps.get(node)!.length) - 1;
    if (token === DEAD) at.dead.add(node);
    if (left > 0) {
      at.missing.set(node, left);
      return;
    }
    at.missing.delete(node);
    this.enqueue(node, at);
  }

  /** One reader of `v` is done with it; after the last, it is dropped. */
  private consume(v: Value, at: Iteration): void {
    const left = (at.usesLeft.get(v) ?? 0) - 1;
    if (left > 0) at.usesLeft.set(v, left);
    else if (at.values.has(v)) this.drop(v, at);
  }

  private drop(v: Value, at: Iteration): void {
    const token = at.values.get(v)!;
    at.values.delete(v);
    at.usesLeft.delete(v);
    this.live.release(token);
  }

  // ---- frames and iterations ----

  /** The instance of frame `name` entered from iteration `at`, made (with its iteration 0) on first Enter. */
  private childFrame(at: Iteration, name: string): FrameInstance {
    let frame = at.children.get(name);
    if (frame) return frame;
    frame = new FrameInstance(name, at, this.plan.entersInto.get(name) ?? 0);
    at.children.set(name, frame);
    at.outstanding++;
    at.frame.outstanding++;
    this.active.add(frame);
    this.stats.frames++;
    this.iteration(frame, 0);
    return frame;
  }

  private iteration(frame: FrameInstance, index: number): Iteration {
    let it = frame.iterations.get(index);
    if (it) return it;
    if (index >= this.maxIterations) {
      throw new FlowgradError(`dataflow: the loop of frame ${frame.name} reached ${this.maxIterations} iterations (${frame.describe(index)}) without its predicate turning false; the limit is DataflowExecutor's maxIterations`);
    }
    it = new Iteration(frame, index);
    frame.iterations.set(index, it);
    this.stats.maxIteration = Math.max(this.stats.maxIteration, index);
    for (const [v, token] of frame.invariants) this.store(v, it, token);
    return it;
  }

  /** After a node ran in `at`: forgets the iteration once nothing can reach it, and finishes its frame when done. */
  private settle(at: Iteration): void {
    const frame = at.frame;
    if (frame.name === null) return;
    const quiet = at.outstanding === 0 && at.missing.size === 0 && frame.entersArrived === frame.expectedEnters;
    if (quiet && frame.iterations.has(at.index + 1)) this.forget(at);
    this.finishFrame(frame);
  }

  private forget(at: Iteration): void {
    for (const token of at.values.values()) this.live.release(token);
    at.frame.iterations.delete(at.index);
  }

  /**
   * A frame instance with all its Enters in, nothing queued and no node waiting is done: its
   * dead Exits go to the parent. (A node that waits forever leaves it unfinished: the run
   * then reports a stall.)
   */
  private finishFrame(frame: FrameInstance): void {
    if (frame.done || frame.outstanding > 0 || frame.entersArrived < frame.expectedEnters) return;
    for (const it of frame.iterations.values()) if (it.missing.size > 0) return;
    frame.done = true;
    this.active.delete(frame);
    const parent = frame.parent!;
    for (const exit of frame.deadExits) if (!frame.liveExits.has(exit)) this.store(exit.outputs[0], parent, DEAD);
    for (const it of frame.iterations.values()) this.forget(it);
    for (const token of frame.invariants.values()) this.live.release(token);
    frame.invariants.clear();
    parent.outstanding--;
    parent.frame.outstanding--;
    this.settle(parent);
  }

  // ---- results and errors ----

  private result(graph: Graph, v: Value, top: Iteration): Tensor {
    const token = top.values.get(v);
    if (token === undefined) throw stallError(graph, v, this.active, this.plan);
    if (token === DEAD) {
      throw new FlowgradError(`dataflow: graph ${formatName(graph.name)}: output ${valueRef(v)} is dead: it comes from a branch not taken (join branches with a Merge; a loop's results leave through Exit)`);
    }
    const t = token as Tensor;
    // A literal constant the graph returns is copied: the caller may write into it.
    return this.plan.literals.has(t) ? copyAs(t, t.dtype) : t;
  }

  // ---- kernels ----

  private launch(node: Node, schema: OpSchema<any>, inputs: readonly Tensor[]): Tensor[] {
    const attrs = this.concreteAttrs(node);
    const outTypes = schema.infer(inputs, attrs);
    const start = performance.now();
    const outputs = runKernel(schema, inputs, attrs, outTypes);
    recordLaunch(this.stats, node.op, node.device ?? inputs[0]?.device ?? 'cpu', performance.now() - start, outputs);
    return outputs;
  }
}

/** `compile(g, { executor: 'dataflow' })`; buffers are not recycled (recycleBuffers has no effect). */
export function dataflowExecutable(graph: Graph, _options: CompileOptions): Executable & { readonly stats: DataflowStats } {
  const executor = new DataflowExecutor();
  return {
    graph,
    run: (...inputs) => executor.run(graph, inputs),
    get stats() {
      return executor.stats;
    },
  };
}
