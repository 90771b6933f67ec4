/**
 * @file Which constants a pass may treat as fixed numbers (DESIGN.md "passes"; docs/passes.md).
 *
 * A constant is *literal* (foldable, mergeable by value, matched by `lit` patterns) unless
 *   - it is marked `captured=true`: tracing captured a tensor from outside the traced
 *     function (a parameter) by reference, and an optimizer updates it in place between
 *     runs, so the next run must read the new values; or
 *   - a side-effecting node writes its storage (runningStatUpdate on a buffer), directly or
 *     through views: its value changes while the graph runs.
 * Values whose storage a side-effecting node writes are *written*: CSE does not merge their
 * readers, since two reads on either side of the write may see different numbers.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Value } from '../ir/value.js';
import { schemaOf } from '../ops/schema.js';
import { Tensor } from '../tensor/tensor.js';

export const isConstant = (n: Node | null): boolean => n !== null && n.op === 'constant';

/** Whether tracing marked this constant as captured from outside the traced function. */
export const isCapturedConstant = (n: Node): boolean => n.op === 'constant' && n.attrs.captured === true;

/** The value whose storage `v` views: back through view ops (reshape, permute, …) to their source. */
export function storageRoot(v: Value): Value {
  let at = v;
  while (at.producer && at.producer.inputs.length > 0 && schemaOf(at.producer.op)?.flags.view) at = at.producer.inputs[0];
  return at;
}

/** What a pass may assume about the constants and written storages of one graph. */
export class ConstantPolicy {
  /** Storage roots that a side-effecting node reads (and so may write). */
  private readonly writtenRoots = new Set<Value>();
  /** Tensors of constants whose storage is written while the graph runs (kept by tensor, so copies of the node count too). */
  private readonly writtenTensors = new Set<Tensor>();

  constructor(g: Graph) {
    for (const n of g.nodes) {
      if (!schemaOf(n.op)?.flags.sideEffecting) continue;
      for (const v of n.inputs) {
        const root = storageRoot(v);
        this.writtenRoots.add(root);
        const value = root.producer?.op === 'constant' ? root.producer.attrs.value : undefined;
        if (value instanceof Tensor) this.writtenTensors.add(value);
      }
    }
  }

  /** Whether `v` (of the policy's graph) views storage that a side-effecting node writes. */
  isWritten(v: Value): boolean {
    return this.writtenRoots.size > 0 && this.writtenRoots.has(storageRoot(v));
  }

  /** Whether constant node `n` (of this graph, or a copy of one) holds a literal: fixed numbers. */
  isLiteral(n: Node): boolean {
    const value = n.attrs.value;
    return n.op === 'constant' && !isCapturedConstant(n) && value instanceof Tensor && !this.writtenTensors.has(value);
  }

  /** The tensor of `v` if a literal constant produces it, else null. */
  literalOf(v: Value): Tensor | null {
    const p = v.producer;
    return p !== null && this.isLiteral(p) ? (p.attrs.value as Tensor) : null;
  }
}
