/** @file addN: the sum of n tensors of one type; graph autodiff emits it where gradients fan in. */
import { DTypeError, ShapeError, ValueError } from '../../errors.js';
import { registerKernel } from '../../kernels/registry.js';
import { copyAs } from '../../kernels/reference/copy.js';
import { shapesEqual, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    addN: Record<string, never>;
  }
}

defineOp({
  name: 'addN',
  inputs: ['xs'],
  variadic: true,
  infer: (xs) => {
    if (xs.length === 0) throw new ValueError('addN', 'xs', 'at least one tensor', xs);
    xs.forEach((x, i) => {
      if (!shapesEqual(x.shape, xs[0].shape)) throw new ShapeError('addN', `xs[${i}]`, shapeStr(xs[0].shape), shapeStr(x.shape));
      if (x.dtype !== xs[0].dtype) throw new DTypeError('addN', `xs[${i}]`, xs[0].dtype, x.dtype);
    });
    return [{ shape: xs[0].shape, dtype: xs[0].dtype }];
  },
  vjp: ({ inputs }, [g]) => inputs.map(() => g),
  jvp: (_ctx, ts) => [addN(ts)],
  fusion: 'injective',
  flags: { commutative: true },
});

registerKernel('addN', {
  backend: 'reference',
  contiguousInputs: true,
  kernel: (xs) => {
    const out = copyAs(xs[0], xs[0].dtype);
    const dst = out.storage.data;
    for (let k = 1; k < xs.length; k++) {
      const src = xs[k].storage.data;
      for (let i = 0; i < dst.length; i++) dst[i] += src[i];
    }
    return [out];
  },
});

/** The elementwise sum of tensors that share one shape and dtype. */
export function addN(xs: readonly Tensor[]): Tensor {
  if (!Array.isArray(xs)) throw new ValueError('addN', 'xs', 'an array of tensors', xs);
  xs.forEach((x, i) => checkTensor('addN', `xs[${i}]`, x));
  return xs.length === 1 ? xs[0] : apply1('addN', xs, {});
}
