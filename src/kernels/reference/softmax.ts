/**
 * @file Reference softmax and logSoftmax along one axis. The input is made contiguous by the
 * dispatcher and viewed as [outer, n, inner]; each lane of n values subtracts its maximum
 * before exponentiating, so huge logits (1000) give finite results.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';

export interface SoftmaxAttrs {
  /** A non-negative dim (0 for a 0-d input). */
  readonly axis: number;
}

function softmaxLike(log: boolean): Kernel<SoftmaxAttrs> {
  return ([x], { axis }, [outType]) => {
    const shape = x.shape;
    const n = shape.length === 0 ? 1 : shape[axis];
    let outer = 1;
    let inner = 1;
    for (let d = 0; d < axis; d++) outer *= shape[d];
    for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
    const out = Tensor.empty(outType.shape as number[], outType.dtype, x.device);
    const src = x.storage.data;
    const dst = out.storage.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let max = -Infinity;
        for (let k = 0; k < n; k++) max = Math.max(max, src[base + k * inner]);
        // Accumulate in float64 (a JS number) whatever the dtype.
        let total = 0;
        for (let k = 0; k < n; k++) total += Math.exp(src[base + k * inner] - max);
        if (log) {
          const logTotal = Math.log(total);
          for (let k = 0; k < n; k++) dst[base + k * inner] = src[base + k * inner] - max - logTotal;
        } else {
          for (let k = 0; k < n; k++) dst[base + k * inner] = Math.exp(src[base + k * inner] - max) / total;
        }
      }
    }
    return [out];
  };
}

export const softmaxKernel = softmaxLike(false);
export const logSoftmaxKernel = softmaxLike(true);
