/**
 * @file Unary elementwise ops. Each row states the op's derivative once; the VJP multiplies
 * the incoming gradient by it and the JVP multiplies the tangent by it, both written with
 * ops so that they are differentiable again.
 */
import { unaryKernel } from '../../kernels/reference/elementwise.js';
import { registerKernel } from '../../kernels/registry.js';
import { DTypeError } from '../../errors.js';
import { isFloating, toFloating } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { type RuleContext, defineOp } from '../schema.js';
import { cast } from './cast.js';
import { mul, div, sub } from './binary.js';
import { gt } from './compare.js';

type NoAttrs = Record<string, never>;

declare module '../schema.js' {
  interface OpAttrMap {
    neg: NoAttrs; abs: NoAttrs; exp: NoAttrs; log: NoAttrs; sqrt: NoAttrs; sin: NoAttrs;
    cos: NoAttrs; tanh: NoAttrs; sigmoid: NoAttrs; relu: NoAttrs; sign: NoAttrs;
  }
}

export type UnaryOp = 'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu' | 'sign';

interface UnaryRow {
  /** Whether int and bool inputs are first converted to float32 (exp of an int is a float). */
  readonly floating: boolean;
  /** dy/dx from the op's input x and output y; null for ops whose gradient is zero. */
  readonly derivative: ((x: Tensor, y: Tensor) => Tensor) | null;
}

const UNARY: Record<UnaryOp, UnaryRow> = {
  neg: { floating: false, derivative: null },
  abs: { floating: false, derivative: (x) => sign(x) },
  exp: { floating: true, derivative: (_x, y) => y },
  log: { floating: true, derivative: (x) => div(1, x) },
  sqrt: { floating: true, derivative: (_x, y) => div(0.5, y) },
  sin: { floating: true, derivative: (x) => cos(x) },
  cos: { floating: true, derivative: (x) => neg(sin(x)) },
  tanh: { floating: true, derivative: (_x, y) => sub(1, mul(y, y)) },
  // y·(1−y) needs only the forward output.
  sigmoid: { floating: true, derivative: (_x, y) => mul(y, sub(1, y)) },
  // The gradient at 0 is 0, as in PyTorch (x > 0, not x ≥ 0).
  relu: { floating: false, derivative: (x) => cast(gt(x, 0), x.dtype) },
  sign: { floating: false, derivative: null },
};

function chain(op: UnaryOp, ctx: RuleContext<NoAttrs>, g: Tensor): Tensor {
  if (op === 'neg') return neg(g);
  const d = UNARY[op].derivative;
  return d ? mul(g, d(ctx.inputs[0], ctx.outputs[0])) : mul(g, 0);
}

for (const [name, row] of Object.entries(UNARY) as [UnaryOp, UnaryRow][]) {
  defineOp({
    name,
    inputs: ['x'],
    infer: ([x]) => {
      if (row.floating && !isFloating(x.dtype)) throw new DTypeError(name, 'x', 'float32 or float64', x.dtype);
      if (x.dtype === 'bool') throw new DTypeError(name, 'x', 'a numeric dtype', 'bool');
      return [{ shape: x.shape, dtype: x.dtype }];
    },
    vjp: (ctx, [g]) => [chain(name, ctx, g)],
    jvp: (ctx, [t]) => [chain(name, ctx, t)],
    fusion: 'injective',
    flags: {},
  });
  registerKernel(name, { backend: 'reference', kernel: unaryKernel(name) });
}

function unary(op: UnaryOp, x: Tensor): Tensor {
  checkTensor(op, 'self', x);
  const input = UNARY[op].floating ? cast(x, toFloating(x.dtype)) : x;
  return apply1(op, [input], {});
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const sin = (x: Tensor): Tensor => unary('sin', x);
export const cos = (x: Tensor): Tensor => unary('cos', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);

/** x² (as mul, so it shares mul's kernels and rules). */
export const square = (x: Tensor): Tensor => mul(checkTensor('square', 'self', x), x);
/** 1 / x. */
export const reciprocal = (x: Tensor): Tensor => div(1, checkTensor('reciprocal', 'self', x));
