/**
 * @file The demo's HTML report: LeNet-5's traced loss graph and its gradient graph, the
 * loss and accuracy curves and the summary, handed to src/report's writeReport. The report
 * module is imported only when a report is asked for, and its absence is not an error.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as fg from '../index.js';
import type { LeNet5 } from './lenet.js';
import type { TrainResult } from './train.js';
import { fusionGroups } from '../passes/fusionGroups.js';

/** A curve as writeReport takes it; curves with the same yLabel share a chart. */
export interface ReportCurve {
  name: string;
  points: { x: number; y: number }[];
  yLabel: string;
  xLabel: string;
}

/** A graph to draw, with names for its input and output boxes. */
export interface ReportGraph {
  name: string;
  graph: fg.Graph;
  inputNames: string[];
  outputNames: string[];
  /** Nodes a fusing compiler would run as one kernel, outlined in the picture. */
  groups: fg.Node[][];
}

/** What writeReport takes (src/report/index.ts owns the real type; this is the part the demo fills in). */
export interface ReportContent {
  title: string;
  graphs: ReportGraph[];
  curves: ReportCurve[];
  summary: Record<string, string | number>;
}

type WriteReport = (path: string, content: ReportContent) => Promise<unknown>;

// Resolved next to this file in src/ (under tsx, where the .ts twin is what exists) and in dist/.
const REPORT_MODULE_URL = new URL('../report/index.js', import.meta.url);

/** src/report's writeReport, or null when the report module is not part of this build. */
async function loadWriteReport(): Promise<WriteReport | null> {
  const path = fileURLToPath(REPORT_MODULE_URL);
  if (!existsSync(path) && !existsSync(path.replace(/\.js$/, '.ts'))) return null;
  // Any failure while loading a module that is there is a real error, and propagates.
  const mod = (await import(REPORT_MODULE_URL.href)) as { writeReport?: unknown };
  return typeof mod.writeReport === 'function' ? (mod.writeReport as WriteReport) : null;
}

/**
 * The loss of one batch as a graph over symbolic inputs: the weights (a pytree by name),
 * images [batch, 1, 28, 28] and labels int32 [batch]; and the graph of its gradient with
 * respect to the weights (graph-level autodiff). Each comes with names for its inputs and
 * outputs.
 */
export function lenetGraphs(model: LeNet5): { forward: ReportGraph; gradient: ReportGraph } {
  // The pytree flattens with its keys sorted, so the graph's first inputs are the weights in this order.
  const weightNames = [...model.namedParameters()].map(([n]) => n).sort();
  const weightSpecs = Object.fromEntries([...model.namedParameters()].map(([n, p]) => [n, fg.spec([...p.shape])]));
  const forward = fg.trace(
    function lenetLoss(weights: Record<string, fg.Tensor>, images: fg.Tensor, labels: fg.Tensor) {
      return fg.crossEntropy(fg.nn.functionalCall(model, weights, images), labels);
    },
    [weightSpecs, fg.spec(['batch', 1, 28, 28]), fg.spec(['batch'], 'int32')],
  );
  const gradient = fg.gradGraph(forward, { wrt: weightNames.map((_, i) => i) });
  const inputNames = [...weightNames, 'images', 'labels'];
  return {
    forward: { name: 'LeNet-5 loss (forward graph)', graph: forward, inputNames, outputNames: ['loss'], groups: fusionGroups(forward) },
    gradient: {
      name: 'LeNet-5 loss and gradient (graph autodiff)',
      graph: gradient,
      inputNames,
      outputNames: ['loss', ...weightNames.map((n) => `grad ${n}`)],
      groups: fusionGroups(gradient),
    },
  };
}

/** Mean of every `window` consecutive values, at x = the window's last step in epochs. */
function smoothedLoss(losses: readonly number[], stepsPerEpoch: number, window: number): { x: number; y: number }[] {
  const points: { x: number; y: number }[] = [];
  for (let end = window; end <= losses.length; end += window) {
    const mean = losses.slice(end - window, end).reduce((a, b) => a + b, 0) / window;
    points.push({ x: end / stepsPerEpoch, y: mean });
  }
  return points;
}

/** Loss (per 10 steps) and test accuracy (per epoch) curves of each run, x in epochs. */
export function trainingCurves(runs: readonly TrainResult[], stepsPerEpoch: number): ReportCurve[] {
  const window = Math.max(1, Math.min(10, Math.floor(stepsPerEpoch / 4)));
  return runs.flatMap((r) => [
    { name: r.mode, points: smoothedLoss(r.losses, stepsPerEpoch, window), yLabel: 'training loss (cross-entropy)', xLabel: 'epoch' },
    { name: r.mode, points: r.epochs.map((e) => ({ x: e.epoch, y: 100 * e.accuracy })), yLabel: 'test accuracy (%)', xLabel: 'epoch' },
  ]);
}

/**
 * Writes the report to `path` if src/report is present; returns whether it did. `log`
 * gets one line either way.
 */
export async function writeDemoReport(path: string, content: Omit<ReportContent, 'graphs'> & { model: LeNet5 }, log: (line: string) => void): Promise<boolean> {
  const writeReport = await loadWriteReport();
  if (!writeReport) {
    log(`report: skipped (the report module src/report is not available in this build), no ${path} written`);
    return false;
  }
  const { forward, gradient } = lenetGraphs(content.model);
  await writeReport(path, {
    title: content.title,
    graphs: [forward, gradient],
    curves: content.curves,
    summary: content.summary,
  });
  log(`report: wrote ${path}`);
  return true;
}
