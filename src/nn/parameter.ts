/**
 * @file Parameter: a Tensor that a Module owns as a learnable weight (PyTorch's nn.Parameter).
 * Being its own class is what marks it: Module finds parameters by scanning its fields for
 * Parameter instances, so a plain tensor kept on a module (a constant, a cache) is not one.
 */
import { DTypeError, ValueError } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A leaf tensor that shares `data`'s storage and requires grad (unless `requiresGrad` is
 * false, for a frozen weight). Assigning one to a Module field registers it.
 *
 *     this.weight = new Parameter(fg.zeros([out, in]));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new ValueError('Parameter', 'data', 'a Tensor', data);
    if (data.trace) throw new ValueError('Parameter', 'data', 'a concrete tensor (not a traced value)', data);
    if (!isFloating(data.dtype)) throw new DTypeError('Parameter', 'data', 'float32 or float64 (parameters are trained by gradients)', data.dtype);
    super(data.storage, data.shape, data.strides, data.offset, data.dtype, data.device);
    this.requiresGrad = requiresGrad;
  }
}
