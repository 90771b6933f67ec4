/**
 * @file What the rewritten code calls (`__ag.ifStmt`, …; see rewrite.ts). Each helper looks
 * at the condition when it runs: a traced tensor builds a graph control-flow op (fg.cond,
 * fg.whileLoop) whose branches or body are the converted blocks; a JS value or a concrete
 * tensor runs the block as plain JS, so converted code also runs eagerly and on constants.
 *
 * Variables the blocks read or assign arrive as arguments. Tensors among them become the
 * control-flow op's operands or carry; other values (numbers, modules, functions) stay fixed,
 * except that a number a traced loop assigns becomes a scalar tensor (a graph loop can only
 * carry tensors, as in JAX).
 */
import { FlowgradError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { scalar } from '../../ops/convert.js';
import { eq, ge, gt, le, lt, ne } from '../../ops/elementwise/compare.js';
import { where } from '../../ops/elementwise/where.js';

/** The control-flow ops of API.md, as src/control exports them. */
export interface ControlFlowOps {
  cond(pred: Tensor, trueFn: (...operands: Tensor[]) => unknown, falseFn: (...operands: Tensor[]) => unknown, ...operands: Tensor[]): unknown;
  whileLoop(condFn: (carry: Tensor[]) => Tensor, bodyFn: (carry: Tensor[]) => Tensor[], initVals: Tensor[]): Tensor[];
}

const isTraced = (v: unknown): v is Tensor => v instanceof Tensor && v.trace !== null;

const fail = (line: number, message: string): FlowgradError => new FlowgradError(`jit (source mode), line ${line} of the function: ${message}`);

/** A JS truth value for a condition that is not traced: a one-element tensor reads as its value. */
function truth(v: unknown, line: number, what: string): boolean {
  if (!(v instanceof Tensor)) return Boolean(v);
  if (v.size !== 1) throw fail(line, `the condition of ${what} is a tensor of shape [${v.shape.join(', ')}]; a condition must have one element (use .any() or .all())`);
  return Boolean(v.item());
}

/** A block result as a tensor: numbers become scalar tensors; anything else is an error naming the variable. */
function asTensor(v: unknown, name: string, line: number, what: string): Tensor {
  if (v instanceof Tensor) return v;
  // JS has no integer literals: 0 and 0.5 alike become float32, the default dtype.
  if (typeof v === 'number') return scalar(v, 'float32', 'cpu');
  if (typeof v === 'boolean') return scalar(Number(v), 'bool', 'cpu');
  const got = v === undefined ? 'no value (it is assigned on only one path, or only inside)' : `a ${typeof v}`;
  throw fail(line, `'${name}' must be a tensor after ${what} on a traced condition, but has ${got}`);
}

/** Calls `block` with `vals`, the tensor positions replaced by `operands`. */
function withOperands(vals: readonly unknown[], positions: readonly number[], operands: readonly Tensor[]): unknown[] {
  const full = [...vals];
  positions.forEach((p, k) => (full[p] = operands[k]));
  return full;
}

const tensorPositions = (vals: readonly unknown[]): number[] => vals.flatMap((v, i) => (v instanceof Tensor ? [i] : []));

const COMPARE = { '>': gt, '<': lt, '>=': ge, '<=': le, '===': eq, '==': eq, '!==': ne, '!=': ne } as const;

/** A condition value as a bool tensor (traced operands of && / || / !). */
const asBool = (v: unknown): Tensor => (v instanceof Tensor ? (v.dtype === 'bool' ? v : ne(v, 0)) : scalar(Number(Boolean(v)), 'bool', 'cpu'));

/** The helpers of converted conditions (rewrite.ts convertTest). */
const conditions = {
  /** `a op b`: a tensor comparison if either side is a tensor, else JS's. */
  cmp(op: keyof typeof COMPARE, a: unknown, b: unknown): unknown {
    if (a instanceof Tensor || b instanceof Tensor) {
      if ((typeof a !== 'number' && !(a instanceof Tensor)) || (typeof b !== 'number' && !(b instanceof Tensor))) {
        throw new FlowgradError(`jit (source mode): cannot compare a tensor with ${typeof (a instanceof Tensor ? b : a)} using ${op}`);
      }
      return COMPARE[op](a as Tensor | number, b as Tensor | number);
    }
    switch (op) {
      case '>': return (a as number) > (b as number);
      case '<': return (a as number) < (b as number);
      case '>=': return (a as number) >= (b as number);
      case '<=': return (a as number) <= (b as number);
      case '===': return a === b;
      case '==': return a == b;
      case '!==': return a !== b;
      case '!=': return a != b;
    }
  },
  /** `a && b`: JS short-circuit, unless a is traced (then both sides, as a bool tensor). */
  and(a: unknown, b: () => unknown): unknown {
    if (!isTraced(a)) return truthy(a) ? b() : a;
    return where(asBool(a), asBool(b()), asBool(false));
  },
  or(a: unknown, b: () => unknown): unknown {
    if (!isTraced(a)) return truthy(a) ? a : b();
    return where(asBool(a), asBool(true), asBool(b()));
  },
  not(a: unknown): unknown {
    return isTraced(a) ? eq(asBool(a), 0) : !truthy(a);
  },
  /** `t.item()` in a condition: a traced tensor stays a tensor, so the comparison around it is a graph op. */
  item(x: unknown): unknown {
    if (isTraced(x)) return x;
    return (x as { item(): unknown }).item();
  },
};

/** JS truth, except that a one-element concrete tensor reads as its value. */
const truthy = (v: unknown): boolean => (v instanceof Tensor && v.size === 1 ? Boolean(v.item()) : Boolean(v));

export function sourceRuntime(ops: ControlFlowOps) {
  /** A branch pair over the tensor-valued variables, through fg.cond. */
  const condOver = (test: Tensor, yes: Block, no: Block, vals: readonly unknown[], finish: (result: unknown) => unknown): unknown => {
    const positions = tensorPositions(vals);
    const wrap = (block: Block) => (...operands: Tensor[]) => finish(block(...withOperands(vals, positions, operands)));
    return ops.cond(test, wrap(yes), wrap(no), ...positions.map((p) => vals[p] as Tensor));
  };

  return {
    ...conditions,
    /** `if` that assigns `names`: returns their new values. */
    ifStmt(test: unknown, yes: Block, no: Block, vals: unknown[], names: string[], line: number): unknown[] {
      if (!isTraced(test)) return (truth(test, line, 'the if') ? yes : no)(...vals) as unknown[];
      if (names.length === 0) throw fail(line, 'this if tests a traced tensor but assigns no variable, so it has no effect in a graph');
      const out = condOver(test, yes, no, vals, (r) => (r as unknown[]).map((v, i) => asTensor(v, names[i], line, 'the if')));
      return Array.isArray(out) ? out : [out];
    },

    /** `if` whose branches both return: returns the taken branch's value. */
    ifReturn(test: unknown, yes: Block, no: Block, vals: unknown[], line: number): unknown {
      if (!isTraced(test)) return (truth(test, line, 'the if') ? yes : no)(...vals);
      return condOver(test, yes, no, vals, (r) => (Array.isArray(r) ? r.map((v) => asTensor(v, 'the returned value', line, 'the if')) : asTensor(r, 'the returned value', line, 'the if')));
    },

    /** `test ? a : b`. */
    ternary(test: unknown, yes: Block, no: Block, vals: unknown[], line: number): unknown {
      if (!isTraced(test)) return (truth(test, line, 'the ?:') ? yes : no)(...vals);
      return condOver(test, yes, no, vals, (r) => asTensor(r, 'the value of ?:', line, 'the ?:'));
    },

    /** `while`: runs the loop over `vals` (every variable it reads or assigns); returns those at `written`. */
    whileStmt(test: Block, body: Block, vals: unknown[], names: string[], written: number[], line: number): unknown[] {
      const first = test(...vals);
      if (!isTraced(first)) {
        let current = vals;
        for (let go = truth(first, line, 'the while'); go; ) {
          current = body(...current) as unknown[];
          const next = test(...current);
          if (isTraced(next)) throw fail(line, 'the while condition became a traced tensor after the loop had started on a JS value; make it a tensor from the start');
          go = truth(next, line, 'the while');
        }
        return written.map((i) => current[i]);
      }
      // The carry: every tensor, plus the numbers the loop assigns (as scalar tensors).
      const carry = vals.map((v, i) => (written.includes(i) && !(v instanceof Tensor) ? asTensor(v, names[i], line, 'the while loop') : v));
      const positions = tensorPositions(carry);
      const full = (c: Tensor[]) => withOperands(carry, positions, c);
      const final = ops.whileLoop(
        (c) => test(...full(c)) as Tensor,
        (c) => {
          const next = body(...full(c)) as unknown[];
          return positions.map((p) => asTensor(next[p], names[p], line, 'the while loop body'));
        },
        positions.map((p) => carry[p] as Tensor),
      );
      const result = withOperands(carry, positions, final);
      return written.map((i) => result[i]);
    },
  };
}

type Block = (...vals: unknown[]) => unknown;

export type SourceRuntime = ReturnType<typeof sourceRuntime>;
