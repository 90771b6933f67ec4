/**
 * @file crossEntropy(logits [N, C], labels int32 [N]): the mean of −log softmax(logits)[i, labels[i]],
 * composed from logSoftmax and nllLoss, so its gradient (and the gradient of that) follows.
 */
import { DTypeError, ShapeError } from '../../errors.js';
import { checkLabels } from '../../kernels/reference/nllLoss.js';
import { isFloating } from '../../tensor/dtype.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { nllLoss } from './nllLoss.js';
import { logSoftmax } from './softmax.js';

/**
 * The mean cross-entropy loss of class scores `logits` ([N, C], floating) against `labels`
 * (int32 [N], each in [0, C)); a 0-d tensor.
 *
 *     crossEntropy(tensor([[1, 2, 3]]), tensor([2], { dtype: 'int32' }))  // log(e¹+e²+e³) − 3 ≈ 0.4076
 */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  checkTensor('crossEntropy', 'logits', logits);
  checkTensor('crossEntropy', 'labels', labels);
  if (logits.ndim !== 2) throw new ShapeError('crossEntropy', 'logits', '[N, C] (2-d)', shapeStr(logits.shape));
  if (!isFloating(logits.dtype)) throw new DTypeError('crossEntropy', 'logits', 'float32 or float64', logits.dtype);
  if (labels.dtype !== 'int32') throw new DTypeError('crossEntropy', 'labels', 'int32', labels.dtype);
  if (labels.ndim !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ShapeError('crossEntropy', 'labels', `[${logits.shape[0]}] (one label per row of logits)`, shapeStr(labels.shape));
  }
  // Checked here as well as in the kernel so that the error names the function the user called.
  if (!labels.trace) checkLabels('crossEntropy', labels, logits.shape[1]);
  return nllLoss(logSoftmax(logits, 1), labels);
}
