/** @file The fast sum against the reference sum: every axis set, strided and broadcast inputs. */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { kernelOf, findKernel } from '../../src/kernels/registry.js';
import { schemaOf } from '../../src/ops/schema.js';
import { expectClose, randomTensor } from '../helpers/tensors.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

function run(backend: string, x: fg.Tensor, axes: number[], keepDim: boolean): fg.Tensor {
  const attrs = { axes, keepDim };
  return kernelOf('sum', backend)!.kernel([x], attrs, schemaOf('sum')!.infer([x], attrs as never))[0];
}

const subsets = (n: number): number[][] => Array.from({ length: 1 << n }, (_, m) => [...Array(n).keys()].filter((i) => m & (1 << i)));

describe.skipIf(REFERENCE_ONLY)('fast sum equals the reference', () => {
  const inputs: [string, () => fg.Tensor][] = [
    ['contiguous [2,3,4,5]', () => randomTensor([2, 3, 4, 5], 1)],
    ['transposed', () => randomTensor([4, 3, 5], 2).permute(2, 0, 1)],
    ['sliced', () => randomTensor([3, 8, 4], 3).slice(1, 1, 7, 2)],
    ['expanded (stride 0)', () => randomTensor([3, 1, 4], 4).expand([3, 5, 4])],
    ['float32 with a size-1 dim', () => randomTensor([2, 1, 6], 5).float()],
    ['empty', () => fg.zeros([2, 0, 3], { dtype: 'float64' })],
  ];
  it.each(inputs)('%s, every axis set, with and without keepDim', (_name, make) => {
    const x = make();
    for (const axes of subsets(x.ndim)) {
      for (const keepDim of [false, true]) {
        const fast = run('fast', x, axes, keepDim);
        const ref = run('reference', x, axes, keepDim);
        expect(fast.shape).toEqual(ref.shape);
        expectClose(fast.toArray(), ref.toArray(), x.dtype === 'float32' ? 1e-6 : 1e-12);
      }
    }
  });

  it('is chosen for floating inputs only', () => {
    const attrs = { axes: [0], keepDim: false };
    expect(findKernel('sum', 'cpu', 'float64', [randomTensor([3], 6)], attrs)?.backend).toBe('fast');
    expect(findKernel('sum', 'cpu', 'int32', [fg.tensor([1, 2], { dtype: 'int32' })], attrs)?.backend).toBe('reference');
  });
});
