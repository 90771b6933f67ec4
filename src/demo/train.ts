/**
 * @file Training LeNet-5 two ways from the same start: eagerly (forward, backward on the
 * tape, Adam.step) and as one jitted step (forward, graph autodiff and the Adam update
 * traced into a single graph). Same seed, same initial weights, same batch order, so the
 * two runs' per-step losses can be compared.
 */
import * as fg from '../index.js';
import { type LeNet5, createLeNet5 } from './lenet.js';
import type { ProgressFactory } from './progress.js';
import { jitTrainStep, initialJitState, type JitState } from './jitStep.js';

export interface TrainOptions {
  train: fg.data.MnistSplit;
  test: fg.data.MnistSplit;
  epochs: number;
  batchSize: number;
  /** Adam's peak learning rate; it follows a cosine decay to 0 over all steps (see cosineLr). */
  lr: number;
  /** Seeds the initial weights and the batch order; both modes use it the same way. */
  seed: number;
  progress: ProgressFactory;
}

/** One epoch's numbers. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** Test accuracy after the epoch, in [0, 1]. */
  accuracy: number;
  seconds: number;
  imagesPerSec: number;
}

export interface TrainResult {
  mode: 'eager' | 'jit';
  /** The trained model. */
  model: LeNet5;
  /** The loss of every step, before that step's update. */
  losses: number[];
  /** The wall time of every step in ms (for jit, the first includes tracing). */
  stepMs: number[];
  epochs: EpochRecord[];
  /** Test accuracy at the end, in [0, 1]. */
  accuracy: number;
  /** How often the jitted step was traced (null in eager mode): once per batch shape. */
  traceCount: number | null;
}

/** Trains on one batch at learning rate `lr` and returns its loss; `sync` makes the model hold the latest weights. */
interface Stepper {
  readonly mode: 'eager' | 'jit';
  readonly model: LeNet5;
  step(x: fg.Tensor, y: fg.Tensor, lr: number): number;
  sync(): void;
  traceCount(): number | null;
}

/** Adam as PyTorch defaults it, apart from the learning rate. */
export const adamHyper = (lr: number): fg.optim.AdamHyper => ({ lr, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, decoupledWeightDecay: false, maximize: false });

/**
 * The learning rate of step `step` (from 0) of `total`: half a cosine from `peak` down to 0
 * (Loshchilov & Hutter's SGDR without restarts), per step rather than per epoch, so a short
 * run still ends on small steps. Rounded to float32, so the JS number eager Adam gets and
 * the float32 tensor the jitted step gets hold the same value.
 */
export const cosineLr = (peak: number, step: number, total: number): number => Math.fround((peak * (1 + Math.cos((Math.PI * step) / Math.max(1, total)))) / 2);

/** The classic loop: forward, crossEntropy, backward on the tape, optimizer.step, zeroGrad. */
export function trainEager(opts: TrainOptions): TrainResult {
  const model = createLeNet5(opts.seed);
  const optimizer = new fg.optim.Adam(model.parameters(), adamHyper(opts.lr));
  return trainLoop(opts, {
    mode: 'eager',
    model,
    step(x, y, lr) {
      optimizer.paramGroups[0].lr = lr;
      const loss = fg.crossEntropy(model.call(x), y);
      loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      return loss.item() as number;
    },
    sync() {},
    traceCount: () => null,
  });
}

/**
 * One jitted function per step (see jitStep.ts). The weights and Adam's moments live in a
 * pytree that each call takes and returns, rather than in the module: the step stays a
 * pure function of its inputs (nothing captured, no in-place writes inside the graph), and
 * the module is only written when someone reads it (evaluation, the end of training).
 */
export function trainJit(opts: TrainOptions): TrainResult {
  const model = createLeNet5(opts.seed);
  const step = jitTrainStep(model, adamHyper(opts.lr));
  let state: JitState = initialJitState(model);
  return trainLoop(opts, {
    mode: 'jit',
    model,
    step(x, y, lr) {
      // lr goes in as a 0-d tensor: the schedule changes it every step without a retrace.
      const out = step(state, x, y, fg.tensor(lr));
      state = out.state;
      return out.loss.item() as number;
    },
    sync() {
      model.loadStateDict(state.params);
    },
    traceCount: () => step.traceCount,
  });
}

/** Runs the epochs: batches in a seeded order, per-step timing, progress, test accuracy per epoch. */
function trainLoop(opts: TrainOptions, stepper: Stepper): TrainResult {
  const loader = new fg.data.DataLoader(new fg.data.TensorDataset(opts.train.x, opts.train.y), { batchSize: opts.batchSize, shuffle: true, seed: opts.seed });
  const losses: number[] = [];
  const stepMs: number[] = [];
  const epochs: EpochRecord[] = [];
  const label = stepper.mode.padEnd(5);
  const totalSteps = loader.length * opts.epochs;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const bar = opts.progress(`${label} epoch ${epoch}/${opts.epochs}`, loader.length);
    const start = performance.now();
    let images = 0;
    let lossSum = 0;
    let batches = 0;
    stepper.model.train();
    for (const [x, y] of loader) {
      const t0 = performance.now();
      const loss = stepper.step(x, y, cosineLr(opts.lr, losses.length, totalSteps));
      stepMs.push(performance.now() - t0);
      losses.push(loss);
      lossSum += loss;
      images += x.shape[0];
      batches++;
      bar.update(batches, { loss: lossSum / batches, imagesPerSec: (images * 1000) / (performance.now() - start) });
    }
    const seconds = (performance.now() - start) / 1000;
    stepper.sync();
    const accuracy = evaluate(stepper.model, opts.test);
    const record = { epoch, loss: lossSum / batches, accuracy, seconds, imagesPerSec: images / seconds };
    epochs.push(record);
    bar.finish({ loss: record.loss, imagesPerSec: record.imagesPerSec }, ` | test accuracy ${(100 * accuracy).toFixed(2)}%`);
  }
  stepper.sync();
  const accuracy = epochs.at(-1)?.accuracy ?? evaluate(stepper.model, opts.test);
  return { mode: stepper.mode, model: stepper.model, losses, stepMs, epochs, accuracy, traceCount: stepper.traceCount() };
}

/** The fraction of `split`'s digits the model classifies correctly (eval mode, no tape). */
export function evaluate(model: LeNet5, split: fg.data.MnistSplit, batchSize = 500): number {
  const n = split.x.shape[0];
  if (n === 0) return 0;
  let correct = 0;
  model.eval();
  fg.noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const predicted = fg.argmax(model.call(split.x.slice(0, start, end)), 1);
      correct += fg.sum(fg.cast(fg.eq(predicted, split.y.slice(0, start, end)), 'int32')).item() as number;
    }
  });
  model.train();
  return correct / n;
}
