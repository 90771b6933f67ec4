/**
 * @file verifyGraph: the invariants every Graph must keep, checked after parsing, reading
 * JSON, and each pass. A failure is a GraphFormatError that names the problem and prints the
 * offending IR lines with their neighbours (as JAX's check_jaxpr does).
 *
 * Invariants:
 * - SSA: each value is defined once (as a graph input or one node's output), and value ids
 *   are unique within a graph (the JSON form refers to values by id);
 * - each node's inputs are graph inputs or outputs of earlier nodes; `graph.nodes` is a
 *   topological order of data and control dependencies, which therefore have no cycle;
 * - subgraphs are closed: a subgraph's nodes use only that subgraph's inputs and its own
 *   nodes' outputs. Control-flow ops pass outer values in as operands (as JAX's and
 *   TensorFlow 2's functional cond/while do), so every transform sees all of a node's inputs;
 * - every op is known, its attrs are printable attribute values, and each output's type is
 *   exactly what the op's schema infers (symbolic dims compare by name);
 * - ops with subgraphs have a node verifier (graphOps.ts, registerNodeVerifier), which
 *   checks their arity; a node with subgraphs whose op has none is rejected;
 * - the control-flow primitives nest into frames (frames.ts); a loop's back edge is named by
 *   its NextIteration node, so the list order above stays a topological order.
 */
import { FlowgradError, GraphFormatError, describe } from '../errors.js';
import { DTYPES } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { checkFrames } from './frames.js';
import type { Graph } from './graph.js';
import { inferOutputTypes, isKnownOp, nodeVerifierOf } from './graphOps.js';
import type { AttrValue, Node } from './node.js';
import { formatNodeLine, formatType, printGraphLines, valueRef } from './printer.js';
import type { Value } from './value.js';

/** Lines of context printed above and below each offending line. */
const CONTEXT_LINES = 3;

/** Throws GraphFormatError if `g` breaks an invariant of the IR (see the file comment). */
export function verifyGraph(g: Graph): void {
  new Verifier(g).graph(g, new Set());
}

/** Where a problem is: nodes, or a graph's header or return line. */
interface Focus {
  nodes?: readonly Node[];
  header?: Graph;
  returnOf?: Graph;
}

class Verifier {
  constructor(private readonly root: Graph) {}

  /** A GraphFormatError naming the problem, with the printed graph around the focus. */
  fail(problem: string, focus: Focus): GraphFormatError {
    let context = '';
    try {
      context = this.context(focus);
    } catch {
      // A graph too broken to print is still reported, without the listing.
    }
    return new GraphFormatError(`verifyGraph: ${problem}${context ? `\n${context}` : ''}`);
  }

  private context(focus: Focus): string {
    const printed = printGraphLines(this.root);
    const marked = new Set<number>();
    for (const n of focus.nodes ?? []) {
      const line = printed.nodeLine.get(n);
      if (line !== undefined) marked.add(line);
    }
    if (focus.header) marked.add(printed.headerLine.get(focus.header) ?? -1);
    if (focus.returnOf) marked.add(printed.returnLine.get(focus.returnOf) ?? -1);
    marked.delete(-1);
    const shown = new Set<number>();
    for (const m of marked) for (let i = m - CONTEXT_LINES; i <= m + CONTEXT_LINES; i++) if (i >= 0 && i < printed.lines.length) shown.add(i);
    const order = [...shown].sort((a, b) => a - b);
    const out: string[] = [];
    order.forEach((i, k) => {
      if (k > 0 && i !== order[k - 1] + 1) out.push('  …');
      out.push(`${marked.has(i) ? '>' : ' '}   ${printed.lines[i]}`);
    });
    return out.join('\n');
  }

