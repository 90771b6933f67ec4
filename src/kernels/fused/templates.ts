/**
 * @file Expression templates of the elementwise ops, from which codegen.ts writes fused
 * kernels. Each template is its op's reference kernel (reference/elementwise.ts, copyAs for
 * cast, the addN kernel) as a JS expression; the generator then rounds each result to its
 * dtype as storing it in a typed array does (Math.fround for float32, `| 0` for int32), so a
 * fused loop gives the unfused reference kernels' numbers bit for bit.
 *
 * Safety (DESIGN.md, "Safety rules for generated code"): the code is this file's. A template
 * is given only the names of variables the generator made (`a0`, `v12`) and dtypes it chose
 * from its own table; no attribute, name or other text of a graph ever reaches it.
 */
import type { DType } from '../../tensor/dtype.js';

/** What a template is applied to. */
export interface TemplateArgs {
  /** Variable names made by the generator, one per operand. */
  readonly args: readonly string[];
  /** The dtypes of the operands and of the result. */
  readonly operands: readonly DType[];
  readonly result: DType;
  /** Wraps an expression so its value is rounded to the result dtype (for templates that round inside). */
  readonly round: (expr: string) => string;
}

export interface FusedTemplate {
  /** Operand count; 'variadic': one or more. */
  readonly arity: number | 'variadic';
  /** Whether it handles these operand and result dtypes (as the op's schema already checked them). */
  readonly accepts: (operands: readonly DType[], result: DType) => boolean;
  readonly expr: (t: TemplateArgs) => string;
  /** The result is one of the operands or 0/±1, already of its dtype: the generator need not round it. */
  readonly exact?: boolean;
}

const numeric = (d: DType): boolean => d !== 'bool';
const floating = (d: DType): boolean => d === 'float32' || d === 'float64';
const any = (): boolean => true;

function unary(f: (a: string) => string, accepts: (d: DType) => boolean, extra: Partial<FusedTemplate> = {}): FusedTemplate {
  return { arity: 1, accepts: ([x]) => accepts(x), expr: ({ args: [a] }) => f(a), ...extra };
}

/** A float op over a binary expression; int32 operands use `int` (reference INT_OVERRIDES). */
function binary(f: (a: string, b: string) => string, int: (a: string, b: string) => string = f, extra: Partial<FusedTemplate> = {}): FusedTemplate {
  return { arity: 2, accepts: ([x]) => numeric(x), expr: ({ args: [a, b], operands: [x] }) => (x === 'int32' ? int(a, b) : f(a, b)), ...extra };
}

// +(boolean) is 1 or 0 without a branch (a data-dependent ternary mispredicts on random data).
const compare = (symbol: string): FusedTemplate => ({ arity: 2, accepts: any, expr: ({ args: [a, b] }) => `+(${a} ${symbol} ${b})`, exact: true });

/** A call of the Math function `name` (a constant of this file) on one operand. */
const mathCall = (name: string) => (a: string) => `Math.${name}(${a})`;

/**
 * x > 0 ? x : 0 without a branch on the sign, which half-negative data mispredicts (4× slower):
 * (x + |x|) / 2 is exact for float32 values held in doubles (2x cannot overflow or lose bits)
 * and +0 for x ≤ 0 (−0 included); only −∞ and NaN, which it would turn to NaN, take the
 * (well-predicted) branch to 0.
 */
const branchlessRelu = (a: string): string => `(${a} > -Infinity ? (${a} + Math.abs(${a})) * 0.5 : 0)`;

const TEMPLATES: Readonly<Record<string, FusedTemplate>> = {
  neg: unary((a) => `(-${a})`, numeric),
  abs: unary(mathCall('abs'), numeric),
  exp: unary(mathCall('exp'), floating),
  log: unary(mathCall('log'), floating),
  sqrt: unary(mathCall('sqrt'), floating),
  sin: unary(mathCall('sin'), floating),
  cos: unary(mathCall('cos'), floating),
  tanh: unary(mathCall('tanh'), floating),
  // Split by sign so exp never overflows, exactly as the reference kernel.
  sigmoid: unary((a) => `(${a} >= 0 ? 1 / (1 + Math.exp(-${a})) : Math.exp(${a}) / (1 + Math.exp(${a})))`, floating),
  relu: { arity: 1, accepts: ([x]) => numeric(x), expr: ({ args: [a], operands: [x] }) => (x === 'float32' ? branchlessRelu(a) : `(${a} > 0 ? ${a} : 0)`), exact: true },
  sign: unary(mathCall('sign'), numeric, { exact: true }),

  add: binary((a, b) => `(${a} + ${b})`),
  sub: binary((a, b) => `(${a} - ${b})`),
  mul: binary((a, b) => `(${a} * ${b})`),
  // Integer division truncates toward zero, and x / 0 is 0 (the reference's int32 override).
  div: binary((a, b) => `(${a} / ${b})`, (a, b) => `(${b} === 0 ? 0 : Math.trunc(${a} / ${b}))`),
  pow: binary((a, b) => `Math.pow(${a}, ${b})`, (a, b) => `Math.trunc(Math.pow(${a}, ${b}))`),
  // NaN wins, and a tie returns the first operand (so maximum(-0, 0) is -0), as the reference.
  maximum: binary((a, b) => `(${a} >= ${b} || ${a} !== ${a} ? ${a} : ${b})`, undefined, { exact: true }),
  minimum: binary((a, b) => `(${a} <= ${b} || ${a} !== ${a} ? ${a} : ${b})`, undefined, { exact: true }),

  eq: compare('==='),
  ne: compare('!=='),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),

  where: { arity: 3, accepts: any, expr: ({ args: [c, a, b] }) => `(${c} !== 0 ? ${a} : ${b})`, exact: true },
  // copyAs: to bool, anything but 0 (NaN included) is true; to int32, truncate (then wrap as Int32Array does).
  cast: {
    arity: 1,
    accepts: any,
    expr: ({ args: [a], result }) => (result === 'bool' ? `+(${a} !== 0)` : result === 'int32' ? `Math.trunc(${a})` : a),
  },
  // The addN kernel accumulates into the output buffer: rounded after every addition.
  addN: {
    arity: 'variadic',
    accepts: ([x]) => numeric(x),
    expr: ({ args, round }) => args.slice(1).reduce((sum, b, k) => `(${k === 0 ? sum : round(sum)} + ${b})`, args[0]),
  },
};

/** The template of `op`, or undefined when the op has none (it is then never fused). */
export function fusedTemplateOf(op: string): FusedTemplate | undefined {
  return Object.hasOwn(TEMPLATES, op) ? TEMPLATES[op] : undefined;
}

/** Whether `op` applied to operands of these dtypes, giving `result`, can run in a fused kernel. */
export function canFuseOp(op: string, operands: readonly DType[], result: DType): boolean {
  const t = fusedTemplateOf(op);
  if (!t || operands.length === 0) return false;
  if (t.arity !== 'variadic' && operands.length !== t.arity) return false;
  return t.accepts(operands, result);
}

/** Names of the ops that have templates (for tests and docs). */
export const fusableOps = (): string[] => Object.keys(TEMPLATES);
