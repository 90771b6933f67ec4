/** @file Comparisons: bool results, broadcasting, no gradient. */
import { binaryKernel } from '../../kernels/reference/elementwise.js';
import { registerKernel } from '../../kernels/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { binaryOperands } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { inferBinary } from './binary.js';
import { cast } from './cast.js';

type NoAttrs = Record<string, never>;
declare module '../schema.js' {
  interface OpAttrMap {
    eq: NoAttrs; ne: NoAttrs; lt: NoAttrs; le: NoAttrs; gt: NoAttrs; ge: NoAttrs;
  }
}
type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

for (const name of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
  defineOp({
    name,
    inputs: ['self', 'other'],
    infer: (ins) => [{ shape: inferBinary(name, ins, false)[0].shape, dtype: 'bool' }],
    fusion: 'injective',
    flags: { commutative: name === 'eq' || name === 'ne' },
  });
  registerKernel(name, { backend: 'reference', kernel: binaryKernel(name) });
}

const compare = (op: CompareOp, a: Tensor | number, b: Tensor | number): Tensor => apply1(op, binaryOperands(op, a, b, cast), {});

export const eq = (a: Tensor | number, b: Tensor | number): Tensor => compare('eq', a, b);
export const ne = (a: Tensor | number, b: Tensor | number): Tensor => compare('ne', a, b);
export const lt = (a: Tensor | number, b: Tensor | number): Tensor => compare('lt', a, b);
export const le = (a: Tensor | number, b: Tensor | number): Tensor => compare('le', a, b);
export const gt = (a: Tensor | number, b: Tensor | number): Tensor => compare('gt', a, b);
export const ge = (a: Tensor | number, b: Tensor | number): Tensor => compare('ge', a, b);
