/**
 * @file numel: the number of elements of x over some axes, as a 0-d tensor.
 *
 * It reads only x's shape, so a graph with a symbolic batch dim can divide by the batch size
 * (mean) and constant folding can replace it once shapes are known. Not differentiable: its
 * value does not depend on x's values.
 */
import { AxisError } from '../../errors.js';
import { registerKernel } from '../../kernels/registry.js';
import { type DType, checkDType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    numel: { axes: readonly number[]; dtype: DType };
  }
}

defineOp({
  name: 'numel',
  inputs: ['x'],
  infer: ([x], { axes, dtype }) => {
    for (const a of axes) if (!Number.isInteger(a) || a < 0 || a >= x.shape.length) throw new AxisError('numel', 'axes', a, x.shape.length);
    return [{ shape: [], dtype: checkDType('numel', 'dtype', dtype) }];
  },
  fusion: 'injective',
  flags: {},
});
registerKernel('numel', {
  backend: 'reference',
  device: '*',
  kernel: ([x], { axes, dtype }) => {
    const out = Tensor.empty([], dtype, x.device);
    out.storage.data[0] = axes.reduce((n: number, a: number) => n * x.shape[a], 1);
    return [out];
  },
});

/** The element count of x over `axes` (all dims by default) as a 0-d tensor of `dtype`. */
export function numel(x: Tensor, axes: readonly number[] = x.shape.map((_, i) => i), dtype: DType = 'float32'): Tensor {
  checkTensor('numel', 'self', x);
  return apply1('numel', [x], { axes: [...axes], dtype });
}
