/** @file clone / contiguous: a fresh contiguous copy (identity gradient). */
import { copyAs } from '../../kernels/reference/copy.js';
import { registerKernel } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    clone: Record<string, never>;
  }
}

defineOp({
  name: 'clone',
  inputs: ['x'],
  infer: ([x]) => [{ shape: x.shape, dtype: x.dtype }],
  vjp: (_ctx, [g]) => [g],
  jvp: (_ctx, [t]) => [t],
  fusion: 'injective',
  flags: {},
});
registerKernel('clone', { backend: 'reference', kernel: ([x]) => [copyAs(x, x.dtype)] });

/** A copy of `x` in fresh contiguous storage. */
export function clone(x: Tensor): Tensor {
  checkTensor('clone', 'self', x);
  return apply1('clone', [x], {});
}

/** `x` itself if contiguous, else a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  checkTensor('contiguous', 'self', x);
  return x.trace || x.isContiguous() ? x : clone(x);
}
