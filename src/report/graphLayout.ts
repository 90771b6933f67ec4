/**
 * @file layoutGraph: places a Graph's inputs, nodes and outputs as boxes with ELK's layered
 * (Sugiyama) algorithm, routes one edge per Value read, and nests each fused group in an ELK
 * compound node so its outline never overlaps other boxes. Returns plain coordinates.
 */
import { ValueError, given } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { formatNodeLine, formatType, valueRef } from '../ir/printer.js';
import type { Value } from '../ir/value.js';
import { Tensor } from '../tensor/tensor.js';
import { type ElkExtendedEdge, type ElkNode, elkLayout } from './elk.js';
import { type BoxKind, opKindOf } from './opKind.js';
import { clip, textWidth } from './svgText.js';

/** How to draw one graph: fused groups to outline and names for its inputs and outputs. */
export interface GraphPictureOptions {
  /** Sets of nodes of the graph to outline together (a fusion pass's groups); disjoint. */
  readonly groups?: readonly (readonly Node[])[];
  /** Shown instead of `%0`, `%1`, … on the input boxes (e.g. parameter names). */
  readonly inputNames?: readonly string[];
  /** Shown instead of `output 0`, … on the output boxes (e.g. `loss`, `grad w1`). */
  readonly outputNames?: readonly string[];
  /** Where data flows: top to bottom (default) or left to right. */
  readonly direction?: 'DOWN' | 'RIGHT';
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A placed box: an op node, a graph input or a graph output. */
export interface BoxLayout {
  readonly id: string;
  readonly kind: BoxKind;
  /** The op name for op boxes, undefined for input and output boxes. */
  readonly op: string | undefined;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** First line, in bold: the op (or the input's or output's name). */
  readonly title: string;
  /** Second line: the values it produces and their types. */
  readonly detail: string;
  /** Hover text: the node's full IR line. */
  readonly tooltip: string;
}

export interface EdgeLayout {
  readonly id: string;
  /** Start point, bend points, end point. */
  readonly points: readonly Point[];
  /** The type of the Value it carries, where ELK placed it (or, in large graphs, once per Value beside its producer). */
  readonly label: { readonly text: string; readonly x: number; readonly y: number; readonly width: number; readonly height: number } | undefined;
  /** A control dependency rather than a Value. */
  readonly control: boolean;
}

export interface GroupLayout {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly size: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly BoxLayout[];
  readonly edges: readonly EdgeLayout[];
  readonly groups: readonly GroupLayout[];
}

/** Font sizes (px) the boxes are measured for; graphSvg.ts draws with the same ones. */
export const TITLE_FONT = 12;
export const DETAIL_FONT = 10.5;
export const LABEL_FONT = 9.5;
const BOX_PAD_X = 8;
const MAX_DETAIL_CHARS = 64;
const LABEL_HEIGHT = LABEL_FONT + 3;
/**
 * Up to this many boxes, ELK places every edge label itself (no overlaps, but label dummy
 * nodes triple its time: ~1 s for LeNet's 78-node gradient graph). Beyond, each Value gets
 * one label just after its producer, and layout stays a few seconds even at 250 nodes.
 */
const MAX_BOXES_WITH_PLACED_LABELS = 160;

interface BoxSpec {
  readonly id: string;
  readonly kind: BoxKind;
  readonly op: string | undefined;
  readonly title: string;
  readonly detail: string;
  readonly tooltip: string;
}

/** Lays out `g` (its subgraphs, if any, stay inside their control-flow op's box). */
export async function layoutGraph(g: Graph, opts: GraphPictureOptions = {}): Promise<GraphLayout> {
  const groupOf = checkGroups(g, opts.groups ?? []);
  const { specs, edges } = describeGraph(g, opts);
  const byId = new Map(specs.map((s) => [s.id, s]));
  const elkBox = (s: BoxSpec): ElkNode => ({ id: s.id, ...boxSize(s) });

  const groupNodes: ElkNode[] = (opts.groups ?? []).map((members, k) => ({
    id: `group${k}`,
    layoutOptions: { 'elk.padding': '[top=20,left=8,bottom=8,right=8]' },
    children: [],
  }));
  const topLevel: ElkNode[] = [];
  for (const s of specs) {
    const k = groupOf.get(s.id);
    if (k === undefined) topLevel.push(elkBox(s));
    else groupNodes[k].children!.push(elkBox(s));
  }
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': opts.direction ?? 'DOWN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      'elk.spacing.nodeNode': '22',
      'elk.layered.spacing.nodeNodeBetweenLayers': '26',
      'elk.spacing.edgeLabel': '2',
      'elk.edgeLabels.placement': 'CENTER',
      // Brandes–Köpf, balanced: the main chain runs straight down the middle. (Network simplex
      // placement looks alike but takes seconds on an 80-node gradient graph.)
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
      ...(groupNodes.length > 0 ? { 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' } : {}),
    },
    children: [...topLevel, ...groupNodes],
    edges: edges.map((e): ElkExtendedEdge => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: e.label === undefined ? [] : [{ text: e.label, width: textWidth(e.label, LABEL_FONT) + 4, height: LABEL_HEIGHT }],
    })),
  };
  const placeLabels = specs.length <= MAX_BOXES_WITH_PLACED_LABELS;
  if (!placeLabels) for (const e of root.edges!) e.labels = [];
  const placed = await elkLayout(root);

  const boxes: BoxLayout[] = [];
  const groups: GroupLayout[] = [];
  for (const child of placed.children ?? []) {
    if (child.id.startsWith('group')) {
      const k = Number(child.id.slice('group'.length));
      const size = child.children?.length ?? 0;
      groups.push({ id: child.id, label: `fused group ${k} · ${size} op${size === 1 ? '' : 's'}`, size, ...rect(child) });
      for (const member of child.children ?? []) boxes.push({ ...byId.get(member.id)!, ...rect(member) });
    } else {
      boxes.push({ ...byId.get(child.id)!, ...rect(child) });
    }
  }
  const specOf = new Map(edges.map((e) => [e.id, e]));
  const labelled = new Set<Value>();
  const laidEdges = (placed.edges ?? []).map((e: ElkExtendedEdge): EdgeLayout => {
    const points: Point[] = [];
    for (const s of e.sections ?? []) points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    const spec = specOf.get(e.id)!;
    const l = e.labels?.[0];
    let label = l?.text === undefined ? undefined : { text: l.text, x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 };
    if (!placeLabels && spec.label !== undefined && spec.value !== undefined && !labelled.has(spec.value) && points.length > 0) {
      labelled.add(spec.value);
      const start = points[0];
      const down = (opts.direction ?? 'DOWN') === 'DOWN';
      label = { text: spec.label, x: start.x + 3, y: down ? start.y + 1 : start.y - LABEL_HEIGHT - 1, width: textWidth(spec.label, LABEL_FONT) + 4, height: LABEL_HEIGHT };
    }
    return { id: e.id, points, label, control: spec.control };
  });
  return { width: placed.width ?? 0, height: placed.height ?? 0, boxes, edges: laidEdges, groups };
}

