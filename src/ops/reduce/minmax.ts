/**
 * @file max and min over any axes (values only; argmax/argmin live in argmax.ts). The
 * gradient goes to every position equal to the result, split evenly among ties, as
 * PyTorch's amax/amin and torch.max() without a dim.
 */
import { reduceKernels } from '../../kernels/reference/reduce.js';
import { registerKernel } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { cast } from '../elementwise/cast.js';
import { div, mul } from '../elementwise/binary.js';
import { eq } from '../elementwise/compare.js';
import { type ReduceAttrs, reduceAttrs } from './common.js';
import { reducedShapeNonEmpty } from './nonEmpty.js';
import { sum, unreduce } from './sum.js';

export { argmax, argmin } from './argmax.js';

declare module '../schema.js' {
  interface OpAttrMap {
    max: ReduceAttrs;
    min: ReduceAttrs;
  }
}

/**
 * Where the gradient of y = max(x) (or min) goes: 1/count at each of the `count` positions
 * of x equal to y, 0 elsewhere, shaped like x. A NaN result matches nowhere, so its
 * positions get 0/0 = NaN, as in PyTorch.
 */
function winnerWeights(x: Tensor, y: Tensor, attrs: ReduceAttrs): Tensor {
  const isWinner = cast(eq(x, unreduce(y, x, attrs)), x.dtype);
  return div(isWinner, sum(isWinner, [...attrs.axes], true));
}

for (const name of ['max', 'min'] as const) {
  defineOp({
    name,
    inputs: ['x'],
    infer: ([x], attrs) => [{ shape: reducedShapeNonEmpty(name, x, attrs), dtype: x.dtype }],
    // The weights come from a comparison, which has no gradient: the rule is linear in g,
    // so differentiating it again gives the (zero) curvature of a piecewise-linear op.
    vjp: ({ inputs: [x], outputs: [y], attrs }, [g]) => [mul(unreduce(g, x, attrs), winnerWeights(x, y, attrs))],
    jvp: ({ inputs: [x], outputs: [y], attrs }, [t]) => [sum(mul(t, winnerWeights(x, y, attrs)), [...attrs.axes], attrs.keepDim)],
    fusion: 'reduction',
    flags: {},
  });
  registerKernel(name, { backend: 'reference', kernel: reduceKernels[name] });
}

/** The largest value over `axis` (a dim, a list, or every dim when omitted); NaN propagates. */
export function max(x: Tensor, axis?: number | number[], keepDim?: boolean): Tensor {
  checkTensor('max', 'self', x);
  return apply1('max', [x], reduceAttrs('max', x.ndim, axis, keepDim));
}

/** The smallest value over `axis` (a dim, a list, or every dim when omitted); NaN propagates. */
export function min(x: Tensor, axis?: number | number[], keepDim?: boolean): Tensor {
  checkTensor('min', 'self', x);
  return apply1('min', [x], reduceAttrs('min', x.ndim, axis, keepDim));
}
