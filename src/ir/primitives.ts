/**
 * @file TensorFlow's control-flow primitives as graph ops (REFERENCE.md §2.5, "The five
 * primitives"): what `lowerControlFlow` turns cond and whileLoop into, and what the dataflow
 * executor runs. Their types are checked here; how they nest into frames is checked by
 * frames.ts (called from the verifier), as it needs the whole graph.
 *
 *     %f, %t = Switch %x, %p          %x on output 1 when %p is true (any value but 0/false), else on output 0;
 *                                     the other output is dead
 *     %m, %i = Merge %a, %b, …        the one live input, and its index (i32[]); dead when all are dead
 *     %e = Enter[frame=while0] %x     %x, moved into the child frame while0 (iteration 0; with
 *                                     isConstant=true, into every iteration: a loop invariant)
 *     %y = Exit %f                    a value of a frame, moved to the parent frame
 *     #9 = NextIteration %next, %m    %next, sent to the Merge that defines %m, in the next iteration
 *
 * NextIteration carries the loop's back edge. It has no result: its second input names the
 * Merge it feeds, so every value is still used after its definition and the node list stays a
 * topological order (the parser, printer, JSON form and passes need nothing new); the cycle
 * NextIteration → Merge exists only in the executor.
 */
import { FlowgradError, ShapeError, ValueError } from '../errors.js';
import { shapeStr, shapesEqual } from '../tensor/shape.js';
import type { TensorType } from '../tensor/type.js';
import { type Attrs, defineGraphOp } from './graphOps.js';
import { formatType } from './printer.js';

export const SWITCH = 'Switch';
export const MERGE = 'Merge';
export const ENTER = 'Enter';
export const EXIT = 'Exit';
export const NEXT_ITERATION = 'NextIteration';

/** The five primitive op names. */
export const PRIMITIVE_OPS: ReadonlySet<string> = new Set([SWITCH, MERGE, ENTER, EXIT, NEXT_ITERATION]);

export const isPrimitive = (op: string): boolean => PRIMITIVE_OPS.has(op);

/** Switch's output that carries the data when the predicate is true (output 0 when false). */
export const SWITCH_TRUE = 1;
export const SWITCH_FALSE = 0;

const copyType = (t: TensorType): TensorType => ({ shape: [...t.shape], dtype: t.dtype });
const sameType = (a: TensorType, b: TensorType): boolean => a.dtype === b.dtype && shapesEqual(a.shape, b.shape);

function checkArity(op: string, inputs: readonly TensorType[], expected: number, what: string): void {
  if (inputs.length !== expected) throw new FlowgradError(`${op}: expected ${expected} input${expected === 1 ? '' : 's'} (${what}), got ${inputs.length}`);
}

function checkNoAttrs(op: string, attrs: Attrs): void {
  const extra = Object.keys(attrs).find((k) => attrs[k] !== undefined);
  if (extra !== undefined) throw new ValueError(op, extra, 'no attributes', attrs[extra]);
}

defineGraphOp({
  name: SWITCH,
  infer: (inputs, attrs) => {
    checkNoAttrs(SWITCH, attrs);
    checkArity(SWITCH, inputs, 2, 'the data and the predicate');
    const [data, pred] = inputs;
    if (pred.shape.length !== 0) throw new ShapeError(SWITCH, 'pred', '[] (a scalar)', shapeStr(pred.shape));
    return [copyType(data), copyType(data)];
  },
});

defineGraphOp({
  name: MERGE,
  infer: (inputs, attrs) => {
    checkNoAttrs(MERGE, attrs);
    if (inputs.length === 0) throw new FlowgradError(`${MERGE}: expected at least 1 input (the values to join), got 0`);
    inputs.forEach((t, i) => {
      if (!sameType(t, inputs[0])) throw new FlowgradError(`${MERGE}: input ${i} has type ${formatType(t)}, input 0 has ${formatType(inputs[0])} (all inputs have one type)`);
    });
    return [copyType(inputs[0]), { shape: [], dtype: 'int32' }];
  },
});

defineGraphOp({
  name: ENTER,
  infer: (inputs, attrs) => {
    const extra = Object.keys(attrs).find((k) => attrs[k] !== undefined && k !== 'frame' && k !== 'isConstant');
    if (extra !== undefined) throw new ValueError(ENTER, extra, 'only the attributes frame and isConstant', attrs[extra]);
    if (typeof attrs.frame !== 'string' || attrs.frame === '') throw new ValueError(ENTER, 'frame', 'the name of the frame entered (a non-empty string)', attrs.frame);
    if (attrs.isConstant !== undefined && typeof attrs.isConstant !== 'boolean') throw new ValueError(ENTER, 'isConstant', 'true or false', attrs.isConstant);
    checkArity(ENTER, inputs, 1, 'the value entering the frame');
    return [copyType(inputs[0])];
  },
});

defineGraphOp({
  name: EXIT,
  infer: (inputs, attrs) => {
    checkNoAttrs(EXIT, attrs);
    checkArity(EXIT, inputs, 1, 'the value leaving the frame');
    return [copyType(inputs[0])];
  },
});

defineGraphOp({
  name: NEXT_ITERATION,
  infer: (inputs, attrs) => {
    checkNoAttrs(NEXT_ITERATION, attrs);
    checkArity(NEXT_ITERATION, inputs, 2, 'the next value and the Merge it feeds');
    const [next, merge] = inputs;
    if (!sameType(next, merge)) throw new FlowgradError(`${NEXT_ITERATION}: the next value has type ${formatType(next)}, the Merge it feeds ${formatType(merge)}`);
    return [];
  },
});

/** Frame name of an Enter node's attrs (validated by its infer). */
export const enterFrame = (attrs: Attrs): string => attrs.frame as string;

/** Whether an Enter node makes a loop invariant (available in every iteration). */
export const isConstantEnter = (attrs: Attrs): boolean => attrs.isConstant === true;