const rect = (n: ElkNode) => ({ x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 });

function boxSize(s: BoxSpec): { width: number; height: number } {
  const width = Math.max(textWidth(s.title, TITLE_FONT) * 1.05, textWidth(s.detail, DETAIL_FONT)) + 2 * BOX_PAD_X;
  return { width: Math.max(56, Math.ceil(width)), height: s.detail === '' ? 26 : 40 };
}

interface EdgeSpec {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string | undefined;
  /** The Value it carries; undefined for a control dependency. */
  readonly value: Value | undefined;
  readonly control: boolean;
}

/** The boxes (inputs, nodes, outputs) and the edges between them, before layout. */
function describeGraph(g: Graph, opts: GraphPictureOptions): { specs: BoxSpec[]; edges: EdgeSpec[] } {
  const specs: BoxSpec[] = [];
  const edges: EdgeSpec[] = [];
  const producerBox = new Map<Value, string>();
  const nodeBox = new Map<Node, string>();
  const edgeLabel = (v: Value): string => {
    const producer = v.producer;
    // Name the value only where its producer has several, so the label says which one.
    return producer !== null && producer.outputs.length > 1 ? `${valueRef(v)}: ${formatType(v.type)}` : formatType(v.type);
  };
  g.inputs.forEach((v, i) => {
    const id = `in${i}`;
    producerBox.set(v, id);
    const name = opts.inputNames?.[i];
    specs.push({
      id,
      kind: 'input',
      op: undefined,
      title: clip(name ?? valueRef(v), MAX_DETAIL_CHARS),
      detail: formatType(v.type),
      tooltip: `input ${i}${name === undefined ? '' : ` (${name})`}: ${valueRef(v)}: ${formatType(v.type)}`,
    });
  });
  g.nodes.forEach((n, i) => {
    const id = `n${i}`;
    nodeBox.set(n, id);
    specs.push({ id, kind: opKindOf(n), op: n.op, title: clip(nodeTitle(n), 40), detail: nodeDetail(n), tooltip: formatNodeLine(n) });
    for (const v of new Set(n.inputs)) {
      const from = producerBox.get(v);
      if (from !== undefined) edges.push({ id: `e${edges.length}`, from, to: id, label: edgeLabel(v), value: v, control: false });
    }
    for (const dep of n.controlDeps) {
      const from = nodeBox.get(dep);
      if (from !== undefined) edges.push({ id: `e${edges.length}`, from, to: id, label: undefined, value: undefined, control: true });
    }
    for (const v of n.outputs) producerBox.set(v, id);
  });
  g.outputs.forEach((v, i) => {
    const id = `out${i}`;
    const name = opts.outputNames?.[i];
    specs.push({
      id,
      kind: 'output',
      op: undefined,
      title: clip(name ?? `output ${i}`, MAX_DETAIL_CHARS),
      detail: clip(`${valueRef(v)}: ${formatType(v.type)}`, MAX_DETAIL_CHARS),
      tooltip: `output ${i}${name === undefined ? '' : ` (${name})`}: ${valueRef(v)}: ${formatType(v.type)}`,
    });
    const from = producerBox.get(v);
    if (from !== undefined) edges.push({ id: `e${edges.length}`, from, to: id, label: edgeLabel(v), value: v, control: false });
  });
  return { specs, edges };
}

