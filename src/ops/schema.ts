/**
 * @file OpSchema: everything flowgrad knows about an op, in one record.
 *
 * Each op file declares its attributes by augmenting `OpAttrMap`, so the op names, the
 * attribute types and the schema table are checked together by the compiler:
 *
 *     declare module '../schema.js' { interface OpAttrMap { sum: ReduceAttrs } }
 *     export const sumOp = defineOp({ name: 'sum', … });
 */
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';

/** Attribute types per op name; op files add their entries by declaration merging. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OpAttrMap {}
export type OpName = keyof OpAttrMap & string;

/** TVM's fusion classes: what a fusion pass may merge an op with. */
export type FusionClass = 'injective' | 'reduction' | 'complexOutFusable' | 'opaque';

export interface OpFlags {
  /** add(a, b) = add(b, a): CSE canonicalises the operand order. */
  readonly commutative?: boolean;
  /** Draws from the random generator: never folded or merged by CSE. */
  readonly random?: boolean;
  /** Writes state outside its outputs: never removed by DCE. */
  readonly sideEffecting?: boolean;
  /** The output aliases the first input's storage (reshape, transpose, slice, …). */
  readonly view?: boolean;
}

/** What a VJP or JVP rule may read: the op's inputs, its outputs and its attributes. */
export interface RuleContext<A> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
  /** Which inputs need a gradient (every one when absent): rules may skip the others. */
  readonly needsGrad?: readonly boolean[];
}

/** Whether a VJP rule must compute input i's gradient. */
export const needsGrad = (ctx: RuleContext<unknown>, i: number): boolean => ctx.needsGrad?.[i] ?? true;

export interface OpSchema<K extends OpName = OpName> {
  readonly name: K;
  /** Input names, used in error messages and the printed IR. `variadic`: one name, any count. */
  readonly inputs: readonly string[];
  readonly variadic?: boolean;
  /**
   * Output types from input types, over concrete or symbolic shapes. It validates the
   * inputs and attributes and throws a FlowgradError naming the op and argument.
   */
  readonly infer: (inputs: readonly TensorType[], attrs: OpAttrMap[K]) => TensorType[];
  /**
   * Vector-Jacobian product written with ops, so it is differentiable again.
   * Gets one gradient per output and returns one per input (null: no gradient).
   * Absent means the op is not differentiable (comparisons, argmax).
   */
  readonly vjp?: (ctx: RuleContext<OpAttrMap[K]>, grads: readonly Tensor[]) => readonly (Tensor | null)[];
  /** Jacobian-vector product written with ops; gets one tangent per input (zeros where none). */
  readonly jvp?: (ctx: RuleContext<OpAttrMap[K]>, tangents: readonly Tensor[]) => readonly Tensor[];
  readonly fusion: FusionClass;
  readonly flags: OpFlags;
}

const schemas = new Map<string, OpSchema<any>>();

export function defineOp<K extends OpName>(schema: OpSchema<K>): OpSchema<K> {
  if (schemas.has(schema.name)) throw new Error(`internal: op '${schema.name}' defined twice`);
  schemas.set(schema.name, schema);
  return schema;
}

export function schemaOf(name: string): OpSchema<any> | undefined {
  return schemas.get(name);
}

/** Every registered op, for the op table tests and the IR parser. */
export const allSchemas = (): readonly OpSchema<any>[] => [...schemas.values()];
