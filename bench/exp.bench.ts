/**
 * @file Transcendental elementwise ops over 16M float32 (exp, tanh, sigmoid), in GB/s
 * counting the bytes read plus the bytes written (8 per element).
 */
import type { Array as JaxArray } from '@jax-js/jax';
import type { Tensor as TfTensor } from '@tensorflow/tfjs';
import * as fg from '../src/index.js';
import type { BenchCase } from './harness.js';
import { uniform } from './inputs.js';
import { type Jax, type Peers, type Tf, type Topic, subjectsFor, tfSync } from './peers.js';

const SIZE = 1 << 24;

interface UnaryOp {
  name: string;
  flowgrad: (x: fg.Tensor) => fg.Tensor;
  /** The in-place form (PyTorch's exp_): no new memory; the peers have none. */
  inPlace: (x: fg.Tensor) => fg.Tensor;
  tfjs: (tf: Tf, x: TfTensor) => TfTensor;
  jax: (jax: Jax, x: JaxArray) => JaxArray;
}

const OPS: UnaryOp[] = [
  { name: 'exp', flowgrad: fg.exp, inPlace: fg.exp_, tfjs: (tf, x) => tf.exp(x), jax: ({ numpy: np }, x) => np.exp(x) },
  { name: 'tanh', flowgrad: fg.tanh, inPlace: fg.tanh_, tfjs: (tf, x) => tf.tanh(x), jax: ({ numpy: np }, x) => np.tanh(x) },
  { name: 'sigmoid', flowgrad: fg.sigmoid, inPlace: fg.sigmoid_, tfjs: (tf, x) => tf.sigmoid(x), jax: ({ nn }, x) => nn.sigmoid(x) },
];

function unaryCase(peers: Peers, op: UnaryOp, data: Float32Array): BenchCase {
  return {
    name: op.name,
    size: '16M f32',
    measure: { unit: 'GB/s', perRun: SIZE * 4 * 2 },
    // Libraries use different exp/tanh approximations; 1e-5 of the largest value is ample.
    tolerance: 1e-5,
    subjects: subjectsFor(peers, {
      flowgrad() {
        const x = fg.tensor(data);
        return { run: () => void op.flowgrad(x), result: () => op.flowgrad(x).dataSync() as Float32Array };
      },
      tfjs(tf) {
        const x = tf.tensor1d(data);
        return {
          run() {
            const y = op.tfjs(tf, x);
            tfSync(tf, y);
            y.dispose();
          },
          result() {
            const y = op.tfjs(tf, x);
            const out = y.dataSync() as Float32Array;
            y.dispose();
            return out;
          },
          dispose: () => x.dispose(),
        };
      },
      jax(jax) {
        const x = jax.numpy.array(data);
        return {
          async run() {
            const y = op.jax(jax, x.ref);
            await y.blockUntilReady();
            y.dispose();
          },
          result: () => op.jax(jax, x.ref).dataSync() as Float32Array,
          dispose: () => x.dispose(),
        };
      },
    }),
  };
}

/**
 * A flowgrad-only row over the same input: the peers have no in-place ops, and their rows
 * above already dispose every result.
 */
function flowgradRow(peers: Peers, name: string, prepare: () => { run(): void; result(): Float32Array }): BenchCase {
  return {
    name,
    size: '16M f32',
    measure: { unit: 'GB/s', perRun: SIZE * 4 * 2 },
    tolerance: 1e-5,
    subjects: subjectsFor(peers, { flowgrad: prepare }),
  };
}

/** `x.exp_()`: the same arithmetic into the tensor's own memory (each run applies it again). */
const inPlaceCase = (peers: Peers, op: UnaryOp, data: Float32Array): BenchCase =>
  flowgradRow(peers, `${op.name}_ in place`, () => {
    const x = fg.tensor(data);
    return { run: () => void op.inPlace(x), result: () => op.inPlace(fg.tensor(data)).dataSync() as Float32Array };
  });

/** `using y = fg.exp(x)`: the result released at once, as the tfjs rows do, so its buffer serves the next call. */
const disposedCase = (peers: Peers, op: UnaryOp, data: Float32Array): BenchCase =>
  flowgradRow(peers, `${op.name}, disposed`, () => {
    const x = fg.tensor(data);
    return { run: () => op.flowgrad(x).dispose(), result: () => op.flowgrad(x).dataSync() as Float32Array };
  });

/** Median milliseconds of `f` over `runs` calls. */
function medianMs(f: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

/**
 * What memory itself costs here. An op that returns a new 16M-element array must have the
 * OS map 64 MB of fresh pages (glibc serves blocks this big with mmap, and frees them with
 * munmap), and on a VM every first touch of a page is a fault; no library's kernel is faster.
 */
function memoryFloor(): string[] {
  const src = uniform(SIZE, -4, 4, 32);
  const reused = new Float32Array(SIZE);
  const fresh = medianMs(() => void new Float32Array(SIZE).set(src), 15);
  const copy = medianMs(() => reused.set(src), 15);
  const rate = (ms: number) => ((SIZE * 4 * 2) / ms / 1e6).toFixed(1);
  return [
    `memory on this machine: copying 64 MB into a fresh array takes ${fresh.toFixed(1)} ms (${rate(fresh)} GB/s as counted above: the`,
    `ceiling of any op that returns new memory, whatever its arithmetic); into an array already in use ${copy.toFixed(1)} ms (${rate(copy)} GB/s).`,
  ];
}

export const topic: Topic = {
  name: 'exp',
  title: 'exp / tanh / sigmoid over 16M float32 (GB/s read + written, higher is better)',
  cases(peers) {
    const data = uniform(SIZE, -4, 4, 31);
    return [
      ...OPS.map((op) => unaryCase(peers, op, data)),
      ...OPS.map((op) => disposedCase(peers, op, data)),
      ...OPS.map((op) => inPlaceCase(peers, op, data)),
    ];
  },
  afterword: memoryFloor,
};
