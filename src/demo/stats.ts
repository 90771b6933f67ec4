/** @file Small statistics for the demo: medians of step times and the eager-vs-jit loss comparison. */

/** The median of `values` (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How far two runs' per-step losses are apart. */
export interface LossComparison {
  /** Steps compared in all: the shorter run's length. */
  steps: number;
  /** max over all steps of |a − b| / |a|. */
  maxRelDiff: number;
  /** The first steps, those the agreement check looks at. */
  checkedSteps: number;
  /** max of |a − b| / |a| over the checked steps. */
  maxRelDiffChecked: number;
}

/** The relative difference of b from the reference a; NaN in either gives Infinity, so it fails any check. */
function relDiff(a: number, b: number): number {
  const abs = Math.abs(a - b);
  return Number.isNaN(abs) ? Infinity : abs / Math.max(Math.abs(a), 1e-12);
}

/** Compares per-step losses `a` (the reference, e.g. eager) and `b` step by step. */
export function compareLosses(a: readonly number[], b: readonly number[], checkSteps: number): LossComparison {
  const steps = Math.min(a.length, b.length);
  const checkedSteps = Math.min(steps, checkSteps);
  let maxRelDiff = 0;
  let maxRelDiffChecked = 0;
  for (let i = 0; i < steps; i++) {
    maxRelDiff = Math.max(maxRelDiff, relDiff(a[i], b[i]));
    if (i < checkedSteps) maxRelDiffChecked = maxRelDiff;
  }
  return { steps, maxRelDiff, checkedSteps, maxRelDiffChecked };
}
