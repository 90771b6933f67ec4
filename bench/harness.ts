/**
 * @file Benchmark harness: warm-up, timed runs, medians, and the table with speed-ups.
 *
 * Knows nothing of flowgrad or the peers: a case lists subjects (one per library), each of
 * which prepares its inputs untimed and hands back a `run` to time. Kept free of heavy
 * imports so that test/bench/harness.test.ts can check the arithmetic and formatting.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

/** What a case's number means. Throughputs are higher-better, times lower-better. */
export type Unit = 'GFLOP/s' | 'GB/s' | 'ms' | 'µs/op';

/** How a run's duration becomes the number shown. */
export interface Measure {
  unit: Unit;
  /** Work done by one run: FLOPs (GFLOP/s), bytes (GB/s) or ops (µs/op); unused for ms. */
  perRun?: number;
}

/** A subject ready to time: inputs exist, `run` does one timed repetition. */
export interface Prepared {
  /** One repetition, synchronised: when it returns (or resolves) the result is computed. */
  run(): void | Promise<void>;
  /** The result as float32 data, read once after timing to check the libraries agree. */
  result?(): Float32Array | Promise<Float32Array>;
  /** Releases inputs (tfjs and jax-js need it; flowgrad leaves it to the GC). */
  dispose?(): void;
}

/** One library's way of running a case. */
export interface Subject {
  /** Column name: 'flowgrad', 'tfjs-cpu', 'tfjs-wasm', 'jax-js'. */
  library: string;
  prepare(): Prepared | Promise<Prepared>;
}

/** One row of the table. */
export interface BenchCase {
  name: string;
  size: string;
  measure: Measure;
  subjects: Subject[];
  /** Relative tolerance when comparing results to the first library's (default 1e-3). */
  tolerance?: number;
}

/** A library's outcome on a case: a median time, or why there is none. */
export type Timing =
  | { ok: true; medianMs: number; runs: number; mismatch?: string }
  | { ok: false; reason: string };

/** A finished row: the case and each library's timing, by column name. */
export interface Row {
  name: string;
  size: string;
  measure: Measure;
  timings: Map<string, Timing>;
}

/** Warm-up and run counts. The run count adapts to the subject's speed within bounds. */
export interface RunPlan {
  /** Warm-up runs: at least this many, and for at least warmupMs (JS engines optimise hot code late). */
  warmup: number;
  warmupMs: number;
  minRuns: number;
  maxRuns: number;
  /** Time to spend on timed runs per subject, when minRuns does not already exceed it. */
  budgetMs: number;
}

export const FULL_PLAN: RunPlan = { warmup: 3, warmupMs: 1500, minRuns: 5, maxRuns: 200, budgetMs: 3000 };
export const QUICK_PLAN: RunPlan = { warmup: 1, warmupMs: 0, minRuns: 2, maxRuns: 3, budgetMs: 200 };

/** BENCH_QUICK=1 selects the smoke-test plan. */
export function planFromEnv(env: Record<string, string | undefined> = process.env): RunPlan {
  return env.BENCH_QUICK && env.BENCH_QUICK !== '0' ? QUICK_PLAN : FULL_PLAN;
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How many timed runs fit the budget, given one warm run's duration. */
export function plannedRuns(plan: RunPlan, warmRunMs: number): number {
  const fit = warmRunMs > 0 ? Math.floor(plan.budgetMs / warmRunMs) : plan.maxRuns;
  return Math.min(plan.maxRuns, Math.max(plan.minRuns, fit));
}

/** The number shown for a median run time, in the case's unit. */
export function valueOf(measure: Measure, medianMs: number): number {
  const seconds = medianMs / 1e3;
  switch (measure.unit) {
    case 'GFLOP/s':
      return (measure.perRun ?? 0) / seconds / 1e9;
    case 'GB/s':
      return (measure.perRun ?? 0) / seconds / 1e9;
    case 'ms':
      return medianMs;
    case 'µs/op':
      return (medianMs * 1e3) / (measure.perRun ?? 1);
  }
}

/** Three significant digits, without exponent notation for the ranges benchmarks show. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/**
 * flowgrad's speed-up over a peer: the peer's median time divided by flowgrad's.
 * Above 1 flowgrad is faster; below 1 the peer is. Shown as e.g. `×3.1` or `×0.25`.
 */
export function speedup(flowgradMs: number, peerMs: number): number {
  return peerMs / flowgradMs;
}

export function formatSpeedup(ratio: number): string {
  return `×${formatNumber(ratio)}`;
}

/** Drops stack traces and flowgrad's error class names to keep the reason short. */
export function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n')[0].trim();
  return firstLine.length > 90 ? `${firstLine.slice(0, 87)}...` : firstLine;
}

let collect: (() => void) | null | undefined;

/** Runs a full garbage collection when the engine allows it, so one library's garbage is not timed with the next. */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

