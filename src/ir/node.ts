/** @file Node: one op application in a Graph. */
import type { Tensor } from '../tensor/tensor.js';
import type { Graph } from './graph.js';
import type { Value } from './value.js';

/** Attribute values: JSON-like data, dtype names, and constant tensors (the `constant` op). */
export type AttrValue = number | boolean | string | null | Tensor | readonly AttrValue[] | { readonly [key: string]: AttrValue };

export class Node {
  /** Filled by Graph when outputs are created. */
  outputs: Value[] = [];

  constructor(
    /** Op name, a key of the op registry (e.g. 'mul'), or a graph-only op such as 'constant'. */
    readonly op: string,
    readonly inputs: readonly Value[],
    readonly attrs: Readonly<Record<string, AttrValue>>,
    /** Device placement ('cpu:0'), or undefined for the default device. */
    readonly device: string | undefined = undefined,
    /** The user's file:line that created this node, when known. */
    readonly source: string | undefined = undefined,
    /** Nodes that must run before this one although no value flows between them. */
    readonly controlDeps: readonly Node[] = [],
    /** Bodies of control-flow ops (cond branches, loop bodies). */
    readonly subgraphs: readonly Graph[] = [],
  ) {}
}
