/** @file Dataset: indexed samples (PyTorch's map-style Dataset), and TensorDataset over stacked tensors. */
import { ShapeError, ValueError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import { indexSelect } from '../ops/movement/gather.js';
import { squeeze } from '../ops/movement/squeeze.js';
import { shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A collection of `length` samples read by index. A DataLoader calls `getBatch` when the
 * dataset has one (a fast path that gathers a whole batch at once), otherwise `get` per
 * sample and then collates.
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
  /** The collated batch of the samples at `indices` (what collate would make of them). */
  getBatch?(indices: readonly number[]): T;
}

/** Checks `index` is an integer in [0, length). */
export function checkIndex(op: string, index: unknown, length: number): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= length) {
    throw new ValueError(op, 'index', `an integer in [0, ${length})`, index);
  }
  return index;
}

/**
 * Samples are the rows (dim 0) of tensors of equal first dim: sample i is
 * [t0[i], t1[i], …] (PyTorch's TensorDataset).
 *
 *     const ds = new TensorDataset(images, labels);   // ds.get(0) = [image0, label0]
 */
export class TensorDataset<T extends Tensor[]> implements Dataset<T> {
  readonly tensors: T;
  readonly length: number;

  constructor(...tensors: T) {
    if (tensors.length === 0) throw new ValueError('TensorDataset', 'tensors', 'at least one tensor', tensors);
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ValueError('TensorDataset', `tensors[${i}]`, 'a Tensor', t);
      if (t.ndim === 0) throw new ShapeError('TensorDataset', `tensors[${i}]`, '[N, ...] (at least 1-d; samples are rows)', shapeStr(t.shape));
      if (t.shape[0] !== tensors[0].shape[0]) throw new ShapeError('TensorDataset', `tensors[${i}]`, `[${tensors[0].shape[0]}, ...] (as many rows as tensors[0])`, shapeStr(t.shape));
    });
    this.tensors = tensors;
    this.length = tensors[0].shape[0];
  }

  get(index: number): T {
    const i = checkIndex('TensorDataset.get', index, this.length);
    const at = tensor([i], { dtype: 'int32' });
    return this.tensors.map((t) => squeeze(indexSelect(t, 0, at), 0)) as T;
  }

  getBatch(indices: readonly number[]): T {
    indices.forEach((i) => checkIndex('TensorDataset.getBatch', i, this.length));
    const at = tensor(Int32Array.from(indices));
    return this.tensors.map((t) => indexSelect(t, 0, at)) as T;
  }
}
