/** @file Value: a typed SSA value in a Graph, produced by one Node (or a graph input). */
import type { TensorType } from '../tensor/type.js';
import type { Node } from './node.js';

export class Value {
  constructor(
    /** Unique within its graph; printed as `%id` (or `%name` for named inputs). */
    readonly id: number,
    readonly type: TensorType,
    /** The node that produces it, or null for a graph input. */
    readonly producer: Node | null = null,
    /** A readable name for graph inputs (`%x`), if any. */
    readonly name?: string,
  ) {}
}
