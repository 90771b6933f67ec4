/**
 * @file One SGD training step of an MLP 784-256-256-10 (ReLU) on a batch of 128: forward,
 * softmax cross-entropy (mean over the batch), backward, parameter update (ms per step).
 *
 * Every library starts from the same weights and batch, so the losses of the first two
 * steps must agree; they are the result compared. Each step ends by reading the loss as a number.
 * Rows: eager (flowgrad, tfjs, jax-js) and compiled (flowgrad `fg.jit`, jax-js `jit`).
 */
import type { Array as JaxArray } from '@jax-js/jax';
import type { Scalar as TfScalar, Tensor as TfTensor } from '@tensorflow/tfjs';
import * as fg from '../src/index.js';
import type { BenchCase, Prepared } from './harness.js';
import { labels, oneHot, uniform } from './inputs.js';
import { type Jax, type Peers, type Tf, type Topic, subjectsFor } from './peers.js';

const BATCH = 128;
const LAYERS = [784, 256, 256, 10];
const CLASSES = LAYERS[LAYERS.length - 1];
const LR = 0.1;

/** Weights and biases in order w1, b1, w2, b2, w3, b3, with PyTorch's default uniform init range. */
interface Problem {
  params: { data: Float32Array; shape: number[] }[];
  x: Float32Array;
  classOf: Int32Array;
  targets: Float32Array;
}

function makeProblem(): Problem {
  const params: Problem['params'] = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    const [fanIn, fanOut] = [LAYERS[l], LAYERS[l + 1]];
    const bound = 1 / Math.sqrt(fanIn);
    params.push({ data: uniform(fanIn * fanOut, -bound, bound, 100 + 2 * l), shape: [fanIn, fanOut] });
    params.push({ data: uniform(fanOut, -bound, bound, 101 + 2 * l), shape: [fanOut] });
  }
  const classOf = labels(BATCH, CLASSES, 42);
  return { params, x: uniform(BATCH * LAYERS[0], 0, 1, 41), classOf, targets: oneHot(classOf, CLASSES) };
}

/** Remembers the first two losses: the second shows the update was the same SGD step everywhere. */
function lossRecorder() {
  const first: number[] = [];
  return {
    record(loss: number) {
      if (first.length < 2) first.push(loss);
    },
    result: () => new Float32Array(first),
  };
}

// ---- flowgrad ----

function fgLogits(params: readonly fg.Tensor[], x: fg.Tensor): fg.Tensor {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = fg.add(fg.matmul(h, params[i]), params[i + 1]);
    if (i + 2 < params.length) h = fg.relu(h);
  }
  return h;
}

function fgInputs(p: Problem) {
  return {
    params: p.params.map(({ data, shape }) => fg.tensor(data).reshape(shape)),
    x: fg.tensor(p.x).reshape([BATCH, LAYERS[0]]),
    y: fg.tensor(p.classOf),
  };
}

function fgEager(p: Problem): Prepared {
  const { params, x, y } = fgInputs(p);
  for (const q of params) q.requiresGrad = true;
  const losses = lossRecorder();
  return {
    run() {
      const loss = fg.crossEntropy(fgLogits(params, x), y);
      loss.backward();
      fg.noGrad(() => {
        for (const q of params) {
          q.sub_(q.grad!.mul(LR));
          q.grad = null;
        }
      });
      losses.record(loss.item());
    },
    result: losses.result,
  };
}

/** The part of API.md's functional API the jit step needs; present once issue 3 lands. */
interface CompiledApi {
  jit<F extends (...args: fg.Tensor[]) => fg.Tensor[]>(f: F): F;
  valueAndGrad(f: (...args: fg.Tensor[]) => fg.Tensor, opts: { argnums: number[] }): (...args: fg.Tensor[]) => [fg.Tensor, fg.Tensor[]];
}

/**
 * JIT HOOK: the compiled training step, written against API.md (`fg.jit`, `fg.valueAndGrad`).
 * It reports n/a until both are exported from src/index.ts; then it runs as is.
 */
