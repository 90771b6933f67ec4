/**
 * @file The fused-kernel generator: a FusedProgram (elementwise steps over numbered slots)
 * becomes one JS function that computes every step per element in a single loop, so a chain
 * of n ops reads and writes memory once instead of n times.
 *
 * The source is assembled from the templates (templates.ts), fixed code, and integers (slot
 * and operand indices); the program is validated first (known ops, integer indices in range,
 * known dtypes), so nothing else can reach it (DESIGN.md's safety rule for generated code).
 * Scalar operands are arguments of the kernel, never pasted numbers.
 */
import { FlowgradError } from '../../errors.js';
import { DTYPES, type DType, type TypedArray } from '../../tensor/dtype.js';
import { canFuseOp, fusedTemplateOf } from './templates.js';

/** One elementwise op: operands are slots (inputs first, then earlier steps' results). */
export interface FusedStep {
  readonly op: string;
  readonly args: readonly number[];
  /** The dtype of the result. */
  readonly dtype: DType;
}

/**
 * A fused kernel's program. Slots 0 … inputs.length − 1 are the inputs; slot inputs.length + k
 * is step k's result; `outputs` lists the slots written out (each a step's result).
 */
export interface FusedProgram {
  readonly inputs: readonly DType[];
  readonly steps: readonly FusedStep[];
  readonly outputs: readonly number[];
}

/**
 * How each input is read along the loop: 'c' loop-invariant (stride 0: read once), 'u' unit
 * stride, 's' any other stride. A kernel is generated per pattern it meets.
 */
export type AccessPattern = string;

/**
 * A generated row function: for i in [0, n), reads input k at offsets[k] + i·strides[k] and
 * writes output j at pos + i.
 */
export type RowFunction = (data: readonly TypedArray[], offsets: readonly number[], strides: readonly number[], outs: readonly TypedArray[], pos: number, n: number) => void;

const isIndex = (x: unknown, below: number): x is number => Number.isInteger(x) && (x as number) >= 0 && (x as number) < below;

/** Throws a FlowgradError naming the first thing wrong with `p`; the program is then safe to generate. */
export function validateProgram(p: FusedProgram): void {
  const fail = (what: string): never => {
    throw new FlowgradError(`fused kernel: ${what}`);
  };
  if (!Array.isArray(p.inputs) || p.inputs.length === 0) fail('a program needs at least one input');
  p.inputs.forEach((d, i) => {
    if (!DTYPES.includes(d)) fail(`input ${i} has unknown dtype ${String(d)}`);
  });
  const dtypes: DType[] = [...p.inputs];
  p.steps.forEach((s, k) => {
    if (typeof s.op !== 'string' || !fusedTemplateOf(s.op)) fail(`step ${k}: op ${JSON.stringify(String(s.op))} has no fused template`);
    if (!DTYPES.includes(s.dtype)) fail(`step ${k} (${s.op}): unknown result dtype ${String(s.dtype)}`);
    if (!Array.isArray(s.args) || !s.args.every((a) => isIndex(a, dtypes.length))) fail(`step ${k} (${s.op}): operands must be earlier slots`);
    if (!canFuseOp(s.op, s.args.map((a) => dtypes[a]), s.dtype)) fail(`step ${k}: ${s.op} of ${s.args.map((a) => dtypes[a]).join(', ')} giving ${s.dtype} has no fused template`);
    dtypes.push(s.dtype);
  });
  if (!Array.isArray(p.outputs) || p.outputs.length === 0) fail('a program needs at least one output');
  p.outputs.forEach((o, j) => {
    if (!isIndex(o, dtypes.length) || o < p.inputs.length) fail(`output ${j} must be a step's result`);
  });
}

/** The dtype of each slot of a (validated) program. */
export const slotDtypes = (p: FusedProgram): DType[] => [...p.inputs, ...p.steps.map((s) => s.dtype)];

function rounding(dtype: DType): (expr: string) => string {
  if (dtype === 'float32') return (e) => `Math.fround(${e})`;
  if (dtype === 'int32') return (e) => `(${e} | 0)`;
  return (e) => e;
}

/**
 * The body of the row function of `p` for an access pattern (one letter per input). Steps that
 * read only loop-invariant values are computed once, before the loop.
 */
export function fusedSource(p: FusedProgram, pattern: AccessPattern): string {
  validateProgram(p);
  if (pattern.length !== p.inputs.length || !/^[cus]*$/.test(pattern)) throw new FlowgradError(`fused kernel: bad access pattern ${JSON.stringify(pattern)}`);
  const nIn = p.inputs.length;
  const dtypes = slotDtypes(p);
  const name = (slot: number): string => (slot < nIn ? `a${slot}` : `v${slot - nIn}`);
  const invariant = dtypes.map((_, slot) => slot < nIn && pattern[slot] === 'c');
  const head: string[] = [];
  const loop: string[] = [];
  for (let k = 0; k < nIn; k++) {
    head.push(`const d${k} = data[${k}];`);
    if (pattern[k] === 'c') head.push(`const a${k} = d${k}[offsets[${k}]];`);
    else if (pattern[k] === 'u') {
      head.push(`const o${k} = offsets[${k}];`);
      loop.push(`const a${k} = d${k}[o${k} + i];`);
    } else {
      head.push(`let p${k} = offsets[${k}]; const s${k} = strides[${k}];`);
      loop.push(`const a${k} = d${k}[p${k}]; p${k} += s${k};`);
    }
  }
  p.steps.forEach((s, k) => {
    const slot = nIn + k;
    const template = fusedTemplateOf(s.op)!;
    const round = rounding(s.dtype);
    const expr = template.expr({ args: s.args.map(name), operands: s.args.map((a) => dtypes[a]), result: s.dtype, round });
    const line = `const ${name(slot)} = ${template.exact ? expr : round(expr)};`;
    invariant[slot] = s.args.every((a) => invariant[a]);
    (invariant[slot] ? head : loop).push(line);
  });
  p.outputs.forEach((slot, j) => {
    head.push(`const r${j} = outs[${j}];`);
    loop.push(`r${j}[pos + i] = ${name(slot)};`);
  });
  return [...head, 'for (let i = 0; i < n; i++) {', ...loop.map((l) => `  ${l}`), '}'].join('\n');
}

/** Compiles the row function of `p` for `pattern`. */
export function generateRowFunction(p: FusedProgram, pattern: AccessPattern): RowFunction {
  // The source holds only template code, generated names and integers (see the file comment).
  return new Function('data', 'offsets', 'strides', 'outs', 'pos', 'n', fusedSource(p, pattern)) as RowFunction;
}
