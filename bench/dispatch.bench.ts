/**
 * @file Eager dispatch overhead: add of two 1-element float32 tensors, in µs per op.
 *
 * Each timed run does OPS_PER_RUN adds and releases every result as that library's users
 * must: dropped for flowgrad's garbage collector, `dispose()` in tfjs, and in jax-js
 * `blockUntilReady()` then `dispose()`, since its ops are lazy and an unrealised array
 * would have computed nothing.
 *
 * Two sizes, because jax-js stores an array of fewer than 128 equal values as a constant
 * and adds constants symbolically: its 1-element row builds an expression and runs no
 * kernel. The 64-element operands hold distinct values, so every library runs a kernel.
 */
import * as fg from '../src/index.js';
import type { BenchCase } from './harness.js';
import { uniform } from './inputs.js';
import { type Peers, type Topic, subjectsFor } from './peers.js';

const OPS_PER_RUN = 2000;
function addCase(peers: Peers, size: number): BenchCase {
  const A = uniform(size, -1, 1, 51);
  const B = uniform(size, -1, 1, 52);
  return {
    name: `add ${size}-element`,
    size: `[${size}] + [${size}]`,
    measure: { unit: 'µs/op', perRun: OPS_PER_RUN },
    subjects: subjectsFor(peers, {
      flowgrad() {
        const a = fg.tensor(A);
        const b = fg.tensor(B);
        return {
          run() {
            for (let i = 0; i < OPS_PER_RUN; i++) fg.add(a, b);
          },
          result: () => fg.add(a, b).dataSync() as Float32Array,
        };
      },
      tfjs(tf) {
        const a = tf.tensor1d(A);
        const b = tf.tensor1d(B);
        return {
          run() {
            for (let i = 0; i < OPS_PER_RUN; i++) tf.add(a, b).dispose();
          },
          result() {
            const c = tf.add(a, b);
            const out = c.dataSync() as Float32Array;
            c.dispose();
            return out;
          },
          dispose: () => tf.dispose([a, b]),
        };
      },
      jax({ numpy: np }) {
        const a = np.array(A);
        const b = np.array(B);
        return {
          async run() {
            for (let i = 0; i < OPS_PER_RUN; i++) {
              const c = np.add(a.ref, b.ref);
              await c.blockUntilReady();
              c.dispose();
            }
          },
          result: () => np.add(a.ref, b.ref).dataSync() as Float32Array,
          dispose() {
            a.dispose();
            b.dispose();
          },
        };
      },
    }),
  };
}

export const topic: Topic = {
  name: 'dispatch',
  title: 'eager dispatch of a tiny op (µs per op, lower is better)',
  cases: (peers) => [addCase(peers, 1), addCase(peers, 64)],
};
