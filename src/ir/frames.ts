/**
 * @file The frames of a graph that uses the control-flow primitives (primitives.ts): which
 * frame each value lives in, checked to nest, as TensorFlow's execution frames do
 * (REFERENCE.md §2.5). Values start in the root frame; `Enter[frame=F]` moves one into child
 * frame F, `Exit` back to F's parent; every other node reads values of one frame and defines
 * values in it. The verifier calls checkFrames on every graph; the dataflow executor reads
 * the back edges and the Enters of each frame from analyzeFrames.
 *
 * Rules (each broken one is reported with the nodes at fault):
 * - a node's inputs and control dependencies all live in one frame (no Exit outside a frame);
 * - each frame has one parent frame, and no frame is its own ancestor;
 * - the Enters into a frame come before its Exits in the node list, so nothing that enters a
 *   loop depends on what leaves it (the only cycles are NextIteration's back edges);
 * - graph outputs live in the root frame;
 * - each NextIteration names, by its second input, the value output of a Merge of its own
 *   (non-root) frame, and each such loop Merge is fed back by exactly one NextIteration and
 *   reads exactly one other value: the output of a non-constant Enter of that frame;
 * - any other Merge joins two or more values;
 * - no control dependency on a Switch (one of its outputs is dead) or a NextIteration, and
 *   none of a Merge (it fires on any one input).
 */
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import { ENTER, EXIT, MERGE, NEXT_ITERATION, SWITCH, enterFrame, isConstantEnter, isPrimitive } from './primitives.js';
import { formatNodeLine, valueRef } from './printer.js';
import type { Value } from './value.js';

/** A frame by its name; null is the root frame. */
export type FrameName = string | null;

export interface FrameInfo {
  /** The frame each value lives in. */
  readonly valueFrame: ReadonlyMap<Value, FrameName>;
  /** The parent of each frame. */
  readonly parent: ReadonlyMap<string, FrameName>;
  /** The Enter nodes into each frame, in graph order. */
  readonly enters: ReadonlyMap<string, readonly Node[]>;
  /** For each loop Merge, the NextIteration that feeds it back. */
  readonly backEdges: ReadonlyMap<Node, Node>;
}

export interface FrameProblem {
  readonly problem: string;
  readonly nodes: readonly Node[];
}

const frameLabel = (f: FrameName): string => (f === null ? 'the root frame' : `frame ${f}`);
const nodeName = (n: Node): string => (n.outputs.length > 0 ? valueRef(n.outputs[0]) : `(${formatNodeLine(n)})`);

/** What breaks the frame rules in `g` (not its subgraphs), or null. Graphs without primitives pass at once. */
export function checkFrames(g: Graph): FrameProblem | null {
  if (!g.nodes.some((n) => isPrimitive(n.op))) return null;
  const result = analyzeFrames(g);
  return 'problem' in result ? result : null;
}

/** The frames of `g` (see the file comment), or the first rule it breaks. */
export function analyzeFrames(g: Graph): FrameInfo | FrameProblem {
  const walk = new FrameWalk();
  for (const v of g.inputs) walk.valueFrame.set(v, null);
  for (const node of g.nodes) {
    const bad = walk.visit(node);
    if (bad) return bad;
  }
  for (const v of g.outputs) {
    const f = walk.valueFrame.get(v) ?? null;
    if (f !== null) return { problem: `graph output ${valueRef(v)} is in frame ${f}: leave a frame through an Exit`, nodes: v.producer ? [v.producer] : [] };
  }
  for (const node of g.nodes) {
    if (node.op !== MERGE) continue;
    const bad = checkMerge(node, walk.backEdges.get(node), walk.valueFrame);
    if (bad) return bad;
  }
  return walk;
}

const problem = (text: string, ...nodes: Node[]): FrameProblem => ({ problem: text, nodes });

/** The nodes in order, each placed in a frame. */
class FrameWalk implements FrameInfo {
  readonly valueFrame = new Map<Value, FrameName>();
  readonly parent = new Map<string, FrameName>();
  readonly enters = new Map<string, Node[]>();
  readonly backEdges = new Map<Node, Node>();
  /** A node's frame: that of its outputs (of its inputs when it has none), for control dependencies. */
  private readonly nodeFrame = new Map<Node, FrameName>();
  /** The first Exit from each frame: no Enter into that frame may follow it. */
  private readonly exits = new Map<string, Node>();

  visit(node: Node): FrameProblem | null {
    const runs = this.frameRead(node);
    if (typeof runs === 'object' && runs !== null) return runs;
    let out: FrameName = runs;
    if (node.op === ENTER) {
      const bad = this.enter(node, runs);
      if (bad) return bad;
      out = enterFrame(node.attrs);
    } else if (node.op === EXIT) {
      if (runs === null) return problem(`Exit ${nodeName(node)} reads ${valueRef(node.inputs[0])}, which is in the root frame: an Exit leaves a frame that an Enter entered`, node);
      out = this.parent.get(runs) ?? null;
      if (!this.exits.has(runs)) this.exits.set(runs, node);
    } else if (node.op === NEXT_ITERATION) {
      const bad = backEdge(node, runs, this.backEdges);
      if (bad) return bad;
    }
    this.nodeFrame.set(node, out);
    for (const v of node.outputs) this.valueFrame.set(v, out);
    return null;
  }

