/**
 * @file fusion: runs each group of two or more elementwise nodes as one `fused` node, whose
 * kernel (generated from the ops' templates, kernels/fused/) computes the whole group per
 * element in one loop, so a chain of n ops reads and writes memory once instead of n times
 * (REFERENCE §2.9, vertical fusion of injective ops).
 *
 * Groups (fusionGroups.ts, loopFusionGroups) are connected elementwise nodes with one result
 * shape and device whose op has a template for their dtypes. A member's value that is read
 * outside the group or returned is also an output of the fused node. Not fused: nodes with
 * control dependencies (either way), ops without a template, and ops with a vectorised kernel
 * for their dtype (the float32 wasm SIMD kernels): a scalar JS loop over doubles rounded to
 * float32 is slower than a chain of those at every size measured (docs/passes.md, "fusion"),
 * so the fused kernel serves the ops that would otherwise run the reference JS loops (float64,
 * int32, bool; pow, where, cast, … in float32). Matmul and conv epilogues and reductions are not
 * fused.
 *
 * The fused node reads the values its group reads from outside (scalar constants stay
 * `constant` nodes and are passed in as inputs, never pasted into code) and holds the group
 * as its body, with each node's source line, value ids and names, so the body reads as the
 * lines it replaces. Invariant: every output computes the same value, bit for bit with the
 * reference kernels; the result verifies. Fused nodes have no VJP: fuse graphs that are to
 * run, after autodiff; `unfuse` undoes the pass.
 *
 *     %3: f64[n,3] = add %2, %b          %4: f64[n,3] = fused %2, %b {
 *     %4: f64[n,3] = relu %3      →        graph fused0(%2: f64[n,3], %b: f64[3]) {
 *     return %4                              %3: f64[n,3] = add %2, %b
 *                                            %4: f64[n,3] = relu %3
 *                                            return %4
 *                                          }
 *                                        }
 */
import { FlowgradError, internal } from '../errors.js';
import { Graph } from '../ir/graph.js';
import { Node } from '../ir/node.js';
import { Value } from '../ir/value.js';
import { kernelsFor } from '../kernels/registry.js';
import { canFuseOp } from '../kernels/fused/templates.js';
import { schemaOf } from '../ops/schema.js';
import { shapeStr } from '../tensor/shape.js';
import type { DType } from '../tensor/dtype.js';
import { loopFusionGroups } from './fusionGroups.js';
import { GraphRewriter } from './rewriter.js';

export interface FusionOptions {
  /**
   * Fuse ops even where a vectorised kernel exists for their dtype (default false: they run
   * faster on it); the fused kernel then computes exp & co. with Math.exp, as the reference kernels do.
   */
  readonly fuseVectorised?: boolean;
}

export function fusion(g: Graph, options: FusionOptions = {}): Graph {
  const controlDeps = new Set<Node>(g.nodes.flatMap((n) => n.controlDeps));
  const groups = loopFusionGroups(g, (n) => isFusable(n, controlDeps, options.fuseVectorised === true), loopKey);
  if (groups.length === 0) return g;
  const rw = new GraphRewriter(g);
  const consumers = g.consumers();
  const returned = new Set(g.outputs);
  let count = 0;
  for (const unit of contractedOrder(g, groups)) {
    if (unit instanceof Node) rw.copy(unit);
    else emitFused(rw, unit, `fused${count++}`, (v) => returned.has(v) || consumers.get(v)!.some((c) => !unit.includes(c)));
  }
  return rw.build();
}

/** The kind of node a fused kernel may compute. */
function isFusable(n: Node, controlDeps: ReadonlySet<Node>, fuseVectorised: boolean): boolean {
  if (n.outputs.length !== 1 || n.subgraphs.length > 0 || n.controlDeps.length > 0 || controlDeps.has(n)) return false;
  const flags = schemaOf(n.op)?.flags;
  if (!flags || flags.random || flags.sideEffecting) return false;
  const operands = n.inputs.map((v) => v.type.dtype);
  if (!canFuseOp(n.op, operands, n.outputs[0].type.dtype)) return false;
  return fuseVectorised || !hasVectorisedKernel(n.op, operands[0]);
}

/** Whether a backend other than the reference one has a kernel for `op` on `dtype`. */
const hasVectorisedKernel = (op: string, dtype: DType): boolean => kernelsFor(op).some((e) => e.backend !== 'reference' && (e.dtype === '*' || e.dtype === dtype));

/** One loop computes a group: its members share the result shape and the device. */
const loopKey = (n: Node): string => `${n.device ?? ''}|${shapeStr(n.outputs[0].type.shape)}`;

