/**
 * @file A fast JS sum over any axes (conv bias gradients sum over [0, 2, 3], which the wasm
 * reduction, limited to adjacent axes, leaves to JS). One pass over the input, row by row,
 * with each row's output slots found once; float64 accumulators as in the reference kernel.
 * test/kernels/fastSum.test.ts checks it against the reference kernel.
 */
import { ARRAY_OF, isFloating } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { type ReduceAttrs, slots } from '../reference/reduce.js';
import { forEachRow } from '../reference/strided.js';
import { type Kernel, registerKernel } from '../registry.js';

const sum: Kernel<ReduceAttrs> = ([x], { axes }, [outType]) => {
  const shape = x.shape;
  const nd = shape.length;
  const { outStrides, outSize } = slots(shape, axes);
  const acc = new Float64Array(outSize);
  const src = x.storage.data;
  const innerReduced = nd > 0 && axes.includes(nd - 1);
  forEachRow(
    shape,
    [
      { data: src, offset: x.offset, strides: x.strides },
      { data: src, offset: 0, strides: outStrides },
    ],
    ([o, slot], n, [s, so]) => {
      if (innerReduced) {
        // The whole row lands in one slot.
        let t = 0;
        for (let i = 0; i < n; i++) t += src[o + i * s];
        acc[slot] += t;
      } else for (let i = 0; i < n; i++) acc[slot + i * so] += src[o + i * s];
    },
  );
  const out = new ARRAY_OF[outType.dtype](acc.length);
  out.set(acc);
  return [Tensor.fromData(out, outType.shape as number[], outType.dtype, x.device)];
};

let registered = false;

/** Registers the fast sum (once); FLOWGRAD_BACKEND=reference leaves the reference kernel alone. */
export function registerFastSumKernel(): void {
  if (registered || process.env.FLOWGRAD_BACKEND === 'reference') return;
  registered = true;
  registerKernel('sum', { backend: 'fast', priority: 5, kernel: sum, accepts: ([x]) => isFloating(x.dtype) });
}
