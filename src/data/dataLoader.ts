/** @file DataLoader: iterates a dataset in batches, optionally shuffled (PyTorch's DataLoader, in-process). */
import { ValueError } from '../errors.js';
import { nextUniform } from '../tensor/random.js';
import { defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { permutation, seededUniform } from './random.js';

export interface DataLoaderOptions<T> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Draw a new order of the samples at the start of every pass (default false). */
  shuffle?: boolean;
  /**
   * Seed of the loader's own shuffling generator: two loaders with the same seed give the
   * same sequence of epochs. Without it, shuffling draws from the global generator
   * (reproducible after fg.manualSeed).
   */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default: defaultCollate, or the dataset's getBatch). */
  collate?: (samples: T[]) => T;
}

/**
 * Batches of a dataset, each collated to the samples' structure: for a
 * `TensorDataset(x, y)` every batch is `[xBatch, yBatch]` with the batch as dim 0.
 * Each `for…of` is one pass (epoch) over the data.
 *
 *     const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true, seed: 1 });
 *     for (const [xb, yb] of loader) { … }
 */
export class DataLoader<T> implements Iterable<T> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly uniform: () => number;
  private readonly collate: ((samples: T[]) => T) | undefined;

  constructor(
    readonly dataset: Dataset<T>,
    opts: DataLoaderOptions<T> = {},
  ) {
    if (!dataset || typeof dataset.get !== 'function' || !Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new ValueError('DataLoader', 'dataset', 'a Dataset { length, get(i) }', dataset);
    }
    if (typeof opts !== 'object' || opts === null) throw new ValueError('DataLoader', 'options', 'an object { batchSize, shuffle, seed, dropLast, collate }', opts);
    const { batchSize = 1, shuffle = false, seed, dropLast = false, collate } = opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError('DataLoader', 'batchSize', 'a positive integer', batchSize);
    if (typeof shuffle !== 'boolean') throw new ValueError('DataLoader', 'shuffle', 'a boolean', shuffle);
    if (typeof dropLast !== 'boolean') throw new ValueError('DataLoader', 'dropLast', 'a boolean', dropLast);
    if (seed !== undefined && !Number.isInteger(seed)) throw new ValueError('DataLoader', 'seed', 'an integer', seed);
    if (collate !== undefined && typeof collate !== 'function') throw new ValueError('DataLoader', 'collate', 'a function from a list of samples to a batch', collate);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.uniform = seed === undefined ? nextUniform : seededUniform(seed);
    this.collate = collate;
  }

  /** The number of batches in one pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample indices of each batch of one pass (drawing a new order when shuffling). */
  batchIndices(): number[][] {
    const n = this.dataset.length;
    const order = this.shuffle ? permutation(n, this.uniform) : Array.from({ length: n }, (_, i) => i);
    const batches: number[][] = [];
    for (let start = 0; start < n; start += this.batchSize) {
      const batch = order.slice(start, start + this.batchSize);
      if (batch.length < this.batchSize && this.dropLast) break;
      batches.push(batch);
    }
    return batches;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const indices of this.batchIndices()) yield this.load(indices);
  }

  private load(indices: number[]): T {
    if (!this.collate && this.dataset.getBatch) return this.dataset.getBatch(indices);
    const samples = indices.map((i) => this.dataset.get(i));
    return this.collate ? this.collate(samples) : defaultCollate(samples);
  }
}
