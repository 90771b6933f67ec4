/** @file What a dataflow run reports: the sequential executor's stats, plus dead skips, iterations and frames. */
import { BYTES_PER_ELEMENT } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ExecutionStats, emptyStats } from '../sequential.js';

export interface DataflowStats extends ExecutionStats {
  /** Node executions skipped because an input was dead (the primitives not counted). */
  deadSkipped: number;
  /** The highest iteration any loop frame reached (a loop whose body ran k times reaches k). */
  maxIteration: number;
  /** Loop frame instances run (a loop inside a loop body: one per outer iteration). */
  frames: number;
  /** Times a primitive (Switch, Merge, Enter, Exit, NextIteration) fired. */
  primitiveFirings: number;
}

export const emptyDataflowStats = (): DataflowStats => ({ ...emptyStats(), deadSkipped: 0, maxIteration: 0, frames: 0, primitiveFirings: 0 });

export const bytesOf = (t: Tensor): number => t.size * BYTES_PER_ELEMENT[t.dtype];

/** Counts one kernel launch of `op` that took `ms` and made `outputs`. */
export function recordLaunch(s: ExecutionStats, op: string, device: string, ms: number, outputs: readonly Tensor[]): void {
  s.launches++;
  s.busyMs[device] = (s.busyMs[device] ?? 0) + ms;
  const perOp = s.perOp.get(op) ?? { count: 0, ms: 0 };
  perOp.count++;
  perOp.ms += ms;
  s.perOp.set(op, perOp);
  for (const t of outputs) s.naivePeakBytes += bytesOf(t);
}

/** Adds what a node run by a sequential executor did; `liveBytes` were alive around it. */
export function addInnerStats(s: ExecutionStats, inner: ExecutionStats, liveBytes: number): void {
  s.launches += inner.launches;
  s.transfers += inner.transfers;
  for (const [device, ms] of Object.entries(inner.busyMs)) s.busyMs[device] = (s.busyMs[device] ?? 0) + ms;
  for (const [op, { count, ms }] of inner.perOp) {
    const perOp = s.perOp.get(op) ?? { count: 0, ms: 0 };
    perOp.count += count;
    perOp.ms += ms;
    s.perOp.set(op, perOp);
  }
  s.naivePeakBytes += inner.naivePeakBytes;
  s.peakBytes = Math.max(s.peakBytes, liveBytes + inner.peakBytes);
}
