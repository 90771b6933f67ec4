/**
 * @file compile: a verified graph bound to an executor, run many times without rebuilding
 * (define-then-run). Executors register by name, so the concurrent, dataflow and sinking
 * executors plug in beside the sequential one without editing this file.
 */
import { FlowgradError, ValueError, describe } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { verifyGraph } from '../ir/verify.js';
import type { Tensor } from '../tensor/tensor.js';
import { dataflowExecutable } from './dataflow/executor.js';
import { type ExecutionStats, SequentialExecutor } from './sequential.js';
import { isPrimitive } from '../ir/primitives.js';
import { sinkExecutable } from './sink.js';

/** A compiled graph: `run` executes it; `stats` describes the last run. */
export interface Executable {
  readonly graph: Graph;
  run(...inputs: Tensor[]): Tensor[];
  readonly stats: ExecutionStats;
}

export interface CompileOptions {
  /** Which executor runs the graph (default 'sequential'). */
  executor?: string;
  /**
   * Whether intermediates' buffers are recycled for later nodes and later runs (default
   * true; see runtime/bufferPool.ts). Outputs always belong to the caller.
   */
  recycleBuffers?: boolean;
}

/** Makes an Executable for a verified graph. */
export type ExecutorFactory = (graph: Graph, options: CompileOptions) => Executable;
const executors = new Map<string, ExecutorFactory>();

/** Makes an executor available to `compile` under `name`. */
export function registerExecutor(name: string, factory: ExecutorFactory): void {
  executors.set(name, factory);
}

/** Names of the executors `compile` can use now. */
export const availableExecutors = (): string[] => [...executors.keys()];

registerExecutor('sequential', (graph, options) => {
  const executor = new SequentialExecutor({ recycle: options.recycleBuffers });
  return {
    graph,
    run: (...inputs) => executor.run(graph, inputs),
    get stats() {
      return executor.stats;
    },
  };
});

registerExecutor('dataflow', dataflowExecutable);
registerExecutor('sink', sinkExecutable);

/** The options `compile` knows (passes/compile.ts adds `passes`). */
export const COMPILE_OPTION_NAMES: readonly string[] = ['executor', 'recycleBuffers'];

/**
 * Verifies `g` and binds it to an executor. Input count, dtypes and shapes are checked on
 * each run (symbolic dims such as `batch` take their size from the inputs).
 *
 *     const exe = compile(g, { executor: 'sequential' });
 *     const [y] = exe.run(x, w);
 *     exe.stats.launches;
 */
export function compile(g: Graph, options: CompileOptions = {}): Executable {
  if (typeof options !== 'object' || options === null) throw new ValueError('compile', 'options', 'an object such as { executor: "sequential" }', options);
  for (const k of Object.keys(options)) {
    if (!COMPILE_OPTION_NAMES.includes(k)) throw new FlowgradError(`compile: unknown option '${k}' (known: ${COMPILE_OPTION_NAMES.join(', ')})`);
  }
  if (options.recycleBuffers !== undefined && typeof options.recycleBuffers !== 'boolean') {
    throw new ValueError('compile', 'recycleBuffers', 'a boolean', options.recycleBuffers);
  }
  // A lowered graph (Switch, Merge, … from lowerControlFlow) needs the dataflow executor.
  const name = options.executor ?? (g.nodes.some((n) => isPrimitive(n.op)) ? 'dataflow' : 'sequential');
  const factory = executors.get(name);
  if (!factory) {
    throw new FlowgradError(`compile: executor ${describe(name)} is not available yet; available: ${availableExecutors().join(', ')}`);
  }
  verifyGraph(g);
  return factory(g, options);
}
