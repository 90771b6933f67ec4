/** @file reshape / view / flatten: the same elements in row-major order, in a new shape. */
import { reshapeKernelImpl, viewStrides } from '../../kernels/reference/views.js';
import { registerKernel } from '../../kernels/registry.js';
import { ValueError } from '../../errors.js';
import { type Dim, checkReshapeArg, inferReshape, normalizeAxis } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    /** The requested shape; one dim may be -1 (inferred from the input's size). */
    reshape: { shape: readonly Dim[] };
  }
}

defineOp({
  name: 'reshape',
  inputs: ['x'],
  infer: ([x], { shape }) => [{ shape: inferReshape('reshape', x.shape, checkReshapeArg('reshape', 'shape', shape)), dtype: x.dtype }],
  vjp: ({ inputs: [x] }, [g]) => [reshape(g, x.shape as number[])],
  jvp: ({ attrs }, [t]) => [apply1('reshape', [t], attrs)],
  fusion: 'injective',
  flags: { view: true },
});
registerKernel('reshape', { backend: 'reference', device: '*', kernel: ([x], _a, [out]) => [reshapeKernelImpl(x, out.shape as number[])] });

/** The same elements in a new shape (one dim may be -1); a view when the layout allows. */
export function reshape(x: Tensor, shape: readonly Dim[]): Tensor {
  checkTensor('reshape', 'self', x);
  checkReshapeArg('reshape', 'shape', shape);
  if (shape.length === x.ndim && shape.every((d, i) => d === x.shape[i])) return x;
  return apply1('reshape', [x], { shape: [...shape] });
}

/** reshape that refuses to copy: the input's layout must allow a view, as torch's view(). */
export function view(x: Tensor, shape: readonly Dim[]): Tensor {
  checkTensor('view', 'self', x);
  const target = inferReshape('view', x.shape, checkReshapeArg('view', 'shape', shape)) as number[];
  if (!x.trace && x.size > 0 && viewStrides(x, target) === null) {
    throw new ValueError('view', 'self', 'a tensor whose layout allows this view (call contiguous() or use reshape())', `a non-contiguous tensor of shape [${x.shape.join(', ')}]`);
  }
  return reshape(x, shape);
}

/** Flattens dims startDim..endDim (inclusive) into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor('flatten', 'self', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', 'startDim', startDim, x.ndim);
  const e = normalizeAxis('flatten', 'endDim', endDim, x.ndim);
  if (s > e) throw new ValueError('flatten', 'endDim', `a dim ≥ startDim (${s})`, endDim);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}
