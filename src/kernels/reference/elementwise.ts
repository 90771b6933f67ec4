/**
 * @file Reference kernels for elementwise ops: one scalar function per op, applied over
 * strided, broadcast operands. These are the oracle the fast kernels are checked against.
 */
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';
import { forEachRow, operand } from './strided.js';

type Unary = (x: number) => number;
type Binary = (a: number, b: number) => number;

export const unaryFns = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  // Split by sign so exp never overflows: 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) below.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  relu: (x) => (x > 0 ? x : 0),
  sign: Math.sign,
  logicalNot: (x) => (x === 0 ? 1 : 0),
} satisfies Record<string, Unary>;
export type UnaryName = keyof typeof unaryFns;

export const binaryFns = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
} satisfies Record<string, Binary>;
export type BinaryName = keyof typeof binaryFns;

/** Integer division truncates toward zero, as in C and PyTorch's `trunc` rounding. */
const INT_OVERRIDES: Partial<Record<BinaryName, Binary>> = {
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
  pow: (a, b) => Math.trunc(Math.pow(a, b)),
};

export function unaryKernel(name: UnaryName): Kernel {
  const f: Unary = unaryFns[name];
  return ([x], _attrs, [outType]) => [mapInto(outType.shape as number[], outType.dtype, [x], (o, n, [s], dst, pos) => {
    const src = x.storage.data;
    for (let i = 0; i < n; i++) dst[pos + i] = f(src[o[0] + i * s]);
  })];
}

export function binaryKernel(name: BinaryName): Kernel {
  return ([a, b], _attrs, [outType]) => {
    const f: Binary = (a.dtype === 'int32' && INT_OVERRIDES[name]) || binaryFns[name];
    return [mapInto(outType.shape as number[], outType.dtype, [a, b], (o, n, s, dst, pos) => {
      const da = a.storage.data;
      const db = b.storage.data;
      const [oa, ob] = o;
      const [sa, sb] = s;
      for (let i = 0; i < n; i++) dst[pos + i] = f(da[oa + i * sa], db[ob + i * sb]);
    })];
  };
}

export const whereKernel: Kernel = ([c, a, b], _attrs, [outType]) => [
  mapInto(outType.shape as number[], outType.dtype, [c, a, b], (o, n, s, dst, pos) => {
    const dc = c.storage.data;
    const da = a.storage.data;
    const db = b.storage.data;
    for (let i = 0; i < n; i++) dst[pos + i] = dc[o[0] + i * s[0]] !== 0 ? da[o[1] + i * s[1]] : db[o[2] + i * s[2]];
  }),
];

type Row = (offsets: number[], count: number, strides: number[], dst: Tensor['storage']['data'], pos: number) => void;

/** A new tensor of `shape` filled row by row from operands broadcast to `shape`. */
function mapInto(shape: number[], dtype: DType, inputs: readonly Tensor[], row: Row): Tensor {
  const out = Tensor.empty(shape, dtype, inputs[0].device);
  const dst = out.storage.data;
  let pos = 0;
  forEachRow(shape, inputs.map((t) => operand(t, shape)), (o, n, s) => {
    row(o, n, s, dst, pos);
    pos += n;
  });
  return out;
}