/** Emits the fused node of `group` and points the readers of its exported values at it. */
function emitFused(rw: GraphRewriter, group: readonly Node[], name: string, isExported: (v: Value) => boolean): void {
  const members = new Set(group);
  const outside = new Set<Value>();
  for (const m of group) for (const v of m.inputs) if (!(v.producer && members.has(v.producer))) outside.add(v);
  const exported = group.map((m) => m.outputs[0]).filter(isExported);
  const body = bodyOf(name, group, [...outside], exported);
  const source = group.find((m) => m.source !== undefined)?.source;
  const fused = rw.emit('fused', [...outside].map((v) => rw.value(v)), {}, { subgraphs: [body], ids: exported.map((v) => v.id), device: group[0].device, source });
  for (const m of group) {
    const k = exported.indexOf(m.outputs[0]);
    if (k >= 0) rw.replace(m, [fused.outputs[k]]);
    else rw.drop(m);
  }
}

/** The body graph: the group's nodes over inputs standing for the outside values (ids and names kept). */
function bodyOf(name: string, group: readonly Node[], outside: readonly Value[], exported: readonly Value[]): Graph {
  const map = new Map<Value, Value>();
  const inputs = outside.map((v) => {
    const param = new Value(v.id, v.type, null, v.name);
    map.set(v, param);
    return param;
  });
  const nodes = group.map((m) => {
    const n = new Node(m.op, m.inputs.map((v) => map.get(v)!), m.attrs, undefined, m.source);
    const out = m.outputs[0];
    n.outputs = [new Value(out.id, out.type, n, out.name)];
    map.set(out, n.outputs[0]);
    return n;
  });
  return new Graph(name, inputs, nodes, exported.map((v) => map.get(v)!));
}

/**
 * The nodes of `g` with each group as one unit, in an order where every unit follows what it
 * reads (a group is placed once everything any member reads is; a node that reads one of its
 * values, and sits between its members in `g`, moves after it). Depth first from `g`'s order.
 */
function contractedOrder(g: Graph, groups: readonly Node[][]): (Node | readonly Node[])[] {
  type Unit = Node | readonly Node[];
  const groupOf = new Map<Node, readonly Node[]>();
  for (const group of groups) for (const m of group) groupOf.set(m, group);
  const unitOf = (n: Node): Unit => groupOf.get(n) ?? n;
  const depsOf = (u: Unit): Unit[] => {
    const deps = new Set<Unit>();
    for (const n of u instanceof Node ? [u] : u) {
      for (const v of n.inputs) if (v.producer) deps.add(unitOf(v.producer));
      for (const d of n.controlDeps) deps.add(unitOf(d));
    }
    deps.delete(u);
    return [...deps];
  };
  const placed = new Set<Unit>();
  const order: Unit[] = [];
  for (const n of g.nodes) {
    const root = unitOf(n);
    if (placed.has(root)) continue;
    const stack = [{ unit: root, deps: depsOf(root), next: 0 }];
    const onStack = new Set<Unit>([root]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.deps.length) {
        const d = top.deps[top.next++];
        if (onStack.has(d)) throw internal('fusion: a fusion group depends on itself through another node');
        if (!placed.has(d)) {
          stack.push({ unit: d, deps: depsOf(d), next: 0 });
          onStack.add(d);
        }
      } else {
        stack.pop();
        onStack.delete(top.unit);
        placed.add(top.unit);
        order.push(top.unit);
      }
    }
  }
  return order;
}

/**
 * The graph with every `fused` node replaced by its body's nodes (the inverse of `fusion`, up to
 * value ids): for graph autodiff, which has no rule for fused nodes, and for reading.
 */
export function unfuse(g: Graph): Graph {
  if (!g.nodes.some((n) => n.op === 'fused')) return g;
  const rw = new GraphRewriter(g);
  for (const node of g.nodes) {
    if (node.op !== 'fused') {
      rw.copy(node);
      continue;
    }
    if (node.controlDeps.length > 0) throw new FlowgradError('unfuse: a fused node with control dependencies cannot be inlined (its body nodes would lose them)');
    const [body] = node.subgraphs;
    const env = new Map<Value, Value>(body.inputs.map((v, i) => [v, rw.value(node.inputs[i])]));
    const ids = new Map<Value, number>(body.outputs.map((v, j) => [v, node.outputs[j].id]));
    for (const n of body.nodes) {
      const out = n.outputs[0];
      const id = ids.get(out);
      const copy = rw.emit(n.op, n.inputs.map((v) => env.get(v)!), n.attrs, { device: node.device, source: n.source, ids: id === undefined ? undefined : [id] });
      env.set(out, copy.outputs[0]);
    }
    rw.replace(node, body.outputs.map((v) => env.get(v)!));
  }
  return rw.build();
}
