/**
 * @file fg.compile with `passes`: optimize the graph, then bind it to an executor.
 *
 * runtime/ sits below passes/, so runtime's compile cannot run passes; this wrapper, one
 * layer up, is what the package exports as `fg.compile`. Without `passes` (or with an empty
 * list) the graph is compiled as given, as runtime's compile does.
 *
 *     const exe = fg.compile(g, { passes: ['algebraic', 'constantFolding', 'cse', 'dce'] });
 *     exe.graph   // the optimized graph that runs
 */
import { FlowgradError, ValueError, describe } from '../errors.js';
import { Graph } from '../ir/graph.js';
import { COMPILE_OPTION_NAMES, type CompileOptions as RuntimeCompileOptions, type Executable, compile as compileGraph } from '../runtime/compile.js';
import { checkPassNames, optimize } from './optimize.js';

export interface CompileOptions extends RuntimeCompileOptions {
  /** Passes to run before compiling, in order (to a fixed point); none by default. */
  passes?: readonly string[];
}

const OPTION_NAMES = [...COMPILE_OPTION_NAMES, 'passes'];

/** Optimizes `g` with `options.passes` (if any), then compiles it with runtime's compile. */
export function compile(g: Graph, options: CompileOptions = {}): Executable {
  if (!(g instanceof Graph)) throw new ValueError('compile', 'g', 'a Graph (from fg.trace, fg.parseGraph or a GraphBuilder)', g);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ValueError('compile', 'options', 'an object such as { executor: "sequential" }', options);
  for (const k of Object.keys(options)) {
    if (!OPTION_NAMES.includes(k)) throw new FlowgradError(`compile: unknown option ${describe(k)} (known: ${OPTION_NAMES.join(', ')})`);
  }
  const { passes, ...rest } = options;
  if (passes === undefined) return compileGraph(g, rest);
  const names = checkPassNames('compile', passes);
  return compileGraph(names.length > 0 ? optimize(g, { passes: names }) : g, rest);
}
