/** @file The benchmark harness's arithmetic and table formatting; nothing here is timed. */
import { describe, expect, it } from 'vitest';
import {
  type Row,
  type Timing,
  FULL_PLAN,
  QUICK_PLAN,
  compareResults,
  formatMarkdown,
  formatNumber,
  formatSpeedup,
  formatTable,
  median,
  planFromEnv,
  plannedRuns,
  shortReason,
  speedup,
  valueOf,
} from '../../bench/harness.js';

const LIBS = ['flowgrad', 'tfjs-wasm', 'jax-js'];

function row(name: string, timings: Record<string, Timing>, unit: Row['measure']['unit'] = 'ms', perRun?: number): Row {
  return { name, size: '8×8', measure: { unit, perRun }, timings: new Map(Object.entries(timings)) };
}
const ok = (medianMs: number): Timing => ({ ok: true, medianMs, runs: 5 });

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });
  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('leaves its input unsorted', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('run planning', () => {
  it('fits the budget within the min and max run counts', () => {
    const plan = { warmup: 1, warmupMs: 0, minRuns: 3, maxRuns: 10, budgetMs: 100 };
    expect(plannedRuns(plan, 20)).toBe(5);
    expect(plannedRuns(plan, 1000)).toBe(3);
    expect(plannedRuns(plan, 0.01)).toBe(10);
  });
  it('uses the quick plan when BENCH_QUICK is set', () => {
    expect(planFromEnv({ BENCH_QUICK: '1' })).toBe(QUICK_PLAN);
    expect(planFromEnv({ BENCH_QUICK: '0' })).toBe(FULL_PLAN);
    expect(planFromEnv({})).toBe(FULL_PLAN);
  });
});

describe('units and ratios', () => {
  it('turns a median time into the unit shown', () => {
    expect(valueOf({ unit: 'GFLOP/s', perRun: 2e9 }, 1000)).toBeCloseTo(2);
    expect(valueOf({ unit: 'GB/s', perRun: 8e6 }, 2)).toBeCloseTo(4);
    expect(valueOf({ unit: 'ms' }, 12.5)).toBe(12.5);
    expect(valueOf({ unit: 'µs/op', perRun: 1000 }, 2)).toBeCloseTo(2);
  });
  it('gives flowgrad speed-up as peer time over flowgrad time', () => {
    expect(speedup(10, 30)).toBe(3);
    expect(formatSpeedup(speedup(10, 30))).toBe('×3.00');
    expect(formatSpeedup(speedup(40, 10))).toBe('×0.25');
  });
  it('formats to about three significant digits', () => {
    expect(formatNumber(1234.5)).toBe('1235');
    expect(formatNumber(31.26)).toBe('31.3');
    expect(formatNumber(5.234)).toBe('5.23');
    expect(formatNumber(0.0123)).toBe('0.012');
  });
  it('keeps only the first line of a failure, shortened', () => {
    expect(shortReason(new Error('matmul: not implemented yet\n    at foo'))).toBe('matmul: not implemented yet');
    expect(shortReason('x'.repeat(200))).toHaveLength(90);
  });
});

describe('compareResults', () => {
  it('accepts differences within the relative tolerance and names larger ones', () => {
    const ref = new Float32Array([1, -2, 4]);
    expect(compareResults(ref, new Float32Array([1, -2, 4.0001]), 1e-4)).toBeUndefined();
    expect(compareResults(ref, new Float32Array([1, -2, 5]), 1e-4)).toMatch(/differs/);
    expect(compareResults(ref, new Float32Array([1, NaN, 4]), 1e-4)).toMatch(/differs/);
    expect(compareResults(ref, new Float32Array([1]), 1e-4)).toMatch(/1 elements, expected 3/);
  });
});

describe('formatTable', () => {
  const rows = [
    row('matmul', { flowgrad: ok(10), 'tfjs-wasm': ok(30), 'jax-js': ok(5) }, 'GFLOP/s', 2e9),
    row('conv2d', { flowgrad: { ok: false, reason: 'conv2d: not implemented yet' }, 'tfjs-wasm': ok(4) }),
  ];
  const text = formatTable(rows, LIBS);
  const lines = text.split('\n');

  it('prints a header, a rule and one aligned line per row', () => {
    expect(lines[0].split(/\s{2,}/)).toEqual(['case', 'size', 'unit', ...LIBS, 'vs tfjs-wasm', 'vs jax-js']);
    expect(lines[1]).toMatch(/^-+( {2}-+)+$/);
    expect(lines[2].split(/\s{2,}/)).toEqual(['matmul', '8×8', 'GFLOP/s', '200', '66.7', '400', '×3.00', '×0.50']);
    expect(new Set(lines.slice(0, 4).map((l) => l.length)).size).toBeLessThanOrEqual(2);
  });
  it('marks n/a with a footnote giving the reason, and a missing library with a dash', () => {
    expect(lines[3].split(/\s{2,}/)).toEqual(['conv2d', '8×8', 'ms', 'n/a [1]', '4.00', '—', '—', '—']);
    expect(text).toContain('[1] flowgrad: conv2d: not implemented yet');
  });
  it('explains the ratio columns', () => {
    expect(text).toMatch(/'vs X' = flowgrad's speed-up over X/);
  });
  it('flags a result that disagrees', () => {
    const bad = row('exp', { flowgrad: ok(1), 'jax-js': { ok: true, medianMs: 2, runs: 3, mismatch: 'result differs' } });
    expect(formatTable([bad], LIBS)).toMatch(/2\.00 \[1\][\s\S]*\[1\] jax-js: result differs/);
  });
});

describe('formatMarkdown', () => {
  it('prints a Markdown table with right-aligned number columns', () => {
    const md = formatMarkdown([row('add', { flowgrad: ok(1), 'tfjs-wasm': ok(3) }, 'µs/op', 1000)], LIBS);
    const lines = md.split('\n');
    expect(lines[0]).toBe('| case | size | unit | flowgrad | tfjs-wasm | jax-js | vs tfjs-wasm | vs jax-js |');
    expect(lines[1]).toBe('|---|---|---|---:|---:|---:|---:|---:|');
    expect(lines[2]).toBe('| add | 8×8 | µs/op | 1.00 | 3.00 | — | ×3.00 | — |');
  });
});
