/**
 * @file Epoch progress for the demo: a cli-progress bar with loss and throughput on a
 * terminal, one summary line per epoch elsewhere (logs, CI, tests), nothing when quiet.
 */
import cliProgress from 'cli-progress';

/** What a finished (or running) epoch reports. */
export interface EpochStatus {
  /** Mean training loss over the batches so far. */
  loss: number;
  /** Training images per second over the epoch so far (data loading included). */
  imagesPerSec: number;
}

/** One epoch's progress display: `update` after every batch, `finish` once at the end. */
export interface EpochProgress {
  update(batchesDone: number, status: EpochStatus): void;
  finish(status: EpochStatus, extra: string): void;
}

/** Makes the display for one epoch of `totalBatches` batches, labelled e.g. 'jit   epoch 2/3'. */
export type ProgressFactory = (label: string, totalBatches: number) => EpochProgress;

export interface ProgressOptions {
  /** Print nothing at all. */
  quiet?: boolean;
  /** Draw a bar (default: when stdout is a terminal). */
  bar?: boolean;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

const formatStatus = (s: EpochStatus): string => `loss ${s.loss.toFixed(4)} | ${Math.round(s.imagesPerSec)} img/s`;

/** The display the options ask for: see the file comment. */
export function progressFactory({ quiet = false, bar = process.stdout.isTTY === true, log = console.log }: ProgressOptions = {}): ProgressFactory {
  if (quiet) return () => ({ update: () => {}, finish: () => {} });
  if (!bar) return (label) => ({ update: () => {}, finish: (s, extra) => log(`${label}: ${formatStatus(s)}${extra}`) });
  return (label, totalBatches) => {
    const b = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} | loss {loss} | {speed} img/s | {duration_formatted}{extra}`, stream: process.stdout, hideCursor: true, barsize: 24 },
      cliProgress.Presets.shades_classic,
    );
    b.start(totalBatches, 0, { loss: '-', speed: '-', extra: '' });
    return {
      update: (done, s) => b.update(done, { loss: s.loss.toFixed(4), speed: Math.round(s.imagesPerSec) }),
      finish: (s, extra) => {
        b.update(totalBatches, { loss: s.loss.toFixed(4), speed: Math.round(s.imagesPerSec), extra });
        b.stop();
      },
    };
  };
}
