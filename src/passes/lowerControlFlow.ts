/**
 * @file lowerControlFlow: `cond` and `whileLoop` nodes become TensorFlow's primitives
 * (ir/primitives.ts), their subgraphs inlined, as TensorFlow lowers its functional If/While
 * (REFERENCE.md §2.5, "Compositions"). The dataflow executor runs the result.
 *
 *     cond(p, T, F, x…)     Switch each operand on p; T reads the true outputs, F the false
 *                           ones; a Merge joins each pair of results.
 *     whileLoop(C, B, c…)   per carry value: Enter[frame] → Merge ⇄ NextIteration; C reads the
 *                           Merges, a Switch on its predicate sends each Merge to B (true
 *                           side, whose result goes to NextIteration) or to an Exit (false).
 *                           Captured values enter once as loop invariants (isConstant=true).
 *
 * Nodes without inputs inside a branch or loop: constants move to the root and come in like
 * captured values (through Switch and Enter), so no branch or iteration recomputes them and a
 * Merge never sees a constant of the branch not taken as live; any other (a random draw) gets
 * a control dependency on a node of its branch or frame, so it runs only there, once per
 * iteration. Left as they are: `scan` nodes and everything in their bodies (the executor runs
 * them as nodes), and a whileLoop without carry (nothing to thread through a Merge).
 * Invariant: every output computes the same value (on the dataflow executor); the result verifies.
 */
import { Graph } from '../ir/graph.js';
import { inferOutputTypes } from '../ir/graphOps.js';
import { type AttrValue, Node } from '../ir/node.js';
import { ENTER, EXIT, MERGE, NEXT_ITERATION, SWITCH, SWITCH_FALSE, SWITCH_TRUE, enterFrame } from '../ir/primitives.js';
import { Value } from '../ir/value.js';

const isLowerable = (n: Node): boolean => n.op === 'cond' || (n.op === 'whileLoop' && n.subgraphs[1].outputs.length > 0);

export function lowerControlFlow(g: Graph): Graph {
  if (!g.nodes.some(isLowerable)) return g;
  return new Lowering(g).run();
}

/** Where inlined nodes land: the root, a branch of a cond (or a loop body), or a loop's frame. */
interface Scope {
  /** This scope's stand-in for a value of the root scope (a constant moved there). */
  import(v: Value): Value;
  /** The node that input-less nodes of this scope depend on (null at the root). */
  pivot(): Node | null;
}

const rootScope: Scope = { import: (v) => v, pivot: () => null };

/** One Switch per value on one predicate, made when first needed. */
class SwitchCache {
  private readonly switches = new Map<Value, Node>();
  constructor(private readonly lowering: Lowering, readonly pred: Value, readonly origin: Node) {}

  of(v: Value): Node {
    let s = this.switches.get(v);
    if (!s) this.switches.set(v, (s = this.lowering.emit(SWITCH, [v, this.pred], {}, this.origin)));
    return s;
  }
}

/** One side of a set of Switches: a cond branch, or a loop body (the true side). */
class SwitchedScope implements Scope {
  private pivotNode: Node | null = null;
  constructor(private readonly lowering: Lowering, private readonly parent: Scope, private readonly switches: SwitchCache, private readonly side: number) {}

  import(v: Value): Value {
    return this.switches.of(this.parent.import(v)).outputs[this.side];
  }

  /** TensorFlow's pivot: the predicate itself, switched to this side (a clone, as a control dependency names a node). */
  pivot(): Node {
    this.pivotNode ??= this.lowering.emit('clone', [this.switches.of(this.switches.pred).outputs[this.side]], {}, this.switches.origin);
    return this.pivotNode;
  }
}

/** A loop's frame, where its cond subgraph runs once per iteration. */
class FrameScope implements Scope {
  private readonly invariants = new Map<Value, Value>();
  constructor(private readonly lowering: Lowering, private readonly parent: Scope, readonly frame: string, private readonly firstMerge: Node, private readonly origin: Node) {}

  /** `v` (a value of the parent scope) as a loop invariant of this frame. */
  invariant(v: Value): Value {
    let inside = this.invariants.get(v);
    if (!inside) this.invariants.set(v, (inside = this.lowering.emit(ENTER, [v], { frame: this.frame, isConstant: true }, this.origin).outputs[0]));
    return inside;
  }

  import(v: Value): Value {
    return this.invariant(this.parent.import(v));
  }

  pivot(): Node {
    return this.firstMerge;
  }
}

class Lowering {
  private readonly nodes: Node[] = [];
  private nextId: number;
  private readonly takenFrames = new Set<string>();

  constructor(private readonly g: Graph) {
    let maxId = -1;
    for (const v of g.inputs) maxId = Math.max(maxId, v.id);
    for (const n of g.nodes) {
      for (const v of n.outputs) maxId = Math.max(maxId, v.id);
      if (n.op === ENTER) this.takenFrames.add(enterFrame(n.attrs));
    }
    this.nextId = maxId + 1;
  }

  run(): Graph {
    const inputs = this.g.inputs.map((v) => new Value(v.id, v.type, null, v.name));
    const outputs = this.inline(this.g, (i) => inputs[i], rootScope, true);
    return new Graph(this.g.name, inputs, this.nodes, outputs);
  }