/** The op name; a one-element constant also shows its value, which is what a reader wants to know. */
function nodeTitle(n: Node): string {
  const value = n.attrs.value;
  if (n.op === 'constant' && value instanceof Tensor && value.size === 1) {
    const x = Number(value.dataSync()[0]);
    return `constant ${Number.isInteger(x) ? String(x) : x.toPrecision(4)}`;
  }
  return n.op;
}

/** `%18: f32[batch,10]`, or for several outputs `%4, %5: f32[3], i32[3]`. */
function nodeDetail(n: Node): string {
  if (n.outputs.length === 0) return '';
  if (n.outputs.length === 1) return clip(`${valueRef(n.outputs[0])}: ${formatType(n.outputs[0].type)}`, MAX_DETAIL_CHARS);
  return clip(`${n.outputs.map(valueRef).join(', ')}: ${n.outputs.map((o) => formatType(o.type)).join(', ')}`, MAX_DETAIL_CHARS);
}

/** Box id → group index; throws if a group is empty, holds a foreign node or overlaps another. */
function checkGroups(g: Graph, groups: readonly (readonly Node[])[]): Map<string, number> {
  if (!Array.isArray(groups)) throw new ValueError('report', 'groups', 'an array of arrays of nodes', groups);
  const index = new Map(g.nodes.map((n, i) => [n, i]));
  const groupOf = new Map<string, number>();
  groups.forEach((members, k) => {
    if (!Array.isArray(members) || members.length === 0) throw new ValueError('report', `groups[${k}]`, 'a non-empty array of nodes', members);
    for (const n of members) {
      const i = index.get(n);
      if (i === undefined) throw new ValueError('report', `groups[${k}]`, `nodes of graph '${g.name}'`, given('a node that is not in it'));
      const earlier = groupOf.get(`n${i}`);
      if (earlier !== undefined) {
        throw new ValueError('report', `groups[${k}]`, 'groups that share no node', given(`node ${formatNodeLine(n)} also in groups[${earlier}]`));
      }
      groupOf.set(`n${i}`, k);
    }
  });
  return groupOf;
}
