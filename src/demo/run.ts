/**
 * @file runDemo: the project's main job (`npm run demo`, `flowgrad demo`). Trains LeNet-5 on
 * the MNIST digits eagerly and/or as one jitted step, checks that both modes give the same
 * losses, prints accuracy and speed, and writes the HTML report.
 */
import { resolve } from 'node:path';
import * as fg from '../index.js';
import { progressFactory } from './progress.js';
import { trainingCurves, writeDemoReport } from './report.js';
import { type TrainOptions, type TrainResult, trainEager, trainJit } from './train.js';
import { type LossComparison, compareLosses, median } from './stats.js';

export type DemoMode = 'eager' | 'jit' | 'both';

export interface DemoOptions {
  /** Passes over the training digits (default 5: 98.2–98.5 % test accuracy with the other defaults, seeds 0–3). */
  epochs?: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** 'eager', 'jit' or 'both' (default): both trains twice from the same start and compares the losses. */
  mode?: DemoMode;
  /**
   * Where to write the HTML report; absent or null writes none. (The front doors, `npm run
   * demo` and `flowgrad demo`, pass 'flowgrad-report.html' unless told --no-report.)
   */
  report?: string | null;
  /** Training digits (default 8000). */
  trainCount?: number;
  /** Held-out test digits (default 2000). */
  testCount?: number;
  /** Adam's peak learning rate, decayed by a cosine to 0 (default 3e-3). */
  lr?: number;
  /** Seed of the initial weights and the batch order (default 0). The train/test split is fixed. */
  seed?: number;
  /** Print nothing. */
  quiet?: boolean;
  /** Draw progress bars (default: when stdout is a terminal; otherwise one line per epoch). */
  progressBar?: boolean;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

/** What one mode measured. */
export interface ModeSummary {
  /** Test accuracy at the end, in [0, 1]. */
  accuracy: number;
  /** Median wall time of a training step in ms. */
  stepMs: number;
  /** Training images per second at the median step time. */
  imagesPerSec: number;
  /** The first step's time in ms (for jit: tracing, graph autodiff and compiling included). */
  firstStepMs: number;
  /** Mean training loss of the last epoch. */
  finalLoss: number;
  /** Traces of the jitted step (null for eager): one per batch shape, however the learning rate moves. */
  traceCount: number | null;
}

export interface DemoSummary {
  mode: DemoMode;
  epochs: number;
  batchSize: number;
  trainCount: number;
  testCount: number;
  lr: number;
  seed: number;
  /** Final test accuracy in [0, 1] (of the jit run when both ran; `eager.accuracy` holds the other). */
  accuracy: number;
  /** Median step times in ms; null for a mode that did not run. */
  eagerStepMs: number | null;
  jitStepMs: number | null;
  eager: ModeSummary | null;
  jit: ModeSummary | null;
  /**
   * Largest relative difference |eager − jit| / |eager| of the per-step losses over the
   * first `stepsCompared` steps, the agreement check (null unless both ran).
   */
  maxLossDiff: number | null;
  /** Steps the check covers (every step of the run). */
  stepsCompared: number;
  /** The same difference over every step of the run. */
  maxLossDiffAllSteps: number | null;
  /** Whether maxLossDiff is within `lossTolerance` (null unless both ran). */
  lossesAgree: boolean | null;
  lossTolerance: number;
  /** False when the run found a fault (the losses disagree); the CLI then exits with status 1. */
  ok: boolean;
  /** Wall time of the whole demo in seconds, report included. */
  wallSeconds: number;
  /** The report written, or null. */
  reportPath: string | null;
}

/**
 * Both modes run the same kernels on the same batches and round Adam's bias corrections the
 * same way, so their losses agree to the last bit over whole runs. The tolerance leaves room
 * for a kernel whose summation order differs between the two; Adam amplifies any such
 * difference (about tenfold every few steps), so a real fault shows at once.
 */
const LOSS_CHECK_STEPS = Infinity;
const LOSS_TOLERANCE = 1e-4;

const DEFAULTS = { epochs: 5, batchSize: 32, mode: 'both' as DemoMode, report: null as string | null, trainCount: 8000, testCount: 2000, lr: 3e-3, seed: 0 };
type Settings = typeof DEFAULTS;

/** The options with defaults filled in, each checked. */
function settingsOf(opts: DemoOptions): Settings {
  if (typeof opts !== 'object' || opts === null) throw new fg.ValueError('runDemo', 'options', 'an object { epochs, batchSize, mode, report, … }', opts);
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Settings;
  const positiveInt = (name: 'epochs' | 'batchSize' | 'trainCount' | 'testCount') => {
    if (!Number.isInteger(o[name]) || o[name] < 1) throw new fg.ValueError('runDemo', name, 'a positive integer', o[name]);
  };
  (['epochs', 'batchSize', 'trainCount', 'testCount'] as const).forEach(positiveInt);
  if (!['eager', 'jit', 'both'].includes(o.mode)) throw new fg.ValueError('runDemo', 'mode', "'eager', 'jit' or 'both'", o.mode);
  if (typeof o.lr !== 'number' || !(o.lr > 0) || !Number.isFinite(o.lr)) throw new fg.ValueError('runDemo', 'lr', 'a positive learning rate', o.lr);
  if (!Number.isInteger(o.seed)) throw new fg.ValueError('runDemo', 'seed', 'an integer', o.seed);
  if (o.report !== null && (typeof o.report !== 'string' || o.report === '')) throw new fg.ValueError('runDemo', 'report', 'a file path, or null for no report', o.report);
  return o;
}

function summarise(run: TrainResult | undefined, batchSize: number): ModeSummary | null {
  if (!run) return null;
  // The first step is left out of the median: for jit it traces and compiles.
  const stepMs = median(run.stepMs.length > 1 ? run.stepMs.slice(1) : run.stepMs);
  return { accuracy: run.accuracy, stepMs, imagesPerSec: (batchSize * 1000) / stepMs, firstStepMs: run.stepMs[0], finalLoss: run.epochs.at(-1)!.loss, traceCount: run.traceCount };
}

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
const modeLine = (name: string, m: ModeSummary): string =>
  `${name} ${m.stepMs.toFixed(1)} ms/step (${Math.round(m.imagesPerSec)} img/s), first step ${m.firstStepMs.toFixed(0)} ms`;

/** The printed verdict on the eager-vs-jit losses. */
function comparisonLine(c: LossComparison, agree: boolean): string {
  const verdict = agree ? 'agree' : `DISAGREE (tolerance ${LOSS_TOLERANCE})`;
  const rest = c.steps > c.checkedSteps ? `; over all ${c.steps} steps ${c.maxRelDiff.toExponential(2)}` : '';
  const why = c.maxRelDiff > LOSS_TOLERANCE ? ' (float32 rounding differences, grown chaotically by Adam)' : '';
  return `eager and jit losses ${verdict}: max relative difference ${c.maxRelDiffChecked.toExponential(2)} over the first ${c.checkedSteps} steps${rest}${why}`;
}

/** The report's summary table. */
function reportSummary(o: Settings, accuracy: number, eager: ModeSummary | null, jit: ModeSummary | null, c: LossComparison | null, agree: boolean | null): Record<string, string> {
  const rows: Record<string, string> = { 'test accuracy': pct(accuracy) };
  for (const [name, m] of [['eager', eager], ['jit', jit]] as const) {
    if (m) Object.assign(rows, { [`${name} step (median)`]: `${m.stepMs.toFixed(1)} ms`, [`${name} throughput`]: `${Math.round(m.imagesPerSec)} img/s` });
  }
  if (c) {
    rows[`eager vs jit loss, first ${c.checkedSteps} steps`] = `max relative difference ${c.maxRelDiffChecked.toExponential(2)} (${agree ? 'agree' : 'DISAGREE'})`;
    rows[`eager vs jit loss, all ${c.steps} steps`] = `max relative difference ${c.maxRelDiff.toExponential(2)}`;
  }
  rows.setup = `${o.trainCount} train / ${o.testCount} test digits, ${o.epochs} epoch(s), batch ${o.batchSize}, Adam lr ${o.lr} (cosine decay), seed ${o.seed}`;
  return rows;
}

/**
 * Trains LeNet-5 on the MNIST digits and returns what it measured; see DemoOptions for the
 * defaults (`npm run demo` calls it with none).
 *
 *     const s = await runDemo({ epochs: 1, trainCount: 256, report: null, quiet: true });
 *     s.maxLossDiff  // ~1e-7: eager and jit agree
 */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const o = settingsOf(opts);
  const log = opts.quiet ? () => {} : (opts.log ?? console.log);
  const { train, test } = fg.data.loadMnist({ trainCount: o.trainCount, testCount: o.testCount });
  log(`LeNet-5 on ${o.trainCount} MNIST digits (${o.testCount} held out): ${o.epochs} epoch(s), batch ${o.batchSize}, Adam lr ${o.lr} (cosine decay), mode ${o.mode}`);
  const trainOpts: TrainOptions = { train, test, epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, seed: o.seed, progress: progressFactory({ quiet: opts.quiet, bar: opts.progressBar, log }) };
  const eagerRun = o.mode === 'jit' ? undefined : trainEager(trainOpts);
  const jitRun = o.mode === 'eager' ? undefined : trainJit(trainOpts);
  const eager = summarise(eagerRun, o.batchSize);
  const jit = summarise(jitRun, o.batchSize);
  const comparison = eagerRun && jitRun ? compareLosses(eagerRun.losses, jitRun.losses, LOSS_CHECK_STEPS) : null;
  const lossesAgree = comparison ? comparison.maxRelDiffChecked <= LOSS_TOLERANCE : null;
  const last = (jitRun ?? eagerRun)!;

