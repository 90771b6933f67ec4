/**
 * @file gather and indexSelect: reads at int32 indices along one dim (torch.gather and
 * torch.index_select). Their VJPs accumulate the gradient back with scatterAdd / indexAdd,
 * whose own VJPs are gather / indexSelect again, so gradients of any order exist.
 */
import { gatherKernel, indexSelectKernel } from '../../kernels/reference/gather.js';
import { registerKernel } from '../../kernels/registry.js';
import { ShapeError } from '../../errors.js';
import { normalizeAxis, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { checkDimAttr, checkIndexType, exceeds, shapeExceptDim } from './indexing.js';
import { reshape } from './reshape.js';
// The VJPs below apply scatterAdd and indexAdd by name: load their schemas.
import './scatterAdd.js';

declare module '../schema.js' {
  interface OpAttrMap {
    /** The indexed dim, 0 ≤ dim < ndim. */
    gather: { dim: number };
    /** The indexed dim, 0 ≤ dim < ndim. */
    indexSelect: { dim: number };
  }
}

defineOp({
  name: 'gather',
  inputs: ['x', 'index'],
  infer: ([x, index], { dim }) => {
    checkDimAttr('gather', dim, x.shape.length);
    checkIndexType('gather', index);
    if (index.shape.length !== x.shape.length || index.shape.some((n, d) => d !== dim && exceeds(n, x.shape[d]))) {
      throw new ShapeError('gather', 'index', `${x.shape.length} dims, each at most x's ${shapeExceptDim(x.shape, dim)} outside dim ${dim}`, shapeStr(index.shape));
    }
    return [{ shape: index.shape, dtype: x.dtype }];
  },
  vjp: ({ inputs: [x, index], attrs: { dim } }, [g]) => [apply1('scatterAdd', [g, index], { dim, shape: x.shape }), null],
  jvp: ({ inputs: [, index], attrs }, [t]) => [apply1('gather', [t, index], attrs)],
  fusion: 'injective',
  flags: {},
});
registerKernel('gather', { backend: 'reference', kernel: gatherKernel });

defineOp({
  name: 'indexSelect',
  inputs: ['x', 'index'],
  infer: ([x, index], { dim }) => {
    checkDimAttr('indexSelect', dim, x.shape.length);
    checkIndexType('indexSelect', index);
    if (index.shape.length !== 1) throw new ShapeError('indexSelect', 'index', '[n] (1-d)', shapeStr(index.shape));
    return [{ shape: x.shape.map((d, k) => (k === dim ? index.shape[0] : d)), dtype: x.dtype }];
  },
  vjp: ({ inputs: [x, index], attrs: { dim } }, [g]) => [apply1('indexAdd', [g, index], { dim, shape: x.shape }), null],
  jvp: ({ inputs: [, index], attrs }, [t]) => [apply1('indexSelect', [t, index], attrs)],
  fusion: 'injective',
  flags: {},
});
registerKernel('indexSelect', { backend: 'reference', kernel: indexSelectKernel });

/** Checks the user's (x, dim, index) and resolves dim; a 0-d x accepts dim 0 or -1, as in PyTorch. */
function indexedArgs(op: string, x: Tensor, dim: number, index: Tensor): number {
  checkTensor(op, 'self', x);
  checkTensor(op, 'index', index);
  checkIndexType(op, index);
  return normalizeAxis(op, 'dim', dim, x.ndim);
}

/**
 * torch.gather: out[i][j] = x[index[i][j]][j] for dim 0, x[i][index[i][j]] for dim 1.
 * `index` is int32 with x's number of dims, at most x's size in every other dim; the output
 * has the index's shape. An index outside [0, size of dim) throws.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = indexedArgs('gather', x, dim, index);
  if (index.ndim !== x.ndim) throw new ShapeError('gather', 'index', `${x.ndim} dims (as many as x)`, shapeStr(index.shape));
  // A 0-d gather is the 1-d one on one element.
  if (x.ndim === 0) return reshape(apply1('gather', [reshape(x, [1]), reshape(index, [1])], { dim: 0 }), []);
  return apply1('gather', [x, index], { dim: d });
}

/**
 * torch.index_select: the slabs of `x` at positions `index` (1-d int32) along `dim`, in
 * that order; repeats allowed. `indexSelect(x, 0, idx)` picks rows, as an embedding lookup.
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = indexedArgs('indexSelect', x, dim, index);
  if (index.ndim > 1) throw new ShapeError('indexSelect', 'index', '[n] (1-d)', shapeStr(index.shape));
  const idx = index.ndim === 0 ? reshape(index, [1]) : index;
  if (x.ndim > 0) return apply1('indexSelect', [x, idx], { dim: d });
  if (idx.size !== 1) throw new ShapeError('indexSelect', 'index', '[1] (one index into a 0-d x)', shapeStr(index.shape));
  return reshape(apply1('indexSelect', [reshape(x, [1]), idx], { dim: 0 }), []);
}
