/** @file The fast max-pooling kernels against the reference kernels, ties and NaN included. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { kernelOf } from '../../src/kernels/registry.js';
import { schemaOf } from '../../src/ops/schema.js';
import { randomTensor } from '../helpers/tensors.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

type PoolOp = 'maxPool2d' | 'maxPool2dPick' | 'maxPool2dBackward';

function run(op: PoolOp, backend: string, inputs: fg.Tensor[], attrs: object): fg.Tensor {
  const outTypes = schemaOf(op)!.infer(inputs, attrs as never);
  return kernelOf(op, backend)!.kernel(inputs, attrs, outTypes)[0];
}

const cases = [
  { shape: [2, 3, 8, 8], kernel: [2, 2], stride: [2, 2] },
  { shape: [1, 2, 7, 9], kernel: [3, 2], stride: [2, 3] },
  { shape: [3, 1, 5, 5], kernel: [2, 2], stride: [1, 1] },
  { shape: [1, 1, 1, 1], kernel: [1, 1], stride: [1, 1] },
  { shape: [2, 2, 6, 4], kernel: [6, 4], stride: [1, 1] },
  // 2×2 at stride 2 runs in wasm for float32: four outputs per SIMD step plus a scalar tail.
  { shape: [2, 3, 7, 13], kernel: [2, 2], stride: [2, 2] },
  { shape: [1, 2, 28, 28], kernel: [2, 2], stride: [2, 2] },
  { shape: [1, 1, 2, 2], kernel: [2, 2], stride: [2, 2] },
  { shape: [1, 1, 3, 3], kernel: [2, 2], stride: [2, 2] },
];

describe.skipIf(REFERENCE_ONLY)('fast max pooling equals the reference', () => {
  it.each(cases.flatMap((c) => (['float32', 'float64'] as const).map((dtype) => ({ ...c, dtype }))))('$shape kernel $kernel stride $stride $dtype', (c) => {
    const attrs = { kernel: c.kernel, stride: c.stride, padding: [0, 0] };
    // Rounded values make ties common; a few NaNs check that the first one wins.
    const x = randomTensor(c.shape, 7, -2, 2).mul(2).sign().add(randomTensor(c.shape, 8, 0, 1).gt(0.9).float().mul(3)).to(c.dtype);
    const data = x.dataSync();
    if (data.length > 6) data[5] = NaN;
    const xn = fg.tensor(data, { dtype: c.dtype }).reshape(c.shape);
    const y = run('maxPool2d', 'reference', [xn], attrs);
    const g = randomTensor([...y.shape], 9).to(c.dtype);
    const t = randomTensor(c.shape, 10).to(c.dtype);
    expect(run('maxPool2d', 'fast', [xn], attrs).toArray()).toEqual(y.toArray());
    expect(run('maxPool2dPick', 'fast', [xn, t], attrs).toArray()).toEqual(run('maxPool2dPick', 'reference', [xn, t], attrs).toArray());
    expect(run('maxPool2dBackward', 'fast', [xn, g], attrs).toArray()).toEqual(run('maxPool2dBackward', 'reference', [xn, g], attrs).toArray());
  });

  it('2×2 windows at stride 2 pick the first maximum and the first NaN in every lane position', () => {
    const attrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
    const shape = [1, 1, 4, 18];
    for (let trial = 0; trial < 40; trial++) {
      const data = randomTensor(shape, 100 + trial, -1, 1, 'float32').dataSync() as Float32Array;
      // Some windows get equal maxima, some a NaN or two, at positions that vary by trial.
      for (let k = 0; k < 6; k++) data[(trial * 7 + k * 13) % data.length] = k % 3 === 0 ? NaN : 5;
      const x = fg.tensor(data).reshape(shape);
      const g = randomTensor([1, 1, 2, 9], 200 + trial, -1, 1, 'float32');
      expect(run('maxPool2d', 'fast', [x], attrs).toArray()).toEqual(run('maxPool2d', 'reference', [x], attrs).toArray());
      expect(run('maxPool2dBackward', 'fast', [x, g], attrs).toArray()).toEqual(run('maxPool2dBackward', 'reference', [x, g], attrs).toArray());
    }
  });

  it('leaves padded pooling to the reference kernels', () => {
    const x = randomTensor([1, 1, 4, 4], 11);
    const entry = kernelOf('maxPool2d', 'fast')!;
    expect(entry.accepts!([x], { kernel: [2, 2], stride: [2, 2], padding: [1, 1] })).toBe(false);
    expect(fg.maxPool2d(x, 2, { padding: 1 }).toArray()).toEqual(run('maxPool2d', 'reference', [x], { kernel: [2, 2], stride: [2, 2], padding: [1, 1] }).toArray());
  });
});
