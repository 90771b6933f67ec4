/**
 * @file prod over any axes. Its derivative, the product of the other elements, is built so
 * that it stays exact when inputs contain zeros (no division by zero, no 0/0 NaN).
 */
import { reduceKernels } from '../../kernels/reference/reduce.js';
import { accumulateType } from '../../kernels/reference/reduce.js';
import { registerKernel } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { cast } from '../elementwise/cast.js';
import { div, mul, sub } from '../elementwise/binary.js';
import { eq } from '../elementwise/compare.js';
import { where } from '../elementwise/where.js';
import { type ReduceAttrs, reduceAttrs, reducedShape } from './common.js';
import { sum, unreduce } from './sum.js';

declare module '../schema.js' {
  interface OpAttrMap {
    prod: ReduceAttrs;
  }
}

/**
 * For each element x_i, the product of the other elements of its reduction group,
 * ∂y/∂x_i, shaped like x. With z zeros in the group:
 * - at a non-zero x_i it is y / x_i: exact for any z (y is 0 when z ≥ 1);
 * - at a zero x_i it is P · (z = 1 ? 1 : z = 2 ? x_k : 0), where P is the product of the
 *   group's non-zero elements and x_k the other zero, written as (sum of the zeros) − x_i.
 * Each branch equals the product of the others as a function near x, not only in value,
 * so differentiating this again gives exact second derivatives for any number of zeros.
 * `where` keeps zeros out of every division, so no 0/0 leaks into the gradient.
 */
function productOfOthers(x: Tensor, y: Tensor, attrs: ReduceAttrs): Tensor {
  const axes = [...attrs.axes];
  const isZero = eq(x, 0);
  const nonZero = where(isZero, 1, x);
  const zeroCount = sum(cast(isZero, x.dtype), axes, true);
  const atNonZero = div(unreduce(y, x, attrs), nonZero);
  const productOfNonZeros = apply1('prod', [nonZero], { axes, keepDim: true });
  const otherZero = sub(sum(where(isZero, x, 0), axes, true), x);
  const zeroFactor = where(eq(zeroCount, 1), 1, where(eq(zeroCount, 2), otherZero, 0));
  return where(isZero, mul(productOfNonZeros, zeroFactor), atNonZero);
}

defineOp({
  name: 'prod',
  inputs: ['x'],
  infer: ([x], attrs) => [{ shape: reducedShape('prod', x, attrs), dtype: accumulateType(x.dtype) }],
  vjp: ({ inputs: [x], outputs: [y], attrs }, [g]) => [mul(unreduce(g, x, attrs), productOfOthers(x, y, attrs))],
  jvp: ({ inputs: [x], outputs: [y], attrs }, [t]) => [sum(mul(t, productOfOthers(x, y, attrs)), [...attrs.axes], attrs.keepDim)],
  fusion: 'reduction',
  flags: {},
});
registerKernel('prod', { backend: 'reference', kernel: reduceKernels.prod });

/**
 * Product over `axis` (a dim, a list, or every dim when omitted); bool inputs give int32.
 * The gradient is exact with zeros among the inputs (see productOfOthers).
 */
export function prod(x: Tensor, axis?: number | number[], keepDim?: boolean): Tensor {
  checkTensor('prod', 'self', x);
  return apply1('prod', [x], reduceAttrs('prod', x.ndim, axis, keepDim));
}
