/**
 * @file argmax and argmin: int32 positions of the largest / smallest value, first
 * occurrence winning ties (a NaN counts as the largest and the smallest, as in PyTorch).
 * Not differentiable.
 */
import { ValueError } from '../../errors.js';
import { reduceKernels } from '../../kernels/reference/reduce.js';
import { registerKernel } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { type ReduceAttrs, reduceAttrs, requireNumeric } from './common.js';
import { reducedShapeNonEmpty } from './nonEmpty.js';

declare module '../schema.js' {
  interface OpAttrMap {
    /** With several axes the index counts row-major over them; no axes on an n-d input index the flattened tensor. */
    argmax: ReduceAttrs;
    argmin: ReduceAttrs;
  }
}

for (const name of ['argmax', 'argmin'] as const) {
  defineOp({
    name,
    inputs: ['x'],
    infer: ([x], attrs) => {
      requireNumeric(name, x.dtype);
      return [{ shape: reducedShapeNonEmpty(name, x, attrs), dtype: 'int32' }];
    },
    fusion: 'reduction',
    flags: {},
  });
  registerKernel(name, { backend: 'reference', kernel: reduceKernels[name] });
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: unknown, keepDim: unknown): Tensor {
  checkTensor(op, 'self', x);
  // As torch.argmax: one dim, or none for the flattened tensor (whose index is row-major over every dim).
  if (axis !== undefined && axis !== null && typeof axis !== 'number') {
    throw new ValueError(op, 'axis', 'a single dim (or none, to index the flattened tensor)', axis);
  }
  return apply1(op, [x], reduceAttrs(op, x.ndim, axis, keepDim));
}

/**
 * Index of the largest value along `axis`; without an axis, the index into the flattened
 * tensor as a 0-d int32 tensor (all dims kept as size 1 with keepDim).
 */
export function argmax(x: Tensor, axis?: number, keepDim?: boolean): Tensor {
  return argReduce('argmax', x, axis, keepDim);
}

/** Index of the smallest value along `axis`, or into the flattened tensor; see argmax. */
export function argmin(x: Tensor, axis?: number, keepDim?: boolean): Tensor {
  return argReduce('argmin', x, axis, keepDim);
}
