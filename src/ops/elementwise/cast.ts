/** @file cast: converts a tensor to another dtype (the gradient converts back). */
import { copyAs } from '../../kernels/reference/copy.js';
import { registerKernel } from '../../kernels/registry.js';
import { type DType, checkDType, isFloating } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    cast: { dtype: DType };
  }
}

export const castOp = defineOp({
  name: 'cast',
  inputs: ['x'],
  infer: ([x], { dtype }) => [{ shape: x.shape, dtype: checkDType('cast', 'dtype', dtype) }],
  vjp: ({ inputs: [x] }, [g]) => [isFloating(x.dtype) ? cast(g, x.dtype) : null],
  jvp: ({ outputs: [y] }, [t]) => [cast(t, y.dtype)],
  fusion: 'injective',
  flags: {},
});

registerKernel('cast', { backend: 'reference', kernel: ([x], { dtype }) => [copyAs(x, dtype)] });

/** `x` converted to `dtype` (`x` itself if it already has it). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('cast', 'self', x);
  checkDType('cast', 'dtype', dtype);
  return x.dtype === dtype ? x : apply1('cast', [x], { dtype });
}
