/**
 * @file Reference kernels for indexed reads (gather, indexSelect) and their adjoints, the
 * indexed accumulations (scatterAdd, indexAdd). Every index is range-checked before it
 * is used, so a bad index raises a FlowgradError instead of reading out of bounds.
 */
import { ValueError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { copyInto } from './copy.js';
import { zerosOf } from './movement.js';
import { type Operand, forEachRow } from './strided.js';
import { makeView } from './views.js';

/** The error for an index value outside [0, size) of dim `dim` of the indexed tensor `target`. */
export function indexRangeError(op: string, target: string, dim: number, size: number, value: number): ValueError {
  const range = size > 0 ? `values in [0, ${size - 1}]` : 'no values';
  return new ValueError(op, 'index', `${range} (dim ${dim} of ${target} has size ${size})`, value);
}

const view = (t: Tensor, strides: readonly number[] = t.strides, offset = t.offset): Operand => ({ data: t.storage.data, offset, strides });

/** `strides` with the one of `dim` zeroed: the indexed dim is addressed by the index values instead. */
const withoutDim = (strides: readonly number[], dim: number): number[] => strides.map((s, d) => (d === dim ? 0 : s));

/** out[i][j][k] = x[i][index[i][j][k]][k] (for dim 1); out has the index's shape. */
export const gatherKernel: Kernel<{ readonly dim: number }> = ([x, index], { dim }, [outType]) => {
  const out = Tensor.empty(outType.shape as number[], outType.dtype, x.device);
  const size = x.shape[dim];
  const along = x.strides[dim];
  const idx = index.storage.data;
  const src = x.storage.data;
  const dst = out.storage.data;
  let pos = 0;
  forEachRow(index.shape, [view(index), view(x, withoutDim(x.strides, dim))], ([oi, ox], n, [si, sx]) => {
    for (let i = 0; i < n; i++) {
      const k = idx[oi + i * si];
      if (!(k >= 0 && k < size)) throw indexRangeError('gather', 'x', dim, size, k);
      dst[pos++] = src[ox + i * sx + k * along];
    }
  });
  return [out];
};

/** The adjoint of gather: zeros of the output shape, with out[i][index[i][j][k]][k] += src[i][j][k]. */
export const scatterAddKernel: Kernel<{ readonly dim: number }> = ([src, index], { dim }, [outType]) => {
  const out = zerosOf(outType.shape as number[], outType.dtype, src.device);
  const size = out.shape[dim];
  const along = out.strides[dim];
  const idx = index.storage.data;
  const s = src.storage.data;
  const dst = out.storage.data;
  forEachRow(index.shape, [view(index), view(src), view(out, withoutDim(out.strides, dim))], ([oi, os, oo], n, [si, ss, so]) => {
    for (let i = 0; i < n; i++) {
      const k = idx[oi + i * si];
      if (!(k >= 0 && k < size)) throw indexRangeError('scatterAdd', 'the output', dim, size, k);
      dst[oo + i * so + k * along] += s[os + i * ss];
    }
  });
  return [out];
};

/** The index values of a 1-d int32 tensor, each checked against `size`. */
function checkedIndices(op: string, target: string, index: Tensor, dim: number, size: number): number[] {
  const data = index.storage.data;
  const stride = index.strides[0];
  return Array.from({ length: index.shape[0] }, (_, j) => {
    const k = data[index.offset + j * stride];
    if (!(k >= 0 && k < size)) throw indexRangeError(op, target, dim, size, k);
    return k;
  });
}

/** The shape of one slab of `shape` along dim (that dim made size 1). */
const slabShape = (shape: readonly number[], dim: number): number[] => shape.map((d, i) => (i === dim ? 1 : d));

/** out = the slabs x[index[0]], x[index[1]], … along dim. */
export const indexSelectKernel: Kernel<{ readonly dim: number }> = ([x, index], { dim }, [outType]) => {
  const out = Tensor.empty(outType.shape as number[], outType.dtype, x.device);
  const slab = slabShape(x.shape, dim);
  checkedIndices('indexSelect', 'x', index, dim, x.shape[dim]).forEach((k, j) => {
    copyInto(makeView(out, slab, out.strides, j * out.strides[dim]), makeView(x, slab, x.strides, x.offset + k * x.strides[dim]));
  });
  return [out];
};

/** The adjoint of indexSelect: zeros of the output shape, with slab index[j] += slab j of src. */
export const indexAddKernel: Kernel<{ readonly dim: number }> = ([src, index], { dim }, [outType]) => {
  const out = zerosOf(outType.shape as number[], outType.dtype, src.device);
  const slab = slabShape(src.shape, dim);
  const s = src.storage.data;
  const dst = out.storage.data;
  checkedIndices('indexAdd', 'the output', index, dim, out.shape[dim]).forEach((k, j) => {
    const into = view(out, out.strides, k * out.strides[dim]);
    const from = view(src, src.strides, src.offset + j * src.strides[dim]);
    forEachRow(slab, [into, from], ([od, os], n, [sd, ss]) => {
      for (let i = 0; i < n; i++) dst[od + i * sd] += s[os + i * ss];
    });
  });
  return [out];
};
