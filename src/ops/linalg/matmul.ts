/**
 * @file matmul, as torch.matmul: one op over ≥2-D operands with NumPy-broadcast batch dims;
 * the user function turns 1-D operands into a row / column and drops that dim again.
 */
import { DTypeError, ShapeError } from '../../errors.js';
import { matmulKernel } from '../../kernels/reference/matmul.js';
import { registerKernel } from '../../kernels/registry.js';
import { broadcastShapes } from '../../tensor/broadcast.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { type Dim, type SymShape, shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { sumToShape } from '../gradUtil.js';
import { defineOp, needsGrad } from '../schema.js';
import { add } from '../elementwise/binary.js';
import { cast } from '../elementwise/cast.js';
import { transpose } from '../movement/permute.js';
import { reshape } from '../movement/reshape.js';

declare module '../schema.js' {
  interface OpAttrMap {
    matmul: Record<string, never>;
  }
}

/** What b must look like given a's last dim k, for the error message. */
const expectedB = (k: Dim, bShape: SymShape): string =>
  bShape.length === 1 ? `[${k}] (length = last dim of a)` : bShape.length === 2 ? `[${k}, n] (rows = last dim of a)` : `[..., ${k}, n] (rows = last dim of a)`;

function inferMatmul([a, b]: readonly TensorType[]): TensorType[] {
  for (const [arg, t] of [['a', a], ['b', b]] as const) {
    if (t.shape.length < 2) throw new ShapeError('matmul', arg, 'with at least 2 dims (the op; the matmul function also takes 1-D)', shapeStr(t.shape));
    if (t.dtype === 'bool') throw new DTypeError('matmul', arg, 'a numeric dtype', 'bool');
  }
  if (a.dtype !== b.dtype) throw new DTypeError('matmul', 'b', `${a.dtype} (the dtype of a)`, b.dtype);
  const k = a.shape[a.shape.length - 1];
  if (b.shape[b.shape.length - 2] !== k) throw new ShapeError('matmul', 'b', expectedB(k, b.shape), shapeStr(b.shape));
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  let batch: Dim[];
  try {
    batch = broadcastShapes('matmul', aBatch, bBatch, 'b');
  } catch {
    throw new ShapeError('matmul', 'b', `batch dims broadcastable with ${shapeStr(aBatch)} (the batch dims of a)`, shapeStr(b.shape));
  }
  return [{ shape: [...batch, a.shape[a.shape.length - 2], b.shape[b.shape.length - 1]], dtype: a.dtype }];
}

/** The matmul op on ≥2-D operands of one dtype. */
const mm = (a: Tensor, b: Tensor): Tensor => apply1('matmul', [a, b], {});
/** The matrix transpose of every matrix in a batch (a strided view, read in place by the kernel). */
const mT = (x: Tensor): Tensor => transpose(x, -2, -1);

defineOp({
  name: 'matmul',
  inputs: ['a', 'b'],
  infer: inferMatmul,
  // A batch dim that was broadcast gets the gradient summed over it (sumToShape).
  vjp: (ctx, [g]) => {
    const [a, b] = ctx.inputs;
    return [needsGrad(ctx, 0) ? sumToShape(mm(g, mT(b)), a.shape) : null, needsGrad(ctx, 1) ? sumToShape(mm(mT(a), g), b.shape) : null];
  },
  jvp: ({ inputs: [a, b] }, [ta, tb]) => [add(mm(ta, b), mm(a, tb))],
  fusion: 'complexOutFusable',
  flags: {},
});
registerKernel('matmul', { backend: 'reference', kernel: matmulKernel });

/**
 * Matrix product as torch.matmul: 1-D·1-D is a dot product (0-d); a 1-D a is a row and a
 * 1-D b a column, that dim being removed from the result; ≥2-D operands are stacks of
 * matrices whose batch dims broadcast, e.g. [2, 1, 3, 4] @ [5, 4, 6] → [2, 5, 3, 6].
 * dtypes promote as in binary ops; bool is rejected.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', 'a', a);
  checkTensor('matmul', 'b', b);
  for (const [arg, t] of [['a', a], ['b', b]] as const) {
    if (t.ndim === 0) throw new ShapeError('matmul', arg, 'with at least 1 dim', '[] (a 0-d tensor; use mul for scalars)');
    if (t.dtype === 'bool') throw new DTypeError('matmul', arg, 'a numeric dtype', 'bool');
  }
  // Checked here, not only in the schema, so the message shows the caller's shapes before any 1-D reshape.
  const k = a.shape[a.ndim - 1];
  if ((b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2]) !== k) throw new ShapeError('matmul', 'b', expectedB(k, b.shape), shapeStr(b.shape));
  const dtype = promoteTypes(a.dtype, b.dtype);
  const a2 = a.ndim === 1 ? reshape(a, [1, -1]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [-1, 1]) : b;
  const y = mm(cast(a2, dtype), cast(b2, dtype));
  if (a.ndim > 1 && b.ndim > 1) return y;
  const nd = y.ndim;
  const kept = y.shape.filter((_, i) => !((a.ndim === 1 && i === nd - 2) || (b.ndim === 1 && i === nd - 1)));
  return reshape(y, kept);
}
