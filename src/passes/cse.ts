/**
 * @file cse: common-subexpression elimination by hashing (TensorFlow's algorithm,
 * REFERENCE §2.9 "CSE"). Nodes are visited in order; each is keyed by its op, device,
 * attrs, (already merged) inputs, control dependencies and output types, with the two
 * operands of ops flagged commutative sorted, so `add %a, %b` and `add %b, %a` meet (addN
 * over three or more keeps its order: floating-point sums depend on it). A node whose
 * key was seen is replaced by the earlier node; its readers are rewired to it.
 *
 * Never merged: ops flagged random (two draws differ) or sideEffecting, nodes with
 * subgraphs or without results, readers of storage a side-effecting node writes, and
 * constants that are not literal (captured parameters merge only with views of the same
 * memory). Literal constants merge by dtype, shape and exact bits.
 * Invariant: every output computes the same value; the result verifies.
 *
 *     %2 = mul %x, %y;  %3 = mul %y, %x;  %4 = add %2, %3   →   %2 = mul %x, %y;  %4 = add %2, %2
 */
import type { Graph } from '../ir/graph.js';
import type { AttrValue, Node } from '../ir/node.js';
import { attrsEqual } from '../ir/equal.js';
import { formatType } from '../ir/printer.js';
import type { Value } from '../ir/value.js';
import { schemaOf } from '../ops/schema.js';
import type { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { ConstantPolicy, isConstant } from './constants.js';
import { GraphRewriter } from './rewriter.js';

export function cse(g: Graph): Graph {
  const policy = new ConstantPolicy(g);
  const rw = new GraphRewriter(g);
  const position = new Map<Node, number>();
  const seen = new Map<string, Node[]>();
  const identities = new TensorIdentities();
  let changed = false;
  for (const node of g.nodes) {
    const inputs = node.inputs.map((v) => rw.value(v));
    if (mergeable(node, policy)) {
      const key = keyOf(node, inputs, policy, identities, position, rw);
      const same = seen.get(key)?.find((other) => attrsEqual(other.attrs as AttrValue, node.attrs as AttrValue));
      if (same) {
        rw.replace(node, same.outputs);
        changed = true;
        continue;
      }
      const copy = rw.copy(node, inputs);
      seen.set(key, [...(seen.get(key) ?? []), copy]);
      position.set(copy, position.size);
    } else position.set(rw.copy(node, inputs), position.size);
  }
  return changed ? rw.build() : g;
}

function mergeable(node: Node, policy: ConstantPolicy): boolean {
  if (node.outputs.length === 0 || node.subgraphs.length > 0) return false;
  if (isConstant(node)) return node.attrs.value instanceof Tensor;
  const schema = schemaOf(node.op);
  // Graph-only ops other than constant (control flow, later) are left alone.
  if (!schema || schema.flags.random || schema.flags.sideEffecting) return false;
  return !node.inputs.some((v) => policy.isWritten(v));
}

function keyOf(node: Node, inputs: readonly Value[], policy: ConstantPolicy, identities: TensorIdentities, position: ReadonlyMap<Node, number>, rw: GraphRewriter): string {
  const ids = inputs.map((v) => v.id);
  // Only two operands are swapped: a + b = b + a exactly, but (a + b) + c and (a + c) + b may round differently.
  if (ids.length === 2 && schemaOf(node.op)?.flags.commutative) ids.sort((a, b) => a - b);
  const after = rw.controlDepsOf(node).map((d) => position.get(d) ?? -1).sort((a, b) => a - b);
  const value = node.attrs.value;
  // A literal constant is keyed by its numbers; any other by the memory it views.
  const attrs = isConstant(node) && value instanceof Tensor
    ? (policy.isLiteral(node) ? `lit:${tensorDigest(value)}` : `ref:${identities.of(value)}`)
    : attrKey(node.attrs as AttrValue);
  return [node.op, node.device ?? '', ids.join(','), after.join(','), node.outputs.map((v) => formatType(v.type)).join(','), attrs].join('|');
}

/** A canonical string for attribute values (numbers by bits: -0 and 0 differ, NaN is NaN). */
function attrKey(v: AttrValue | undefined): string {
  if (v === undefined) return 'u';
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? 'n-0' : `n${v}`;
  if (typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Tensor) return `t:${tensorDigest(v)}`;
  if (Array.isArray(v)) return `[${v.map(attrKey).join(',')}]`;
  const o = v as Record<string, AttrValue>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${attrKey(o[k])}`).join(',')}}`;
}

/** dtype, shape and a 32-bit FNV-1a hash of the element bytes (a hit is confirmed with attrsEqual). */
function tensorDigest(t: Tensor): string {
  const data = t.dataSync();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${t.dtype}[${t.shape.join(',')}]#${(h >>> 0).toString(16)}`;
}

/**
 * Names for the memory a tensor views (its storage object, offset, strides, shape, dtype), for
 * keys of constants that must match only the same memory: two views of one parameter made by
 * two calls of `permute(weight)` are the same constant, an equal copy is not.
 */
class TensorIdentities {
  private readonly storages = new Map<Storage, number>();
  of(t: Tensor): string {
    let id = this.storages.get(t.storage);
    if (id === undefined) this.storages.set(t.storage, (id = this.storages.size));
    return `${id}@${t.offset}:${t.strides.join(',')}:${t.dtype}[${t.shape.join(',')}]`;
  }
}
