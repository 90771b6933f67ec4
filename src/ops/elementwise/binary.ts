/**
 * @file Binary arithmetic ops with NumPy broadcasting. Gradients are summed back to each
 * input's shape (sumToShape), so a bias broadcast over a batch gets the batch's total.
 */
import { binaryKernel } from '../../kernels/reference/elementwise.js';
import { registerKernel } from '../../kernels/registry.js';
import { DTypeError } from '../../errors.js';
import { broadcastShapes } from '../../tensor/broadcast.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { binaryOperands, checkTensor } from '../convert.js';
import { apply1 } from '../dispatch.js';
import { sumToShape } from '../gradUtil.js';
import { type OpFlags, type OpName, type OpSchema, type RuleContext, defineOp, needsGrad } from '../schema.js';
import { cast } from './cast.js';
import { eq, gt } from './compare.js';
import { log, neg } from './unary.js';
import { where } from './where.js';

type NoAttrs = Record<string, never>;
declare module '../schema.js' {
  interface OpAttrMap {
    add: NoAttrs; sub: NoAttrs; mul: NoAttrs; div: NoAttrs; pow: NoAttrs; maximum: NoAttrs; minimum: NoAttrs;
  }
}
type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';
type Ctx = RuleContext<NoAttrs>;

/** Output type of a broadcasting binary op whose operands share a dtype. */
export function inferBinary(op: string, [a, b]: readonly TensorType[], numericOnly = true): TensorType[] {
  if (a.dtype !== b.dtype) throw new DTypeError(op, 'other', `${a.dtype} (the dtype of self)`, b.dtype);
  if (numericOnly && a.dtype === 'bool') throw new DTypeError(op, 'self', 'a numeric dtype', 'bool');
  return [{ shape: broadcastShapes(op, a.shape, b.shape), dtype: a.dtype }];
}

/** The part of `g` (the output's gradient times `local`) that belongs to input i. */
const toInput = (ctx: Ctx, i: number, local: Tensor): Tensor => sumToShape(local, ctx.inputs[i].shape);

/** max/min gradient mask: 1 where this input won, ½ on ties (as PyTorch splits them). */
const winnerMask = (a: Tensor, b: Tensor): Tensor => add(cast(gt(a, b), a.dtype), mul(cast(eq(a, b), a.dtype), 0.5));

/** Per op: the local gradient for each input (computed only for inputs that need one), and the JVP. */
interface ArithRule {
  readonly grads: readonly [(ctx: Ctx, g: Tensor) => Tensor, (ctx: Ctx, g: Tensor) => Tensor];
  readonly jvp: NonNullable<OpSchema<'add'>['jvp']>;
  readonly flags: OpFlags;
}

const RULES: Record<ArithOp, ArithRule> = {
  add: { grads: [(_c, g) => g, (_c, g) => g], jvp: (_ctx, [ta, tb]) => [add(ta, tb)], flags: { commutative: true } },
  sub: { grads: [(_c, g) => g, (_c, g) => neg(g)], jvp: (_ctx, [ta, tb]) => [sub(ta, tb)], flags: {} },
  mul: {
    grads: [(c, g) => mul(g, c.inputs[1]), (c, g) => mul(g, c.inputs[0])],
    jvp: ({ inputs: [a, b] }, [ta, tb]) => [add(mul(ta, b), mul(a, tb))],
    flags: { commutative: true },
  },
  div: {
    grads: [(c, g) => div(g, c.inputs[1]), (c, g) => neg(div(mul(g, c.outputs[0]), c.inputs[1]))],
    jvp: ({ inputs: [, b], outputs: [y] }, [ta, tb]) => [div(sub(ta, mul(y, tb)), b)],
    flags: {},
  },
  pow: {
    grads: [(c, g) => mul(g, dPowDBase(c)), (c, g) => mul(g, dPowDExponent(c))],
    jvp: (ctx, [ta, tb]) => [add(mul(ta, dPowDBase(ctx)), mul(tb, dPowDExponent(ctx)))],
    flags: {},
  },
  maximum: {
    grads: [(c, g) => mul(g, winnerMask(c.inputs[0], c.inputs[1])), (c, g) => mul(g, winnerMask(c.inputs[1], c.inputs[0]))],
    jvp: ({ inputs: [a, b] }, [ta, tb]) => [add(mul(ta, winnerMask(a, b)), mul(tb, winnerMask(b, a)))],
    flags: { commutative: true },
  },
  minimum: {
    grads: [(c, g) => mul(g, winnerMask(c.inputs[1], c.inputs[0])), (c, g) => mul(g, winnerMask(c.inputs[0], c.inputs[1]))],
    jvp: ({ inputs: [a, b] }, [ta, tb]) => [add(mul(ta, winnerMask(b, a)), mul(tb, winnerMask(a, b)))],
    flags: { commutative: true },
  },
};

/** d(a^b)/da = b·a^(b−1). */
const dPowDBase = ({ inputs: [a, b] }: Ctx): Tensor => mul(b, pow(a, sub(b, 1)));
/** d(a^b)/db = a^b·ln a, taken as 0 where a = 0 (PyTorch's convention, so x^0 at 0 stays finite). */
const dPowDExponent = ({ inputs: [a], outputs: [y] }: Ctx): Tensor => where(eq(a, 0), 0, mul(y, log(a)));

for (const [name, rule] of Object.entries(RULES) as [ArithOp, ArithRule][]) {
  defineOp({
    name,
    inputs: ['self', 'other'],
    infer: (ins) => inferBinary(name, ins),
    vjp: (ctx, [g]) => rule.grads.map((local, i) => (needsGrad(ctx, i) ? toInput(ctx, i, local(ctx, g)) : null)),
    jvp: rule.jvp,
    fusion: 'injective',
    flags: rule.flags,
  });
  registerKernel(name, { backend: 'reference', kernel: binaryKernel(name) });
}

export type Operand = Tensor | number;

function binary(op: ArithOp & OpName, a: Operand, b: Operand): Tensor {
  const [x, y] = binaryOperands(op, a, b, cast);
  return apply1(op, [x, y], {});
}

export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
/** True division: integer inputs divide in float32, as in PyTorch and NumPy. */
export const div = (a: Operand, b: Operand): Tensor => {
  const [x, y] = binaryOperands('div', a, b, cast);
  return x.dtype === 'int32' || x.dtype === 'bool' ? binary('div', cast(x, 'float32'), cast(y, 'float32')) : apply1('div', [x, y], {});
};
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', a, b);
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', a, b);
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', a, b);
/** `x` clamped to [lo, hi]; either bound may be omitted. */
export function clamp(x: Tensor, lo?: number | null, hi?: number | null): Tensor {
  checkTensor('clamp', 'self', x);
  let y = x;
  if (lo !== undefined && lo !== null) y = maximum(y, lo);
  if (hi !== undefined && hi !== null) y = minimum(y, hi);
  return y;
}