  /** The one frame that all of the node's inputs and control dependencies live in. */
  private frameRead(node: Node): FrameName | FrameProblem {
    const reads: [FrameName, string][] = node.inputs.map((v) => [this.valueFrame.get(v) ?? null, valueRef(v)]);
    if (node.op === MERGE && node.controlDeps.length > 0) return problem(`Merge ${nodeName(node)} has control dependencies: a Merge fires on any one input, so it waits for nothing else`, node);
    for (const d of node.controlDeps) {
      if (d.op === SWITCH || d.op === NEXT_ITERATION) {
        return problem(`${nodeName(node)} has a control dependency on ${d.op} ${nodeName(d)}, which is ambiguous: depend on a node that reads the value meant`, node, d);
      }
      reads.push([this.nodeFrame.get(d) ?? null, `(after ${nodeName(d)})`]);
    }
    const clash = reads.find(([f]) => f !== reads[0][0]);
    if (clash) {
      const [[f0, what0], [f1, what1]] = [reads[0], clash];
      return problem(`${nodeName(node)} = ${node.op} reads ${what0} in ${frameLabel(f0)} and ${what1} in ${frameLabel(f1)}: values move between frames only through Enter and Exit`, node);
    }
    return reads.length > 0 ? reads[0][0] : null;
  }

  /** Records an Enter from frame `from`: the frame it enters gets `from` as its one parent. */
  private enter(node: Node, from: FrameName): FrameProblem | null {
    const child = enterFrame(node.attrs);
    for (let f: FrameName = from; f !== null; f = this.parent.get(f) ?? null) {
      if (f === child) return problem(`Enter ${nodeName(node)} enters frame ${child} from ${frameLabel(from)}, which is inside ${child}: frames must nest`, node);
    }
    const known = this.parent.get(child);
    if (known !== undefined && known !== from) {
      return problem(`Enter ${nodeName(node)} enters frame ${child} from ${frameLabel(from)}, but earlier Enters enter it from ${frameLabel(known)} (a frame has one parent)`, node, this.enters.get(child)![0]);
    }
    const exit = this.exits.get(child);
    if (exit) {
      return problem(`Enter ${nodeName(node)} enters frame ${child} after ${nodeName(exit)} left it: what enters a loop cannot depend on what leaves it (a cycle not through NextIteration); Enters of a frame come before its Exits`, node, exit);
    }
    this.parent.set(child, from);
    const list = this.enters.get(child);
    if (list) list.push(node);
    else this.enters.set(child, [node]);
    return null;
  }
}

/** Records NextIteration `node`'s back edge to its Merge, or says why it cannot have one. */
function backEdge(node: Node, frame: FrameName, backEdges: Map<Node, Node>): FrameProblem | null {
  const label = formatNodeLine(node);
  if (frame === null) return { problem: `${label}: NextIteration works inside a loop frame, this one reads values of the root frame`, nodes: [node] };
  const merge = node.inputs[1].producer;
  if (merge?.op !== MERGE || merge.outputs[0] !== node.inputs[1]) {
    return { problem: `${label}: the second input of a NextIteration names the Merge it feeds (its first output), got ${valueRef(node.inputs[1])}`, nodes: [node] };
  }
  const other = backEdges.get(merge);
  if (other) return { problem: `Merge ${nodeName(merge)} is fed back by two NextIteration nodes: ${formatNodeLine(other)} and ${label}`, nodes: [merge, other, node] };
  backEdges.set(merge, node);
  return null;
}

function checkMerge(merge: Node, next: Node | undefined, valueFrame: ReadonlyMap<Value, FrameName>): FrameProblem | null {
  const name = nodeName(merge);
  if (next === undefined) {
    if (merge.inputs.length >= 2) return null;
    return { problem: `Merge ${name} joins one value and no NextIteration feeds it back: a Merge joins two or more values, or a value entering a loop and a NextIteration`, nodes: [merge] };
  }
  const entering = merge.inputs.length === 1 ? merge.inputs[0].producer : null;
  const ok = entering?.op === ENTER && !isConstantEnter(entering.attrs) && enterFrame(entering.attrs) === valueFrame.get(merge.outputs[0]);
  if (!ok) {
    const got = merge.inputs.map(valueRef).join(', ');
    return { problem: `loop Merge ${name} reads ${got}: a Merge fed back by NextIteration reads one value, the output of a non-constant Enter into its frame`, nodes: [merge] };
  }
  return null;
}
