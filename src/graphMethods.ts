/**
 * @file Attaches `run` to Graph: ir/ sits below runtime/, so the method that compiles and
 * executes a graph is added here, at the top, as tensorMethods.ts does for Tensor.
 */
import { Graph } from './ir/graph.js';
import { type Executable, compile } from './runtime/compile.js';
import type { Tensor } from './tensor/tensor.js';

declare module './ir/graph.js' {
  interface Graph {
    /** Runs the graph with the sequential executor (compiled once per graph, then cached). */
    run(...inputs: Tensor[]): Tensor[];
  }
}

const executables = new WeakMap<Graph, Executable>();

Object.defineProperty(Graph.prototype, 'run', {
  value(this: Graph, ...inputs: Tensor[]): Tensor[] {
    let exe = executables.get(this);
    if (!exe) executables.set(this, (exe = compile(this)));
    return exe.run(...inputs);
  },
  writable: true,
  configurable: true,
  enumerable: false,
});