function fgJit(p: Problem): Prepared {
  const api = fg as unknown as Partial<CompiledApi>;
  if (typeof api.jit !== 'function' || typeof api.valueAndGrad !== 'function') {
    throw new Error('fg.jit / fg.valueAndGrad not exported yet');
  }
  const { jit, valueAndGrad } = api as CompiledApi;
  const count = p.params.length;
  const lossOf = (...args: fg.Tensor[]) => fg.crossEntropy(fgLogits(args.slice(0, count), args[count]), args[count + 1]);
  const lossAndGrads = valueAndGrad(lossOf, { argnums: [...Array(count).keys()] });
  const step = jit((...args: fg.Tensor[]) => {
    const [loss, grads] = lossAndGrads(...args);
    return [loss, ...args.slice(0, count).map((q, i) => fg.sub(q, fg.mul(grads[i], LR)))];
  });
  let { params } = fgInputs(p);
  const { x, y } = fgInputs(p);
  const losses = lossRecorder();
  return {
    run() {
      const [loss, ...next] = step(...params, x, y);
      params = next;
      losses.record(loss.item());
    },
    result: losses.result,
  };
}

// ---- TensorFlow.js: the idiomatic optimizer.minimize ----

function tfEager(tf: Tf, p: Problem): Prepared {
  // tidy releases the initial values; the variables themselves outlive it.
  const vars = tf.tidy(() => p.params.map(({ data, shape }) => tf.variable(tf.tensor(data, shape))));
  const x = tf.tensor2d(p.x, [BATCH, LAYERS[0]]);
  const targets = tf.tensor2d(p.targets, [BATCH, CLASSES]);
  const optimizer = tf.train.sgd(LR);
  const lossOf = (): TfScalar => {
    let h: TfTensor = x;
    for (let i = 0; i < vars.length; i += 2) {
      h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
      if (i + 2 < vars.length) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(targets, h) as TfScalar;
  };
  const losses = lossRecorder();
  return {
    run() {
      const loss = optimizer.minimize(lossOf, true, vars)!;
      losses.record(loss.dataSync()[0]);
      loss.dispose();
    },
    result: losses.result,
    dispose() {
      optimizer.dispose();
      tf.dispose([...vars, x, targets]);
    },
  };
}

// ---- jax-js: valueAndGrad over the parameter list; ops consume inputs, hence `.ref` ----

function jaxLoss({ numpy: np, nn }: Jax) {
  return (params: JaxArray[], x: JaxArray, targets: JaxArray): JaxArray => {
    let h = x;
    for (let i = 0; i < params.length; i += 2) {
      h = np.matmul(h, params[i]).add(params[i + 1]);
      if (i + 2 < params.length) h = nn.relu(h);
    }
    return nn.logSoftmax(h, -1).mul(targets).sum(-1).mean().neg();
  };
}

function jaxStep(jax: Jax, p: Problem, compiled: boolean): Prepared {
  const { numpy: np } = jax;
  const lossAndGrads = jax.valueAndGrad(jaxLoss(jax));
  const update = (params: JaxArray[], x: JaxArray, targets: JaxArray): [JaxArray, JaxArray[]] => {
    const [loss, grads] = lossAndGrads(params.map((q) => q.ref), x, targets);
    return [loss, params.map((q, i) => q.sub(grads[i].mul(LR)))];
  };
  const step = compiled ? jax.jit(update) : update;
  let params = p.params.map(({ data, shape }) => np.array(data).reshape(shape));
  const x = np.array(p.x).reshape([BATCH, LAYERS[0]]);
  const targets = np.array(p.targets).reshape([BATCH, CLASSES]);
  const losses = lossRecorder();
  return {
    async run() {
      const [loss, next] = step(params, x.ref, targets.ref);
      params = next;
      losses.record(loss.dataSync()[0]); // dataSync also releases the loss
      await jax.blockUntilReady(params);
    },
    result: losses.result,
    dispose() {
      for (const a of [...params, x, targets]) a.dispose();
      if (compiled) (step as typeof step & { dispose(): void }).dispose();
    },
  };
}

function mlpCases(peers: Peers): BenchCase[] {
  const problem = makeProblem();
  const common = { size: `${LAYERS.join('-')}, batch ${BATCH}`, measure: { unit: 'ms' as const }, tolerance: 1e-5 };
  return [
    {
      name: 'mlp step eager',
      ...common,
      subjects: subjectsFor(peers, {
        flowgrad: () => fgEager(problem),
        tfjs: (tf) => tfEager(tf, problem),
        jax: (jax) => jaxStep(jax, problem, false),
      }),
    },
    {
      name: 'mlp step jit',
      ...common,
      subjects: subjectsFor(peers, {
        flowgrad: () => fgJit(problem),
        jax: (jax) => jaxStep(jax, problem, true),
      }),
    },
  ];
}

export const topic: Topic = {
  name: 'mlpStep',
  title: 'MLP training step, SGD (ms per step, lower is better)',
  cases: mlpCases,
};
