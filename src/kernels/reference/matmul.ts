/**
 * @file Reference batched matmul: a [..., m, k] @ b [..., k, n] → [..., m, n], reading
 * both operands through their strides (transposed, sliced or broadcast operands need no
 * contiguous copy) and broadcasting the batch dims. Float products accumulate in float64;
 * int32 wraps modulo 2^32 as PyTorch's integer matmul does.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import { broadcastStrides } from '../../tensor/broadcast.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { forEachRow } from './strided.js';

/** One matrix operand inside a batch: element (r, c) is data[offset + r·rowStride + c·colStride]. */
interface MatrixView {
  readonly data: TypedArray;
  offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

interface Dims {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/**
 * out[i, :] = Σ_p a[i, p] · b[p, :], i-p-j order: the innermost loop walks a row of b and
 * a float64 row accumulator, the fast order when b's rows are contiguous (colStride 1).
 */
function rowsTimesRows(a: MatrixView, b: MatrixView, out: TypedArray, outOffset: number, { m, k, n }: Dims): void {
  const acc = new Float64Array(n);
  const { data: ad, rowStride: ar, colStride: ac } = a;
  const { data: bd, rowStride: br, colStride: bc } = b;
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    const ai = a.offset + i * ar;
    let p = 0;
    if (bc === 1) {
      // Four rows of b per pass over acc: a quarter of the accumulator loads and stores.
      for (; p + 3 < k; p += 4) {
        const a0 = ad[ai + p * ac];
        const a1 = ad[ai + (p + 1) * ac];
        const a2 = ad[ai + (p + 2) * ac];
        const a3 = ad[ai + (p + 3) * ac];
        const b0 = b.offset + p * br;
        const b1 = b0 + br;
        const b2 = b1 + br;
        const b3 = b2 + br;
        for (let j = 0; j < n; j++) acc[j] += a0 * bd[b0 + j] + a1 * bd[b1 + j] + a2 * bd[b2 + j] + a3 * bd[b3 + j];
      }
    }
    for (; p < k; p++) {
      const aip = ad[ai + p * ac];
      for (let j = 0, bj = b.offset + p * br; j < n; j++, bj += bc) acc[j] += aip * bd[bj];
    }
    out.set(acc, outOffset + i * n);
  }
}

/**
 * b copied into a row-major float64 buffer, for rowsTimesRows's contiguous inner loop.
 * O(k·n) work against the product's O(m·k·n): worth it when b's rows are strided
 * (a transposed b, the shape of every backward pass) and a has more than a few rows.
 */
function packRows(b: MatrixView, { k, n }: Dims, buffer: Float64Array): MatrixView {
  for (let p = 0, q = 0; p < k; p++) for (let j = 0, bj = b.offset + p * b.rowStride; j < n; j++, bj += b.colStride) buffer[q++] = b.data[bj];
  return { data: buffer, offset: 0, rowStride: n, colStride: 1 };
}

/** int32 matmul, i-p-j order: Math.imul wraps each product and Int32Array stores wrap each (exact) sum, so the result is exact modulo 2^32. */
function intRowsTimesRows(a: MatrixView, b: MatrixView, out: TypedArray, outOffset: number, { m, k, n }: Dims): void {
  const acc = new Int32Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = a.data[a.offset + i * a.rowStride + p * a.colStride];
      for (let j = 0, bj = b.offset + p * b.rowStride; j < n; j++, bj += b.colStride) acc[j] += Math.imul(aip, b.data[bj]);
    }
    out.set(acc, outOffset + i * n);
  }
}

/** The batched matmul kernel; shapes were validated by the op's schema. */
export const matmulKernel: Kernel = ([a, b], _attrs, [outType]) => {
  const outShape = outType.shape as number[];
  const out = Tensor.empty(outShape, outType.dtype, a.device);
  const nd = outShape.length;
  const dims: Dims = { m: outShape[nd - 2], k: a.shape[a.ndim - 1], n: outShape[nd - 1] };
  if (out.size === 0 || dims.k === 0) return [out];
  const batchShape = outShape.slice(0, nd - 2);
  const batchOf = (t: Tensor) => broadcastStrides(t.shape.slice(0, t.ndim - 2), t.strides.slice(0, t.ndim - 2), batchShape);
  const aView: MatrixView = { data: a.storage.data, offset: 0, rowStride: a.strides[a.ndim - 2], colStride: a.strides[a.ndim - 1] };
  const bView: MatrixView = { data: b.storage.data, offset: 0, rowStride: b.strides[b.ndim - 2], colStride: b.strides[b.ndim - 1] };
  const isInt = outType.dtype === 'int32';
  const packing = !isInt && bView.colStride !== 1 && dims.n > 1 && dims.m >= 4 ? new Float64Array(dims.k * dims.n) : null;
  const blockSize = dims.m * dims.n;
  let outOffset = 0;
  forEachRow(
    batchShape,
    [
      { data: a.storage.data, offset: a.offset, strides: batchOf(a) },
      { data: b.storage.data, offset: b.offset, strides: batchOf(b) },
    ],
    ([aStart, bStart], count, [aStep, bStep]) => {
      for (let t = 0; t < count; t++) {
        aView.offset = aStart + t * aStep;
        bView.offset = bStart + t * bStep;
        if (isInt) intRowsTimesRows(aView, bView, out.storage.data, outOffset, dims);
        else rowsTimesRows(aView, packing ? packRows(bView, dims, packing) : bView, out.storage.data, outOffset, dims);
        outOffset += blockSize;
      }
    },
  );
  return [out];
};