  log(`test accuracy: ${pct(last.accuracy)}${eager && jit ? ` (eager ${pct(eager.accuracy)}, jit ${pct(jit.accuracy)})` : ''} on ${o.testCount} held-out digits`);
  log(`step time (median, batch ${o.batchSize}): ${[eager && modeLine('eager', eager), jit && modeLine('jit', jit)].filter(Boolean).join('; ')}`);
  if (comparison) log(comparisonLine(comparison, lossesAgree!));

  let reportPath: string | null = null;
  if (o.report !== null) {
    const path = resolve(o.report);
    const runs = [eagerRun, jitRun].filter((r): r is TrainResult => r !== undefined);
    const curves = trainingCurves(runs, Math.ceil(o.trainCount / o.batchSize));
    const summary = reportSummary(o, last.accuracy, eager, jit, comparison, lossesAgree);
    if (await writeDemoReport(path, { title: 'flowgrad: LeNet-5 on MNIST', model: last.model, curves, summary }, log)) reportPath = path;
  }

  const wallSeconds = (performance.now() - started) / 1000;
  log(`total wall time ${wallSeconds.toFixed(1)} s`);
  return {
    mode: o.mode,
    epochs: o.epochs,
    batchSize: o.batchSize,
    trainCount: o.trainCount,
    testCount: o.testCount,
    lr: o.lr,
    seed: o.seed,
    accuracy: last.accuracy,
    eagerStepMs: eager?.stepMs ?? null,
    jitStepMs: jit?.stepMs ?? null,
    eager,
    jit,
    maxLossDiff: comparison?.maxRelDiffChecked ?? null,
    stepsCompared: comparison?.checkedSteps ?? 0,
    maxLossDiffAllSteps: comparison?.maxRelDiff ?? null,
    lossesAgree,
    lossTolerance: LOSS_TOLERANCE,
    ok: lossesAgree !== false,
    wallSeconds,
    reportPath,
  };
}
