/**
 * @file Ops that exist only in graphs ('constant', later the control-flow ops), and the one
 * place that answers "what types does this node produce?" for any op: graph-only ops first,
 * then the op registry. Also the per-op verifier table for checks the schema cannot make
 * (subgraph arity of cond/whileLoop).
 */
import { FlowgradError, ValueError } from '../errors.js';
import { schemaOf } from '../ops/schema.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import type { Graph } from './graph.js';
import type { AttrValue, Node } from './node.js';

export type Attrs = Readonly<Record<string, AttrValue>>;

/** An op known only to the IR: its output types from inputs, attrs and subgraphs. */
export interface GraphOpDef {
  readonly name: string;
  /** Output types; validates inputs, attrs and subgraphs and throws a FlowgradError naming the op. */
  readonly infer: (inputs: readonly TensorType[], attrs: Attrs, subgraphs: readonly Graph[]) => TensorType[];
}

const graphOps = new Map<string, GraphOpDef>();

/** Registers a graph-only op (it must not clash with an op of the registry). */
export function defineGraphOp(def: GraphOpDef): GraphOpDef {
  if (graphOps.has(def.name) || schemaOf(def.name)) throw new Error(`internal: op '${def.name}' defined twice`);
  graphOps.set(def.name, def);
  return def;
}

export const graphOpOf = (name: string): GraphOpDef | undefined => graphOps.get(name);

/** Whether `op` names a graph-only op or an op of the registry. */
export const isKnownOp = (op: string): boolean => graphOps.has(op) || schemaOf(op) !== undefined;

/**
 * Checks a node beyond its types: called by the verifier with the node; throws a
 * FlowgradError saying what is wrong. Control-flow ops register one to check their
 * subgraphs' arity and types; a node with subgraphs whose op has none is rejected.
 */
export type NodeVerifier = (node: Node) => void;
const nodeVerifiers = new Map<string, NodeVerifier>();

export function registerNodeVerifier(op: string, verifier: NodeVerifier): void {
  nodeVerifiers.set(op, verifier);
}

export const nodeVerifierOf = (op: string): NodeVerifier | undefined => nodeVerifiers.get(op);

/**
 * The output types of `op` applied to inputs of `inputTypes`: checks the op exists and its
 * arity, then asks its schema. Errors are FlowgradErrors (an infer that crashes on hostile
 * attrs is reported as one too).
 */
export function inferOutputTypes(op: string, inputTypes: readonly TensorType[], attrs: Attrs, subgraphs: readonly Graph[] = []): TensorType[] {
  const graphOp = graphOps.get(op);
  const schema = graphOp ? undefined : schemaOf(op);
  if (!graphOp && !schema) throw new FlowgradError(`unknown op '${op}'`);
  if (schema) {
    const arity = schema.inputs.length;
    if (schema.variadic ? inputTypes.length < 1 : inputTypes.length !== arity) {
      const expected = schema.variadic ? 'at least 1 input' : `${arity} input${arity === 1 ? '' : 's'} (${schema.inputs.join(', ')})`;
      throw new FlowgradError(`${op}: expected ${expected}, got ${inputTypes.length}`);
    }
  }
  try {
    return graphOp ? graphOp.infer(inputTypes, attrs, subgraphs) : schema!.infer(inputTypes, attrs);
  } catch (e) {
    if (e instanceof FlowgradError) throw e;
    // A schema's infer assumes well-formed attrs; hostile ones may make it crash.
    throw new FlowgradError(`${op}: invalid inputs or attributes (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * `constant`: no inputs; one output, the tensor in attr `value`. `captured=true` marks a
 * tensor captured from outside a traced function (a parameter): it is held by reference and
 * may change between runs, so passes never fold it or merge it by value.
 */
export const constantOp = defineGraphOp({
  name: 'constant',
  infer: (inputs, attrs) => {
    if (inputs.length !== 0) throw new FlowgradError(`constant: expected no inputs, got ${inputs.length}`);
    const extra = Object.keys(attrs).filter((k) => k !== 'value' && k !== 'captured');
    if (extra.length > 0) throw new ValueError('constant', extra[0], 'no attributes but value and captured', attrs[extra[0]]);
    if (attrs.captured !== undefined && attrs.captured !== true) throw new ValueError('constant', 'captured', 'true (or no captured attribute)', attrs.captured);
    const value = attrs.value;
    if (!(value instanceof Tensor) || value.trace) throw new ValueError('constant', 'value', 'a concrete Tensor', value);
    return [{ shape: value.shape, dtype: value.dtype }];
  },
});