  graph(g: Graph, ancestors: Set<Graph>): void {
    if (ancestors.has(g)) throw this.fail(`graph ${g.name} contains itself as a subgraph`, { header: g });
    const defined = new Set<Value>();
    const ids = new Map<number, Value>();
    const define = (v: Value, where: Focus): void => {
      if (defined.has(v)) throw this.fail(`${valueRef(v)} is defined twice`, where);
      const other = ids.get(v.id);
      if (other) throw this.fail(`two values share id ${v.id} (${valueRef(other)} and ${valueRef(v)}); value ids are unique within a graph`, where);
      const bad = typeProblem(v.type);
      if (bad) throw this.fail(`${valueRef(v)} has an invalid type: ${bad}`, where);
      defined.add(v);
      ids.set(v.id, v);
    };
    for (const v of g.inputs) {
      if (v.producer !== null) throw this.fail(`graph input ${valueRef(v)} has a producer node`, { header: g });
      define(v, { header: g });
    }
    const index = this.checkOrder(g);
    for (const node of g.nodes) {
      this.checkNode(g, node, defined, index);
      for (const v of node.outputs) {
        if (v.producer !== node) throw this.fail(`${valueRef(v)} is an output of a node but its producer is another node`, { nodes: [node] });
        define(v, { nodes: [node] });
      }
      const inner = new Set([...ancestors, g]);
      for (const sub of node.subgraphs) this.graph(sub, inner);
    }
    for (const v of g.outputs) {
      if (!defined.has(v)) throw this.fail(`graph output ${valueRef(v)} is not defined in graph ${g.name}`, { returnOf: g });
    }
    const frames = checkFrames(g);
    if (frames) throw this.fail(frames.problem, { nodes: frames.nodes });
  }

  /** Checks `g.nodes` is a topological order of data and control dependencies; returns each node's position. */
  private checkOrder(g: Graph): Map<Node, number> {
    const index = new Map<Node, number>();
    g.nodes.forEach((n, i) => {
      if (index.has(n)) throw this.fail(`a node appears twice in graph ${g.name}: ${formatNodeLine(n)}`, { nodes: [n] });
      index.set(n, i);
    });
    const deps = (n: Node): Node[] => [...n.inputs.map((v) => v.producer).filter((p): p is Node => p !== null && index.has(p)), ...n.controlDeps];
    for (const n of g.nodes) {
      for (const d of n.controlDeps) {
        if (!index.has(d)) throw this.fail(`${formatNodeLine(n)} has a control dependency on a node outside graph ${g.name}`, { nodes: [n] });
      }
      if (deps(n).some((d) => index.get(d)! >= index.get(n)!)) {
        const cycle = findCycle(n, deps);
        if (cycle) {
          const names = cycle.length <= 8 ? cycle.map(nodeName) : [...cycle.slice(0, 4).map(nodeName), `… ${cycle.length - 7} more …`, ...cycle.slice(-3).map(nodeName)];
          throw this.fail(`cycle through ${names.join(' → ')} (data and control dependencies)`, { nodes: [...cycle.slice(0, 4), ...cycle.slice(-3)] });
        }
        const late = deps(n).find((d) => index.get(d)! >= index.get(n)!)!;
        const what = n.controlDeps.includes(late) ? `runs after ${nodeName(late)}` : `uses ${late.outputs.map(valueRef).join(', ')}`;
        throw this.fail(`${nodeName(n)} ${what}, which is defined later: nodes must be in topological order`, { nodes: [n, late] });
      }
    }
    return index;
  }

