/**
 * @file dropout: zeroes each element with probability p and scales survivors by 1/(1 − p).
 * The mask comes from 'dropoutMask', a random op (fresh draws on every run of a traced
 * graph, reproducible after manualSeed); the product with x carries the gradient.
 */
import { DTypeError, ValueError } from '../../errors.js';
import { type DropoutMaskAttrs, dropoutMaskKernel } from '../../kernels/reference/random.js';
import { registerKernel } from '../../kernels/registry.js';
import { isFloating } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { mul } from '../elementwise/binary.js';
import { cast } from '../elementwise/cast.js';

declare module '../schema.js' {
  interface OpAttrMap {
    dropoutMask: DropoutMaskAttrs;
  }
}

const isProbability = (p: unknown): p is number => typeof p === 'number' && p >= 0 && p <= 1;

defineOp({
  name: 'dropoutMask',
  // x only gives the mask its shape and device (symbolic dims included); its values are not read.
  inputs: ['x'],
  infer: ([x], { p }) => {
    if (!isProbability(p)) throw new ValueError('dropoutMask', 'p', 'a probability in [0, 1]', p);
    return [{ shape: x.shape, dtype: 'bool' }];
  },
  // A bool output: no gradient flows through it, so it has no VJP or JVP.
  fusion: 'opaque',
  flags: { random: true },
});
registerKernel('dropoutMask', { backend: 'reference', kernel: dropoutMaskKernel });

/**
 * During training, each element of `x` is zeroed with probability `p` and the rest are
 * scaled by 1/(1 − p), so the expected value is unchanged; otherwise `x` itself.
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkTensor('dropout', 'self', x);
  if (!isProbability(p)) throw new ValueError('dropout', 'p', 'a probability in [0, 1]', p);
  if (typeof training !== 'boolean') throw new ValueError('dropout', 'training', 'a boolean', training);
  if (!isFloating(x.dtype)) throw new DTypeError('dropout', 'self', 'float32 or float64', x.dtype);
  if (!training || p === 0) return x;
  // p = 1 drops everything: x·0 as PyTorch does (1/(1 − p) would be infinite).
  if (p === 1) return mul(x, 0);
  const keep = apply1('dropoutMask', [x], { p });
  return mul(x, mul(cast(keep, x.dtype), 1 / (1 - p)));
}
