/** @file The MNIST demo on a tiny budget: eager and jit training agree step by step, loss falls, runDemo's summary. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { LeNet5, createLeNet5 } from '../../src/demo/lenet.js';
import { progressFactory } from '../../src/demo/progress.js';
import { lenetGraphs } from '../../src/demo/report.js';
import { runDemo } from '../../src/demo/run.js';
import { compareLosses, median } from '../../src/demo/stats.js';
import { type TrainOptions, type TrainResult, trainEager, trainJit } from '../../src/demo/train.js';

const { train, test } = fg.data.loadMnist({ trainCount: 256, testCount: 200 });
const quiet = progressFactory({ quiet: true });

describe('LeNet-5', () => {
  it('maps [N, 1, 28, 28] images to [N, 10] logits with 61,706 parameters', () => {
    const model = new LeNet5();
    expect(model.parameters().reduce((n, p) => n + p.size, 0)).toBe(61706);
    expect(fg.noGrad(() => model.call(fg.zeros([3, 1, 28, 28]))).shape).toEqual([3, 10]);
  });

  it('starts from the same weights for the same seed', () => {
    const a = createLeNet5(7).stateDict();
    const b = createLeNet5(7).stateDict();
    for (const name of Object.keys(a)) expect(b[name].dataSync()).toEqual(a[name].dataSync());
  });
});

describe('eager and jit training', () => {
  const opts: TrainOptions = { train, test, epochs: 2, batchSize: 32, lr: 3e-3, seed: 0, progress: quiet };
  let eager: TrainResult;
  let jit: TrainResult;
  beforeAll(() => {
    eager = trainEager(opts);
    jit = trainJit(opts);
  });

  it('give the same loss at every step', () => {
    expect(jit.losses).toHaveLength(16);
    expect(eager.losses).toHaveLength(16);
    const { maxRelDiff } = compareLosses(eager.losses, jit.losses, 16);
    expect(maxRelDiff).toBeLessThan(1e-4);
  });

  it('end with the same weights in the module', () => {
    const a = eager.model.stateDict();
    const b = jit.model.stateDict();
    for (const name of Object.keys(a)) {
      const diff = fg.max(fg.abs(fg.sub(a[name], b[name]))).item() as number;
      expect(diff, name).toBeLessThan(1e-4);
    }
  });

  it('lowers the loss', () => {
    const [first, second] = eager.epochs;
    expect(second.loss).toBeLessThan(first.loss);
    expect(eager.losses.at(-1)!).toBeLessThan(eager.losses[0]);
    expect(eager.losses[0]).toBeGreaterThan(2); // ≈ ln 10 from the random start
  });

  it('trace the jitted step once although the learning rate changes every step', () => {
    expect(jit.traceCount).toBe(1);
    expect(eager.traceCount).toBeNull();
  });
});

describe('runDemo', () => {
  it('returns a well-formed summary and prints one line per epoch without a terminal', async () => {
    const lines: string[] = [];
    const s = await runDemo({ epochs: 1, batchSize: 32, trainCount: 128, testCount: 100, report: null, progressBar: false, log: (l) => lines.push(l) });
    expect(s).toMatchObject({ mode: 'both', epochs: 1, batchSize: 32, trainCount: 128, testCount: 100, lossesAgree: true, ok: true, stepsCompared: 4, reportPath: null });
    expect(s.maxLossDiffAllSteps).toBe(s.maxLossDiff);
    expect(s.accuracy).toBeGreaterThanOrEqual(0);
    expect(s.accuracy).toBeLessThanOrEqual(1);
    expect(s.maxLossDiff).toBeLessThan(1e-4);
    for (const m of [s.eager!, s.jit!]) {
      expect(m.stepMs).toBeGreaterThan(0);
      expect(m.imagesPerSec).toBeGreaterThan(0);
      expect(Number.isFinite(m.finalLoss)).toBe(true);
    }
    expect(s.eagerStepMs).toBe(s.eager!.stepMs);
    expect(s.jitStepMs).toBe(s.jit!.stepMs);
    expect(lines.filter((l) => /^eager epoch 1\/1: loss \d/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^jit {3}epoch 1\/1: loss \d/.test(l))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('eager and jit losses agree'))).toBe(true);
  });

  it('runs one mode alone and prints nothing when quiet', async () => {
    const lines: string[] = [];
    const s = await runDemo({ mode: 'jit', epochs: 1, trainCount: 64, testCount: 50, report: null, quiet: true, log: (l) => lines.push(l) });
    expect(s).toMatchObject({ mode: 'jit', eager: null, eagerStepMs: null, maxLossDiff: null, lossesAgree: null, ok: true });
    expect(s.jit!.traceCount).toBe(1);
    expect(s.jitStepMs).toBeGreaterThan(0);
    expect(lines).toEqual([]);
  });

  it('writes the HTML report with both graphs and the curves (or says why not)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgrad-demo-'));
    const path = join(dir, 'report.html');
    const lines: string[] = [];
    try {
      const s = await runDemo({ epochs: 1, trainCount: 64, testCount: 50, report: path, progressBar: false, log: (l) => lines.push(l) });
      if (!existsSync(new URL('../../src/report/index.ts', import.meta.url))) {
        expect(s.reportPath).toBeNull();
        expect(lines.some((l) => l.startsWith('report: skipped'))).toBe(true);
        return;
      }
      expect(s.reportPath).toBe(path);
      const html = readFileSync(path, 'utf8');
      for (const text of ['LeNet-5 loss (forward graph)', 'LeNet-5 loss and gradient (graph autodiff)', 'conv2dBackwardWeight', 'training loss', 'test accuracy', 'eager vs jit loss']) {
        expect(html).toContain(text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options naming the option', async () => {
    await expect(runDemo({ epochs: 0 })).rejects.toThrow(/runDemo.*epochs.*positive integer/);
    await expect(runDemo({ mode: 'fast' as never })).rejects.toThrow(/runDemo.*mode/);
  });
});

describe('report graphs', () => {
  it('trace the loss over a symbolic batch and differentiate it as a graph', () => {
    const { forward, gradient } = lenetGraphs(new LeNet5());
    expect(forward.graph.nodes.filter((n) => n.op === 'conv2d')).toHaveLength(2);
    expect(forward.graph.toString()).toContain('f32[batch,1,28,28]');
    expect(forward.graph.outputs).toHaveLength(1);
    expect(gradient.graph.outputs).toHaveLength(1 + 10); // the loss, then one gradient per weight
    expect(gradient.graph.nodes.some((n) => n.op === 'conv2dBackwardWeight')).toBe(true);
    // Names line up with the inputs: the weight pytree flattens in sorted key order.
    expect(forward.inputNames).toHaveLength(forward.graph.inputs.length);
    expect(forward.inputNames.slice(0, 2)).toEqual(['conv1.bias', 'conv1.weight']);
    expect(forward.graph.inputs[1].type.shape).toEqual([6, 1, 5, 5]);
    expect(gradient.outputNames).toHaveLength(gradient.graph.outputs.length);
    expect(gradient.graph.outputs[2].type.shape).toEqual([6, 1, 5, 5]); // grad conv1.weight
  });
});

describe('stats', () => {
  it('median and loss comparison', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(compareLosses([1, 2, 4], [1, 2.002, 5], 2)).toMatchObject({ steps: 3, checkedSteps: 2, maxRelDiffChecked: expect.closeTo(1e-3, 6), maxRelDiff: 0.25 });
    expect(compareLosses([1], [NaN], 10).maxRelDiff).toBe(Infinity);
  });
});
