/** @file sum and mean over any axes. */
import { accumulateType, reduceKernels } from '../../kernels/reference/reduce.js';
import { registerKernel } from '../../kernels/registry.js';
import { toFloating } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { cast } from '../elementwise/cast.js';
import { div } from '../elementwise/binary.js';
import { expand } from '../movement/expand.js';
import { reshape } from '../movement/reshape.js';
import { numel } from './numel.js';
import { type ReduceAttrs, reduceAttrs, reducedShape } from './common.js';

declare module '../schema.js' {
  interface OpAttrMap {
    sum: ReduceAttrs;
  }
}

/** Re-inserts reduced dims as size 1 so a reduced gradient broadcasts over the input. */
export function unreduce(g: Tensor, input: Tensor, { axes, keepDim }: ReduceAttrs): Tensor {
  if (keepDim || axes.length === 0) return g;
  return reshape(g, input.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

defineOp({
  name: 'sum',
  inputs: ['x'],
  infer: ([x], attrs) => [{ shape: reducedShape('sum', x, attrs), dtype: accumulateType(x.dtype) }],
  vjp: ({ inputs: [x], attrs }, [g]) => [expand(unreduce(g, x, attrs), x.shape as number[])],
  jvp: ({ attrs }, [t]) => [apply1('sum', [t], attrs)],
  fusion: 'reduction',
  flags: {},
});
registerKernel('sum', { backend: 'reference', kernel: reduceKernels.sum });

/** Sum over `axis` (a dim, a list, or every dim when omitted). */
export function sum(x: Tensor, axis?: number | number[], keepDim?: boolean): Tensor {
  checkTensor('sum', 'self', x);
  return apply1('sum', [x], reduceAttrs('sum', x.ndim, axis, keepDim));
}

/** Mean over `axis`; integer inputs give float32. */
export function mean(x: Tensor, axis?: number | number[], keepDim?: boolean): Tensor {
  checkTensor('mean', 'self', x);
  const attrs = reduceAttrs('mean', x.ndim, axis, keepDim);
  const xf = cast(x, toFloating(x.dtype));
  const dims = attrs.axes.map((a) => x.shape[a] as number | string);
  // A symbolic dim (a traced batch) is counted at run time by the numel op.
  const count = dims.every((d) => typeof d === 'number') ? dims.reduce((n, d) => n * (d as number), 1) : numel(xf, attrs.axes, xf.dtype);
  return div(apply1('sum', [xf], attrs), count);
}
