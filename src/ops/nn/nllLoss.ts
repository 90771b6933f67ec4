/**
 * @file nllLoss: picks −logProbs[i, labels[i]] per sample (PyTorch's nll_loss with
 * reduction 'none' as the op; the user function reduces). crossEntropy composes it with
 * logSoftmax. Its VJP scatters the gradient through a one-hot mask built with ops, so the
 * loss stays differentiable twice with respect to the log-probabilities.
 */
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { nllLossKernel } from '../../kernels/reference/nllLoss.js';
import { registerKernel } from '../../kernels/registry.js';
import { arange } from '../../tensor/create.js';
import { isFloating } from '../../tensor/dtype.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { mul } from '../elementwise/binary.js';
import { cast } from '../elementwise/cast.js';
import { eq } from '../elementwise/compare.js';
import { neg } from '../elementwise/unary.js';
import { reshape } from '../movement/reshape.js';
import { mean, sum } from '../reduce/sum.js';

declare module '../schema.js' {
  interface OpAttrMap {
    nllLoss: Record<string, never>;
  }
}

/** 1 at [i, labels[i]], 0 elsewhere, in `like`'s dtype and shape [N, C]. */
function oneHot(labels: Tensor, like: Tensor): Tensor {
  const classes = arange(0, like.shape[1], 1, { dtype: 'int32', device: like.device });
  return cast(eq(reshape(labels, [-1, 1]), reshape(classes, [1, -1])), like.dtype);
}

defineOp({
  name: 'nllLoss',
  inputs: ['logProbs', 'labels'],
  infer: ([logProbs, labels]) => {
    if (logProbs.shape.length !== 2) throw new ShapeError('nllLoss', 'logProbs', '[N, C] (2-d)', shapeStr(logProbs.shape));
    if (!isFloating(logProbs.dtype)) throw new DTypeError('nllLoss', 'logProbs', 'float32 or float64', logProbs.dtype);
    if (labels.dtype !== 'int32') throw new DTypeError('nllLoss', 'labels', 'int32', labels.dtype);
    const [n] = logProbs.shape;
    if (labels.shape.length !== 1 || (typeof n === 'number' && typeof labels.shape[0] === 'number' && labels.shape[0] !== n)) {
      throw new ShapeError('nllLoss', 'labels', `[${n}] (one label per row of logProbs)`, shapeStr(labels.shape));
    }
    return [{ shape: [n], dtype: logProbs.dtype }];
  },
  vjp: ({ inputs: [logProbs, labels] }, [g]) => [mul(oneHot(labels, logProbs), neg(reshape(g, [-1, 1]))), null],
  // The op is linear in logProbs, so the tangent goes through the op itself.
  jvp: ({ inputs: [, labels] }, [t]) => [apply1('nllLoss', [t, labels], {})],
  fusion: 'opaque',
  flags: {},
});
registerKernel('nllLoss', { backend: 'reference', kernel: nllLossKernel, contiguousInputs: true });

export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Negative log-likelihood of `labels` (int32 [N], each in [0, C)) under `logProbs` ([N, C],
 * e.g. from logSoftmax): the mean over samples by default, as PyTorch's `nll_loss`.
 */
export function nllLoss(logProbs: Tensor, labels: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkTensor('nllLoss', 'logProbs', logProbs);
  checkTensor('nllLoss', 'labels', labels);
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ValueError('nllLoss', 'reduction', "'mean', 'sum' or 'none'", reduction);
  }
  const perSample = apply1('nllLoss', [logProbs, labels], {});
  if (reduction === 'none') return perSample;
  return reduction === 'sum' ? sum(perSample) : mean(perSample);
}
