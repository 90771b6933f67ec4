/** @file where(c, a, b): a where c is true, else b, with broadcasting over all three. */
import { DTypeError } from '../../errors.js';
import { whereKernel } from '../../kernels/reference/elementwise.js';
import { registerKernel } from '../../kernels/registry.js';
import { broadcastShapes } from '../../tensor/broadcast.js';
import type { Tensor } from '../../tensor/tensor.js';
import { binaryOperands, checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { sumToShape } from '../gradUtil.js';
import { defineOp } from '../schema.js';
import { cast } from './cast.js';

declare module '../schema.js' {
  interface OpAttrMap {
    where: Record<string, never>;
  }
}

defineOp({
  name: 'where',
  inputs: ['condition', 'self', 'other'],
  infer: ([c, a, b]) => {
    if (c.dtype !== 'bool') throw new DTypeError('where', 'condition', 'bool', c.dtype);
    if (a.dtype !== b.dtype) throw new DTypeError('where', 'other', `${a.dtype} (the dtype of self)`, b.dtype);
    const shape = broadcastShapes('where', broadcastShapes('where', c.shape, a.shape, 'self'), b.shape);
    return [{ shape, dtype: a.dtype }];
  },
  vjp: ({ inputs: [c, a, b] }, [g]) => [null, sumToShape(where(c, g, 0), a.shape), sumToShape(where(c, 0, g), b.shape)],
  jvp: ({ inputs: [c] }, [, ta, tb]) => [where(c, ta, tb)],
  fusion: 'injective',
  flags: {},
});
registerKernel('where', { backend: 'reference', kernel: whereKernel });

/** Elementwise `condition ? a : b`; a and b may be numbers. */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const c = checkTensor('where', 'condition', condition);
  const [x, y] = binaryOperands('where', a, b, cast);
  return apply1('where', [c.dtype === 'bool' ? c : cast(c, 'bool'), x, y], {});
}
