/**
 * @file Build once, run many times: re-running a traced graph against re-tracing it on every
 * call (ms per call, lower is better). A small MLP gradient, so the cost of tracing and
 * graph autodiff shows beside the kernels. The sink row traces for the fixed batch and runs
 * the graph as one compiled program (`executor: 'sink'`).
 */
import * as fg from '../src/index.js';
import type { BenchCase } from './harness.js';
import { uniform } from './inputs.js';
import type { Topic } from './peers.js';

const SIZES = [64, 32, 32, 10];
const BATCH = 8;

const mlp = (x: fg.Tensor, w1: fg.Tensor, w2: fg.Tensor, w3: fg.Tensor) => x.matmul(w1).tanh().matmul(w2).tanh().matmul(w3).logSoftmax(1).mean();
const specs = [fg.spec(['batch', SIZES[0]]), ...SIZES.slice(1).map((n, i) => fg.spec([SIZES[i], n]))];

function inputs(): fg.Tensor[] {
  const x = fg.tensor(uniform(BATCH * SIZES[0], -1, 1, 61)).reshape([BATCH, SIZES[0]]);
  const ws = SIZES.slice(1).map((n, i) => fg.tensor(uniform(SIZES[i] * n, -0.3, 0.3, 62 + i)).reshape([SIZES[i], n]));
  return [x, ...ws];
}

type Mode = 'cached' | 'retrace' | 'sink';

function flowgradCase(name: string, mode: Mode): BenchCase {
  return {
    name,
    size: `MLP ${SIZES.join('-')}, batch ${BATCH}, loss + 3 grads`,
    measure: { unit: 'ms' },
    subjects: [
      {
        library: 'flowgrad',
        prepare() {
          const xs = inputs();
          const build = () => fg.gradGraph(fg.trace(mlp, specs), { wrt: [1, 2, 3] });
          if (mode === 'sink') {
            const fixed = [fg.spec([BATCH, SIZES[0]]), ...specs.slice(1)];
            const exe = fg.compile(fg.gradGraph(fg.trace(mlp, fixed), { wrt: [1, 2, 3] }), { executor: 'sink' });
            return { run: () => void exe.run(...xs), result: () => exe.run(...xs)[1].dataSync() as Float32Array };
          }
          const graph = build();
          const run = () => (mode === 'retrace' ? build() : graph).run(...xs);
          return { run: () => void run(), result: () => run()[1].dataSync() as Float32Array };
        },
      },
    ],
  };
}

export const topic: Topic = {
  name: 'trace',
  title: 'static graph: run a traced graph again vs trace + differentiate + run every call (ms, lower is better)',
  cases: () => [flowgradCase('run the cached graph', 'cached'), flowgradCase('run it sunk', 'sink'), flowgradCase('retrace every call', 'retrace')],
};
