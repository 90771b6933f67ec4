/**
 * @file matmul 1024² float32, plain and with a transposed operand (the shapes of every
 * backward pass: dX = dY·Wᵀ, dW = Xᵀ·dY), in GFLOP/s.
 *
 * Every library reads the same buffers the same way: a "transposed" operand is stored
 * [n, k] and used as its transpose — a strided view in flowgrad, the transpose flag in
 * tfjs, a lazy transpose in jax-js.
 */
import * as fg from '../src/index.js';
import type { BenchCase } from './harness.js';
import { uniform } from './inputs.js';
import { type Peers, type Topic, subjectsFor, tfSync } from './peers.js';

const N = 1024;

interface Variant {
  name: string;
  transposeA: boolean;
  transposeB: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'matmul a @ b', transposeA: false, transposeB: false },
  { name: 'matmul a @ bᵀ', transposeA: false, transposeB: true },
  { name: 'matmul aᵀ @ b', transposeA: true, transposeB: false },
];

function matmulCase(peers: Peers, v: Variant): BenchCase {
  const aData = uniform(N * N, -1, 1, 11);
  const bData = uniform(N * N, -1, 1, 12);
  return {
    name: v.name,
    size: `${N}×${N}×${N}`,
    measure: { unit: 'GFLOP/s', perRun: 2 * N ** 3 },
    subjects: subjectsFor(peers, {
      flowgrad() {
        const a0 = fg.tensor(aData).reshape([N, N]);
        const b0 = fg.tensor(bData).reshape([N, N]);
        const a = v.transposeA ? a0.transpose(0, 1) : a0;
        const b = v.transposeB ? b0.transpose(0, 1) : b0;
        return {
          // Eager flowgrad ops return computed tensors: nothing to wait for.
          run: () => void fg.matmul(a, b),
          result: () => fg.matmul(a, b).dataSync() as Float32Array,
        };
      },
      tfjs(tf) {
        const a = tf.tensor2d(aData, [N, N]);
        const b = tf.tensor2d(bData, [N, N]);
        const product = () => tf.matMul(a, b, v.transposeA, v.transposeB);
        return {
          run() {
            const c = product();
            tfSync(tf, c);
            c.dispose();
          },
          result() {
            const c = product();
            const data = c.dataSync() as Float32Array;
            c.dispose();
            return data;
          },
          dispose: () => tf.dispose([a, b]),
        };
      },
      jax({ numpy: np }) {
        const a = np.array(aData).reshape([N, N]);
        const b = np.array(bData).reshape([N, N]);
        // jax-js ops consume their inputs: `.ref` keeps a and b alive for the next run.
        const product = () => np.matmul(v.transposeA ? a.ref.transpose() : a.ref, v.transposeB ? b.ref.transpose() : b.ref);
        return {
          async run() {
            const c = product();
            await c.blockUntilReady();
            c.dispose();
          },
          result: () => product().dataSync() as Float32Array,
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
  name: 'matmul',
  title: `matmul ${N}² float32 (GFLOP/s, higher is better)`,
  cases: (peers) => VARIANTS.map((v) => matmulCase(peers, v)),
};