  private checkNode(g: Graph, node: Node, defined: ReadonlySet<Value>, index: ReadonlyMap<Node, number>): void {
    const at = { nodes: [node] };
    if (!isKnownOp(node.op)) throw this.fail(`unknown op ${JSON.stringify(node.op)}`, at);
    for (const v of node.inputs) {
      if (defined.has(v)) continue;
      if (v.producer && index.has(v.producer)) throw this.fail(`${valueRef(v)} is used before it is defined`, at);
      throw this.fail(
        `${valueRef(v)} is not defined in graph ${g.name} (a subgraph uses only its own inputs and nodes: pass outer values in as operands)`,
        at,
      );
    }
    for (const [key, value] of Object.entries(node.attrs)) {
      // An attr set to undefined counts as absent (the printer and JSON leave it out).
      if (value === undefined) continue;
      const bad = attrProblem(value, 0);
      if (bad) throw this.fail(`attribute ${key} of ${nodeName(node)} holds ${bad}, which is not an attribute value`, at);
    }
    let inferred: TensorType[];
    try {
      inferred = inferOutputTypes(node.op, node.inputs.map((v) => v.type), node.attrs, node.subgraphs);
    } catch (e) {
      if (e instanceof FlowgradError) throw this.fail(`invalid ${node.op} node: ${e.message}`, at);
      throw e;
    }
    if (inferred.length !== node.outputs.length) {
      throw this.fail(`${node.op} produces ${inferred.length} result(s) (${inferred.map(formatType).join(', ')}), the node declares ${node.outputs.length}`, at);
    }
    node.outputs.forEach((v, i) => {
      if (formatType(v.type) !== formatType(inferred[i])) {
        throw this.fail(`declared type ${formatType(v.type)} of ${valueRef(v)} differs from what ${node.op} infers: ${formatType(inferred[i])}`, at);
      }
    });
    const verifier = nodeVerifierOf(node.op);
    if (!verifier && node.subgraphs.length > 0) throw this.fail(`op ${node.op} takes no subgraphs, got ${node.subgraphs.length}`, at);
    try {
      verifier?.(node);
    } catch (e) {
      if (e instanceof FlowgradError) throw this.fail(`invalid ${node.op} node: ${e.message}`, at);
      throw e;
    }
  }
}

const nodeName = (n: Node): string => (n.outputs.length > 0 ? valueRef(n.outputs[0]) : `(${n.op} node)`);

/**
 * A cycle through `start` following `deps`, as a list of nodes in execution order ending
 * where it began, or null. Iterative, so a long chain cannot overflow the stack.
 */
function findCycle(start: Node, deps: (n: Node) => Node[]): Node[] | null {
  const path: Node[] = [];
  const pending: Node[][] = [];
  const onPath = new Set<Node>();
  const done = new Set<Node>();
  const enter = (n: Node): void => {
    path.push(n);
    onPath.add(n);
    pending.push(deps(n));
  };
  enter(start);
  while (path.length > 0) {
    const next = pending[pending.length - 1].pop();
    if (next === undefined) {
      const finished = path.pop()!;
      pending.pop();
      onPath.delete(finished);
      done.add(finished);
    } else if (onPath.has(next)) {
      // deps point backwards in time; reverse so the cycle reads in execution order.
      return [...path.slice(path.indexOf(next)), next].reverse();
    } else if (!done.has(next)) enter(next);
  }
  return null;
}

function typeProblem(t: TensorType | undefined): string | null {
  if (!t || typeof t !== 'object') return `expected a tensor type, got ${describe(t)}`;
  if (!DTYPES.includes(t.dtype)) return `unknown dtype ${describe(t.dtype)}`;
  if (!Array.isArray(t.shape)) return `the shape is ${describe(t.shape)}, not an array`;
  for (const d of t.shape) {
    if (typeof d === 'number' ? !Number.isSafeInteger(d) || d < 0 : typeof d !== 'string' || d === '') return `dim ${describe(d)} is neither a non-negative integer nor a symbol`;
  }
  return null;
}

/** What is wrong with an attribute value (a function, a typed array, undefined in a list…), or null. */
function attrProblem(v: unknown, depth: number): string | null {
  if (depth > 64) return 'values nested more than 64 deep';
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return null;
  if (v instanceof Tensor) return v.trace ? 'a traced tensor' : null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const bad = attrProblem(x, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v as Record<string, AttrValue>)) {
      if (x === undefined) continue;
      const bad = attrProblem(x, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  return describe(v);
}