  /** Appends a node of `op` (types inferred), attributed to the node it lowers. */
  emit(op: string, inputs: readonly Value[], attrs: Readonly<Record<string, AttrValue>>, origin: Node, id?: number): Node {
    const types = inferOutputTypes(op, inputs.map((v) => v.type), attrs);
    const node = new Node(op, inputs, attrs, origin.device, origin.source);
    node.outputs = types.map((t, i) => new Value(i === 0 && id !== undefined ? id : this.nextId++, t, node));
    this.nodes.push(node);
    return node;
  }

  /**
   * Inlines `graph` into `scope`: `arg(i)` gives the value for its input i (asked only for the
   * inputs it reads). Top-level nodes keep their value ids and names, so printed IR stays
   * comparable; inlined ones get fresh ids.
   */
  private inline(graph: Graph, arg: (i: number) => Value, scope: Scope, top = false): Value[] {
    const env = new Map<Value, Value>();
    const inputIndex = new Map(graph.inputs.map((v, i) => [v, i]));
    const valueOf = (v: Value): Value => {
      let mapped = env.get(v);
      if (!mapped) env.set(v, (mapped = arg(inputIndex.get(v)!)));
      return mapped;
    };
    // What a control dependency on an old node now waits for.
    const standIns = new Map<Node, readonly Node[]>();
    for (const node of graph.nodes) {
      const inputs = node.inputs.map(valueOf);
      let results: readonly Value[];
      if (isLowerable(node)) {
        // At the top level, the Merges or Exits take the ids of the results they stand for.
        const ids = node.outputs.map((v) => (top ? v.id : undefined));
        results = node.op === 'cond' ? this.lowerCond(node, inputs, scope, ids) : this.lowerWhile(node, inputs, scope, ids);
        standIns.set(node, results.map((v) => v.producer!));
      } else if (node.op === 'constant' && !top) {
        const hoisted = this.copy(node, [], [], false);
        results = hoisted.outputs.map((v) => scope.import(v));
        standIns.set(node, []);
      } else {
        const deps = [...new Set(node.controlDeps.flatMap((d) => standIns.get(d) ?? []))];
        const pivot = inputs.length === 0 && deps.length === 0 ? scope.pivot() : null;
        const copy = this.copy(node, inputs, pivot ? [pivot] : deps, top);
        results = copy.outputs;
        standIns.set(node, [copy]);
      }
      node.outputs.forEach((v, i) => env.set(v, results[i]));
    }
    return graph.outputs.map(valueOf);
  }

  private copy(node: Node, inputs: readonly Value[], deps: readonly Node[], keepIds: boolean): Node {
    const copy = new Node(node.op, inputs, node.attrs, node.device, node.source, deps, node.subgraphs);
    copy.outputs = node.outputs.map((v) => (keepIds ? new Value(v.id, v.type, copy, v.name) : new Value(this.nextId++, v.type, copy)));
    this.nodes.push(copy);
    return copy;
  }

  /** Switch per operand, both branches inlined on their side, a Merge per result. */
  private lowerCond(node: Node, [pred, ...operands]: readonly Value[], scope: Scope, ids: readonly (number | undefined)[]): Value[] {
    const switches = new SwitchCache(this, pred, node);
    const [onTrue, onFalse] = node.subgraphs.map((branch, k) => {
      const side = k === 0 ? SWITCH_TRUE : SWITCH_FALSE;
      return this.inline(branch, (i) => switches.of(operands[i]).outputs[side], new SwitchedScope(this, scope, switches, side));
    });
    return onTrue.map((t, i) => this.emit(MERGE, [t, onFalse[i]], {}, node, ids[i]).outputs[0]);
  }

  /** Enter → Merge → cond → Switch → body → NextIteration, and Exit on the false side. */
  private lowerWhile(node: Node, inputs: readonly Value[], scope: Scope, ids: readonly (number | undefined)[]): Value[] {
    const [condGraph, body] = node.subgraphs;
    const frame = this.freshFrame();
    const carried = body.outputs.length;
    const merges = inputs.slice(0, carried).map((v) => this.emit(MERGE, [this.emit(ENTER, [v], { frame }, node).outputs[0]], {}, node));
    const loop = new FrameScope(this, scope, frame, merges[0], node);
    const inLoop = (i: number): Value => (i < carried ? merges[i].outputs[0] : loop.invariant(inputs[i]));
    const [pred] = this.inline(condGraph, inLoop, loop);
    const switches = new SwitchCache(this, pred, node);
    for (const m of merges) switches.of(m.outputs[0]);
    const next = this.inline(body, (i) => switches.of(inLoop(i)).outputs[SWITCH_TRUE], new SwitchedScope(this, loop, switches, SWITCH_TRUE));
    merges.forEach((m, i) => this.emit(NEXT_ITERATION, [next[i], m.outputs[0]], {}, node));
    return merges.map((m, i) => this.emit(EXIT, [switches.of(m.outputs[0]).outputs[SWITCH_FALSE]], {}, node, ids[i]).outputs[0]);
  }

  private freshFrame(): string {
    let k = 0;
    while (this.takenFrames.has(`while${k}`)) k++;
    this.takenFrames.add(`while${k}`);
    return `while${k}`;
  }
}
