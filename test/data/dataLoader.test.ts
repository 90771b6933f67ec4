import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import * as data from '../../src/data/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const makeDataset = (n = 10): data.TensorDataset<[fg.Tensor, fg.Tensor]> =>
  new data.TensorDataset(fg.arange(n * 2).reshape([n, 2]).float(), fg.arange(n));

const firstColumn = (batches: Iterable<[fg.Tensor, fg.Tensor]>): number[][] => [...batches].map(([, y]) => y.toArray() as number[]);

describe('TensorDataset', () => {
  it('serves rows of every tensor', () => {
    const ds = makeDataset();
    expect(ds.length).toBe(10);
    const [x3, y3] = ds.get(3);
    expect(x3.toArray()).toEqual([6, 7]);
    expect(y3.toArray()).toBe(3);
    expect(y3.dtype).toBe('int32');
    expectFlowgradError(() => ds.get(10), /TensorDataset.get: argument 'index' expected an integer in \[0, 10\), got 10/);
    expectFlowgradError(() => new data.TensorDataset(fg.zeros([3]), fg.zeros([4])), /expected shape \[3, \.\.\.\]/);
  });
});

describe('DataLoader', () => {
  it('batches in order, stacking along dim 0, with a smaller last batch', () => {
    const loader = new data.DataLoader(makeDataset(), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[0][0].toArray()).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
    expect(firstColumn(batches)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('dropLast drops the short final batch', () => {
    const loader = new data.DataLoader(makeDataset(), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(firstColumn(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  it('shuffles reproducibly with a seed: a permutation per epoch, new each epoch, same for the same seed', () => {
    const a = new data.DataLoader(makeDataset(), { batchSize: 3, shuffle: true, seed: 42 });
    const b = new data.DataLoader(makeDataset(), { batchSize: 3, shuffle: true, seed: 42 });
    const epoch1 = firstColumn(a).flat();
    const epoch2 = firstColumn(a).flat();
    expect([...epoch1].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch1).not.toEqual(epoch2);
    fg.manualSeed(7); // the seeded loader does not depend on the global generator
    expect(firstColumn(b).flat()).toEqual(epoch1);
    expect(firstColumn(b).flat()).toEqual(epoch2);
    const other = new data.DataLoader(makeDataset(), { batchSize: 3, shuffle: true, seed: 43 });
    expect(firstColumn(other).flat()).not.toEqual(epoch1);
  });

  it('without a seed, shuffling is reproducible after fg.manualSeed', () => {
    const loader = new data.DataLoader(makeDataset(), { batchSize: 10, shuffle: true });
    fg.manualSeed(3);
    const first = firstColumn(loader);
    fg.manualSeed(3);
    expect(firstColumn(loader)).toEqual(first);
  });

  it('collates generic datasets: tensors stack, numbers become int32 or float32 tensors, objects by key', () => {
    const ds: data.Dataset<{ image: fg.Tensor; label: number; weight: number }> = {
      length: 3,
      get: (i) => ({ image: fg.full([2], i), label: i, weight: i + 0.5 }),
    };
    const [batch] = [...new data.DataLoader(ds, { batchSize: 3 })];
    expect(batch.image.toArray()).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect((batch.label as unknown as fg.Tensor).dtype).toBe('int32');
    expect((batch.weight as unknown as fg.Tensor).toArray()).toEqual([0.5, 1.5, 2.5]);
    const custom = new data.DataLoader(ds, { batchSize: 2, collate: (s) => s[0] });
    expect([...custom].map((b) => b.label)).toEqual([0, 2]);
  });

  it('checks its options', () => {
    expectFlowgradError(() => new data.DataLoader(makeDataset(), { batchSize: 0 }), /DataLoader: argument 'batchSize' expected a positive integer, got 0/);
    expectFlowgradError(() => new data.DataLoader({} as data.Dataset<number>), /DataLoader: argument 'dataset'/);
    expectFlowgradError(() => new data.DataLoader(makeDataset(), { seed: 1.5 }), /seed/);
    expectFlowgradError(() => data.defaultCollate([fg.zeros([1]), 3]), /defaultCollate: argument 'samples\[1\]' expected a Tensor/);
  });
});
