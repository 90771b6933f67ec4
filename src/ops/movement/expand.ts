/** @file expand: broadcasts size-1 dims to a larger shape as a stride-0 view. */
import { broadcastStrides } from '../../tensor/broadcast.js';
import { makeView } from '../../kernels/reference/views.js';
import { registerKernel } from '../../kernels/registry.js';
import { ShapeError } from '../../errors.js';
import { type Dim, checkShapeArg, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { sumToShape } from '../gradUtil.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    /** The target shape; -1 keeps the input's size in that dim. */
    expand: { shape: readonly Dim[] };
  }
}

defineOp({
  name: 'expand',
  inputs: ['x'],
  infer: ([x], { shape }) => {
    const lead = shape.length - x.shape.length;
    if (lead < 0) throw new ShapeError('expand', 'shape', `at least ${x.shape.length} dims`, shapeStr(shape));
    const out = shape.map((d, i) => {
      const src = i < lead ? 1 : x.shape[i - lead];
      const target = d === -1 ? src : d;
      if (i < lead && d === -1) throw new ShapeError('expand', 'shape', 'no -1 in the new leading dims', shapeStr(shape));
      if (src !== target && src !== 1) throw new ShapeError('expand', 'shape', `that ${shapeStr(x.shape)} broadcasts to`, shapeStr(shape));
      return target;
    });
    return [{ shape: out, dtype: x.dtype }];
  },
  vjp: ({ inputs: [x] }, [g]) => [sumToShape(g, x.shape)],
  jvp: ({ attrs }, [t]) => [apply1('expand', [t], attrs)],
  fusion: 'injective',
  flags: { view: true },
});
registerKernel('expand', {
  backend: 'reference',
  device: '*',
  kernel: ([x], _a, [out]) => [makeView(x, out.shape as number[], broadcastStrides(x.shape, x.strides, out.shape as number[]))],
});

/** A view of `x` broadcast to `shape` (-1 keeps a dim); no data is copied. */
export function expand(x: Tensor, shape: readonly Dim[]): Tensor {
  checkTensor('expand', 'self', x);
  if (!Array.isArray(shape)) checkShapeArg('expand', 'shape', shape, true);
  if (shape.length === x.ndim && shape.every((d, i) => d === x.shape[i] || d === -1)) return x;
  return apply1('expand', [x], { shape: [...shape] });
}