/** Largest difference relative to the reference's largest magnitude, or a description of a shape mismatch. */
export function compareResults(reference: Float32Array, other: Float32Array, tolerance: number): string | undefined {
  if (reference.length !== other.length) return `result has ${other.length} elements, expected ${reference.length}`;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    const expected = reference[i];
    const got = other[i];
    if (Number.isFinite(expected)) scale = Math.max(scale, Math.abs(expected));
    if (expected === got || (Number.isNaN(expected) && Number.isNaN(got))) continue;
    const d = Math.abs(expected - got);
    if (!Number.isFinite(d)) return `result differs (element ${i} is ${got}, expected ${expected})`;
    worst = Math.max(worst, d);
  }
  const relative = worst / Math.max(scale, 1e-30);
  return relative <= tolerance ? undefined : `result differs (max error ${relative.toPrecision(2)} of max |value|)`;
}

/** Prepares, warms up and times one subject; never throws (a failure becomes a reason). */
export async function timeSubject(subject: Subject, plan: RunPlan): Promise<{ timing: Timing; result?: Float32Array }> {
  collectGarbage();
  let prepared: Prepared | undefined;
  try {
    prepared = await subject.prepare();
    let lastMs = 0;
    const warmupStart = performance.now();
    for (let i = 0; i < Math.max(1, plan.warmup) || (performance.now() - warmupStart < plan.warmupMs && i < 1000); i++) {
      const t0 = performance.now();
      await prepared.run();
      lastMs = performance.now() - t0;
    }
    const runs = plannedRuns(plan, lastMs);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await prepared.run();
      times.push(performance.now() - t0);
    }
    const result = prepared.result ? await prepared.result() : undefined;
    return { timing: { ok: true, medianMs: median(times), runs }, result };
  } catch (error) {
    return { timing: { ok: false, reason: shortReason(error) } };
  } finally {
    try {
      prepared?.dispose?.();
    } catch (error) {
      console.error(`  ${subject.library}: dispose failed: ${shortReason(error)}`);
    }
  }
}

/** Times every subject of a case in turn and checks their results against the first one that has a result. */
export async function runCase(c: BenchCase, plan: RunPlan): Promise<Row> {
  const timings = new Map<string, Timing>();
  let reference: { library: string; data: Float32Array } | undefined;
  for (const subject of c.subjects) {
    const { timing, result } = await timeSubject(subject, plan);
    if (timing.ok && result) {
      if (!reference) reference = { library: subject.library, data: result };
      else {
        const problem = compareResults(reference.data, result, c.tolerance ?? 1e-3);
        if (problem) timing.mismatch = `${problem} vs ${reference.library}`;
      }
    }
    timings.set(subject.library, timing);
  }
  return { name: c.name, size: c.size, measure: c.measure, timings };
}

const BASELINE = 'flowgrad';

/** Table cells for one row: value per library, then flowgrad's speed-up over each peer. */
function rowCells(row: Row, libraries: readonly string[], footnotes: string[]): string[] {
  const note = (text: string): string => {
    let i = footnotes.indexOf(text);
    if (i < 0) i = footnotes.push(text) - 1;
    return `[${i + 1}]`;
  };
  const cells = [row.name, row.size, row.measure.unit];
  for (const lib of libraries) {
    const t = row.timings.get(lib);
    if (!t) cells.push('—');
    else if (!t.ok) cells.push(`n/a ${note(`${lib}: ${t.reason}`)}`);
    else {
      const flag = t.mismatch ? ` ${note(`${lib}: ${t.mismatch}`)}` : '';
      cells.push(formatNumber(valueOf(row.measure, t.medianMs)) + flag);
    }
  }
  const base = row.timings.get(BASELINE);
  for (const lib of libraries) {
    if (lib === BASELINE) continue;
    const t = row.timings.get(lib);
    cells.push(base?.ok && t?.ok ? formatSpeedup(speedup(base.medianMs, t.medianMs)) : '—');
  }
  return cells;
}

function headers(libraries: readonly string[]): string[] {
  const peers = libraries.filter((l) => l !== BASELINE);
  return ['case', 'size', 'unit', ...libraries, ...peers.map((p) => `vs ${p}`)];
}

/** Says how to read the ratio columns; printed under every table. */
export const RATIO_LEGEND =
  "'vs X' = flowgrad's speed-up over X = X's median time / flowgrad's median time (×2 = flowgrad twice as fast, ×0.5 = half as fast)";

/** A plain-text table with aligned columns, then footnotes for n/a cells and mismatches. */
export function formatTable(rows: readonly Row[], libraries: readonly string[]): string {
  const footnotes: string[] = [];
  const body = rows.map((r) => rowCells(r, libraries, footnotes));
  const all = [headers(libraries), ...body];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = footnotes.map((f, i) => `[${i + 1}] ${f}`);
  return [line(all[0]), rule, ...body.map(line), '', RATIO_LEGEND, ...notes].join('\n');
}

/** The same table in Markdown, for docs/performance.md. */
export function formatMarkdown(rows: readonly Row[], libraries: readonly string[]): string {
  const footnotes: string[] = [];
  const body = rows.map((r) => rowCells(r, libraries, footnotes));
  const head = headers(libraries);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = `|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`;
  const notes = footnotes.map((f, i) => `[${i + 1}] ${f}  `);
  return [line(head), align, ...body.map(line), '', ...notes].join('\n');
}
