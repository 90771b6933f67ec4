/**
 * @file scatterAdd and indexAdd: accumulate values at int32 indices along one dim (the
 * adjoints of gather and indexSelect). The ops build zeros of a given shape plus the
 * scattered values; the user functions add that to a base tensor, as torch.scatter_add
 * and torch.index_add do. Their VJPs with respect to the values are gather / indexSelect.
 */
import { indexAddKernel, scatterAddKernel } from '../../kernels/reference/gather.js';
import { registerKernel } from '../../kernels/registry.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { type Dim, normalizeAxis, shapeStr, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { add } from '../elementwise/binary.js';
import { checkDimAttr, checkIndexType, checkShapeAttr, exceeds, shapeExceptDim } from './indexing.js';
import { reshape } from './reshape.js';

/** The output is zeros of `shape` (0 ≤ dim < its length) plus the scattered source values. */
export interface ScatterAttrs {
  readonly dim: number;
  readonly shape: readonly Dim[];
}

declare module '../schema.js' {
  interface OpAttrMap {
    scatterAdd: ScatterAttrs;
    indexAdd: ScatterAttrs;
  }
}

/** Checks the attrs and the source's dtype and rank, shared by both ops. */
function checkScatter(op: string, src: TensorType, index: TensorType, attrs: ScatterAttrs): readonly Dim[] {
  const shape = checkShapeAttr(op, attrs.shape);
  checkDimAttr(op, attrs.dim, shape.length);
  checkIndexType(op, index);
  if (src.dtype === 'bool') throw new DTypeError(op, 'src', 'a numeric dtype', 'bool');
  if (src.shape.length !== shape.length) throw new ShapeError(op, 'src', `${shape.length} dims (as many as the output ${shapeStr(shape)})`, shapeStr(src.shape));
  return shape;
}

/** Zero-pads `t` at the end of each dim up to `shape` (sliceBackward, so it stays differentiable). */
function padTo(t: Tensor, shape: readonly number[]): Tensor {
  return shape.reduce((acc, size, dim) => {
    const n = acc.shape[dim];
    return n === size ? acc : apply1('sliceBackward', [acc], { dim, start: 0, end: n, step: 1, size });
  }, t);
}

defineOp({
  name: 'scatterAdd',
  inputs: ['src', 'index'],
  infer: ([src, index], attrs) => {
    const shape = checkScatter('scatterAdd', src, index, attrs);
    const { dim } = attrs;
    if (index.shape.length !== shape.length || index.shape.some((n, d) => exceeds(n, src.shape[d]) || (d !== dim && exceeds(n, shape[d])))) {
      const limit = `at most src's ${shapeStr(src.shape)} and the output's ${shapeExceptDim(shape, dim)}`;
      throw new ShapeError('scatterAdd', 'index', `${shape.length} dims, each ${limit}`, shapeStr(index.shape));
    }
    return [{ shape, dtype: src.dtype }];
  },
  // src elements beyond the index's extent are never scattered: their gradient is 0.
  vjp: ({ inputs: [src, index], attrs: { dim } }, [g]) => [padTo(apply1('gather', [g, index], { dim }), src.shape), null],
  jvp: ({ inputs: [, index], attrs }, [t]) => [apply1('scatterAdd', [t, index], attrs)],
  fusion: 'opaque',
  flags: {},
});
registerKernel('scatterAdd', { backend: 'reference', kernel: scatterAddKernel });

defineOp({
  name: 'indexAdd',
  inputs: ['src', 'index'],
  infer: ([src, index], attrs) => {
    const shape = checkScatter('indexAdd', src, index, attrs);
    const { dim } = attrs;
    if (index.shape.length !== 1) throw new ShapeError('indexAdd', 'index', '[n] (1-d)', shapeStr(index.shape));
    const expected = shape.map((d, k) => (k === dim ? index.shape[0] : d));
    if (!shapesEqual(src.shape, expected)) {
      throw new ShapeError('indexAdd', 'src', `${shapeStr(expected)} (the output's shape with dim ${dim} the index's length)`, shapeStr(src.shape));
    }
    return [{ shape, dtype: src.dtype }];
  },
  vjp: ({ inputs: [, index], attrs: { dim } }, [g]) => [apply1('indexSelect', [g, index], { dim }), null],
  jvp: ({ inputs: [, index], attrs }, [t]) => [apply1('indexAdd', [t, index], attrs)],
  fusion: 'opaque',
  flags: {},
});
registerKernel('indexAdd', { backend: 'reference', kernel: indexAddKernel });

/** Checks the user's (self, dim, index, src) and resolves dim. */
function scatterArgs(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor): number {
  checkTensor(op, 'self', x);
  checkTensor(op, 'index', index);
  checkTensor(op, 'src', src);
  checkIndexType(op, index);
  if (src.dtype !== x.dtype) throw new DTypeError(op, 'src', `${x.dtype} (the dtype of self)`, src.dtype);
  return normalizeAxis(op, 'dim', dim, x.ndim);
}

/**
 * torch.scatter_add: `x` plus src scattered along `dim`, e.g. for dim 0
 * out[index[i][j]][j] += src[i][j]. Repeated indices accumulate. `index` is int32 with x's
 * number of dims, at most src's size in every dim and x's outside `dim`.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = scatterArgs('scatterAdd', x, dim, index, src);
  if (index.ndim !== x.ndim) throw new ShapeError('scatterAdd', 'index', `${x.ndim} dims (as many as self)`, shapeStr(index.shape));
  if (x.ndim === 0 && src.ndim === 0) return reshape(scatterAdd(reshape(x, [1]), 0, reshape(index, [1]), reshape(src, [1])), []);
  return add(x, apply1('scatterAdd', [src, index], { dim: d, shape: [...x.shape] }));
}

/**
 * torch.index_add: `x` plus, for each j, slab j of `src` (along `dim`) added to slab
 * index[j] of x. `index` is 1-d int32; src has x's shape except index.length in `dim`.
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = scatterArgs('indexAdd', x, dim, index, src);
  if (index.ndim > 1) throw new ShapeError('indexAdd', 'index', '[n] (1-d)', shapeStr(index.shape));
  const idx = index.ndim === 0 ? reshape(index, [1]) : index;
  if (x.ndim === 0 && src.ndim === 0) return reshape(indexAdd(reshape(x, [1]), 0, idx, reshape(src, [1])), []);
  return add(x, apply1('indexAdd', [src, idx], { dim: d, shape: [...x.shape] }));
}
