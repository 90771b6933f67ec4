/**
 * @file Reference reductions over any set of axes. The input is walked once in row-major
 * order; a pseudo-operand with stride 0 on reduced dims gives each element's output slot,
 * and another with stride 0 on kept dims gives its position within the reduction (argmax).
 */
import { type DType } from '../../tensor/dtype.js';
import { contiguousStrides } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { forEachRow } from './strided.js';

export interface ReduceAttrs {
  /** Sorted, distinct, non-negative dims. */
  readonly axes: readonly number[];
  readonly keepDim: boolean;
}

export type ReduceName = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

export interface Slots {
  /** Output slot of each input element, walked alongside the input. */
  readonly outStrides: number[];
  /** Index of each input element within its reduction (row-major over the reduced dims). */
  readonly inStrides: number[];
  readonly outSize: number;
}

export function slots(shape: readonly number[], axes: readonly number[]): Slots {
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const redShape = shape.map((d, i) => (axes.includes(i) ? d : 1));
  const ks = contiguousStrides(keptShape);
  const rs = contiguousStrides(redShape);
  return {
    outStrides: shape.map((_, i) => (axes.includes(i) ? 0 : ks[i])),
    inStrides: shape.map((_, i) => (axes.includes(i) ? rs[i] : 0)),
    outSize: keptShape.reduce((a, b) => a * b, 1),
  };
}

/** Runs `step(slot, value, indexInReduction)` over every element of x. */
function walk(x: Tensor, axes: readonly number[], step: (slot: number, v: number, r: number) => void): number {
  const s = slots(x.shape, axes);
  const src = x.storage.data;
  forEachRow(
    x.shape,
    [
      { data: src, offset: x.offset, strides: x.strides },
      { data: src, offset: 0, strides: s.outStrides },
      { data: src, offset: 0, strides: s.inStrides },
    ],
    ([o, slot, r], n, [sx, so, sr]) => {
      for (let i = 0; i < n; i++) step(slot + i * so, src[o + i * sx], r + i * sr);
    },
  );
  return s.outSize;
}

const INIT: Record<'sum' | 'prod' | 'max' | 'min', number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

function valueReduce(name: 'sum' | 'prod' | 'max' | 'min'): Kernel<ReduceAttrs> {
  return ([x], { axes }, [outType]) => {
    const s = slots(x.shape, axes);
    // Accumulate in float64 so float32 sums do not drift with length.
    const acc = new Float64Array(s.outSize).fill(INIT[name]);
    const seenNaN = new Uint8Array(name === 'max' || name === 'min' ? s.outSize : 0);
    if (name === 'sum') walk(x, axes, (k, v) => void (acc[k] += v));
    else if (name === 'prod') walk(x, axes, (k, v) => void (acc[k] *= v));
    else if (name === 'max') walk(x, axes, (k, v) => (v > acc[k] ? (acc[k] = v) : v !== v && (seenNaN[k] = 1)));
    else walk(x, axes, (k, v) => (v < acc[k] ? (acc[k] = v) : v !== v && (seenNaN[k] = 1)));
    // max/min propagate NaN, as in PyTorch and NumPy.
    for (let k = 0; k < seenNaN.length; k++) if (seenNaN[k]) acc[k] = NaN;
    const out = Tensor.empty(outType.shape as number[], outType.dtype, x.device);
    out.storage.data.set(acc);
    return [out];
  };
}

function indexReduce(name: 'argmax' | 'argmin'): Kernel<ReduceAttrs> {
  return ([x], { axes }, [outType]) => {
    const s = slots(x.shape, axes);
    const best = new Float64Array(s.outSize).fill(name === 'argmax' ? -Infinity : Infinity);
    const index = new Int32Array(s.outSize).fill(-1);
    const better = name === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
    walk(x, axes, (k, v, r) => {
      // First occurrence wins ties; a NaN wins over everything (as NumPy's argmax).
      if (index[k] < 0 || (best[k] === best[k] && (better(v, best[k]) || v !== v))) {
        best[k] = v;
        index[k] = r;
      }
    });
    return [Tensor.fromData(index, outType.shape as number[], 'int32', x.device)];
  };
}

export const reduceKernels: Record<ReduceName, Kernel<ReduceAttrs>> = {
  sum: valueReduce('sum'),
  prod: valueReduce('prod'),
  max: valueReduce('max'),
  min: valueReduce('min'),
  argmax: indexReduce('argmax'),
  argmin: indexReduce('argmin'),
};

/** The dtype sum and prod produce: bool and int32 sum in int32, floats keep theirs. */
export const accumulateType = (d: DType): DType => (d === 'bool' ? 'int32' : d);
