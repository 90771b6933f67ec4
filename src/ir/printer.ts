/**
 * @file The IR text form (STYLE.md §5): one node per line, every binder typed, attributes
 * in brackets, control deps as `after %2`, device as `@cpu:1`, source as a trailing comment,
 * subgraphs as nested blocks. parser.ts reads it back exactly.
 *
 *     graph mlp(%x: f32[batch,784], %w: f32[784,10]) {
 *       %2: f32[batch,10] = matmul %x, %w                # mlp.ts:12
 *       %3: f32[batch] = sum[axes=[1], keepDim=false] %2  # mlp.ts:13
 *       return %3
 *     }
 *
 * A value prints as `%name` when it has a name that is unique in its graph, else `%id`.
 * A node without outputs prints as `#k = op …` (k: its index), so control deps can name it.
 */
import { SHORT_NAME } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import type { Graph } from './graph.js';
import type { AttrValue, Node } from './node.js';
import { encodeTensorData } from './tensorCodec.js';
import type { Value } from './value.js';
import { formatDevice, formatDim, formatFloat32, formatName, formatNumber, formatSource, formatStringAttr } from './text.js';

/** Constants with at most this many elements print as a literal list; larger ones as base64. */
export const MAX_LITERAL_ELEMENTS = 16;
/** Trailing `# source` comments line up in one column, up to this width of code. */
const COMMENT_COLUMN_CAP = 80;
const MAX_ATTR_DEPTH = 64;

/** The printed text plus where each node, graph header and return landed (for error context). */
export interface PrintedGraph {
  readonly lines: string[];
  readonly nodeLine: Map<Node, number>;
  readonly headerLine: Map<Graph, number>;
  readonly returnLine: Map<Graph, number>;
}

/** The text form of `g` (no trailing newline). */
export function printGraph(g: Graph): string {
  return printGraphLines(g).lines.join('\n');
}

/** printGraph, split in lines, with the line index of each node (used by the verifier's messages). */
export function printGraphLines(g: Graph): PrintedGraph {
  const printer = new Printer();
  printer.graph(g, 0, new Set());
  return { lines: printer.render(), nodeLine: printer.nodeLine, headerLine: printer.headerLine, returnLine: printer.returnLine };
}

/** One node as a single line (without subgraph bodies), for error messages: `%7: f32[3] = exp %5  # m.ts:3`. */
export function formatNodeLine(node: Node): string {
  const code = nodeCode(node, valueRef, -1) + (node.subgraphs.length > 0 ? ' { … }' : '');
  return node.source === undefined ? code : `${code}  # ${formatSource(node.source)}`;
}

/** A value's printed name out of context: `%name` if it has one, else `%id`. */
export const valueRef = (v: Value): string => (v.name !== undefined ? `%${formatName(v.name)}` : `%${v.id}`);

/** `f32[batch,784]`. */
export const formatType = (t: TensorType): string => `${SHORT_NAME[t.dtype] ?? `?${String(t.dtype)}`}[${t.shape.map(formatDim).join(',')}]`;

/** An attribute value as printed between the brackets. */
export function formatAttr(v: AttrValue | undefined, depth = 0): string {
  if (depth > MAX_ATTR_DEPTH) return '<too deep>';
  if (v === null) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return formatStringAttr(v);
  if (v instanceof Tensor) return formatTensor(v);
  if (Array.isArray(v)) return `[${v.map((x) => formatAttr(x, depth + 1)).join(', ')}]`;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${formatName(k)}=${formatAttr(x, depth + 1)}`).join(', ')}}`;
  }
  // Not an AttrValue: printed so the reader sees it; the verifier rejects it.
  return `<${v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v}>`;
}

/** `f32[2] [1, 2]` for small tensors, `f32[100] b64"…"` (exact little-endian bytes) for large ones. */
export function formatTensor(t: Tensor): string {
  const type = formatType(t);
  if (t.trace) return `${type} <traced>`;
  if (t.disposed) return `${type} <disposed>`;
  if (t.size > MAX_LITERAL_ELEMENTS) return `${type} b64"${encodeTensorData(t)}"`;
  const data = t.dataSync();
  const elem = t.dtype === 'float32' ? formatFloat32 : t.dtype === 'bool' ? (x: number) => String(x !== 0) : formatNumber;
  return `${type} [${Array.from(data, elem).join(', ')}]`;
}

/** The code of a node's line: binders, op, attrs, operands, control deps and device. */
function nodeCode(node: Node, name: (v: Value) => string, index: number, depLabel?: (n: Node) => string): string {
  const lhs = node.outputs.length > 0 ? node.outputs.map((v) => `${name(v)}: ${formatType(v.type)}`).join(', ') : `#${index < 0 ? '?' : index}`;
  const attrs = Object.entries(node.attrs).filter(([, v]) => v !== undefined);
  let code = `${lhs} = ${formatName(node.op)}`;
  if (attrs.length > 0) code += `[${attrs.map(([k, v]) => `${formatName(k)}=${formatAttr(v)}`).join(', ')}]`;
  if (node.inputs.length > 0) code += ` ${node.inputs.map(name).join(', ')}`;
  const label = depLabel ?? ((n: Node) => (n.outputs.length > 0 ? name(n.outputs[0]) : '#?'));
  if (node.controlDeps.length > 0) code += ` after ${node.controlDeps.map(label).join(', ')}`;
  if (node.device !== undefined) code += ` @${formatDevice(node.device)}`;
  return code;
}

interface Line {
  readonly indent: number;
  readonly code: string;
  readonly comment?: string;
  /** Lines of one graph body share a comment column. */
  readonly block: number;
}

class Printer {
  private readonly out: Line[] = [];
  private blocks = 0;
  readonly nodeLine = new Map<Node, number>();
  readonly headerLine = new Map<Graph, number>();
  readonly returnLine = new Map<Graph, number>();

  graph(g: Graph, indent: number, ancestors: Set<Graph>): void {
    const names = scopeNames(g);
    const name = (v: Value): string => names.get(v) ?? valueRef(v);
    const nodeIndex = new Map(g.nodes.map((n, i) => [n, i]));
    const depLabel = (n: Node): string => (n.outputs.length > 0 ? name(n.outputs[0]) : `#${nodeIndex.get(n) ?? '?'}`);
    const block = this.blocks++;
    this.headerLine.set(g, this.out.length);
    const params = g.inputs.map((v) => `${name(v)}: ${formatType(v.type)}`).join(', ');
    this.push(indent, `graph ${formatName(g.name)}(${params}) {`, block);
    g.nodes.forEach((node, i) => {
      this.nodeLine.set(node, this.out.length);
      const code = nodeCode(node, name, i, depLabel) + (node.subgraphs.length > 0 ? ' {' : '');
      this.push(indent + 2, code, block, node.source === undefined ? undefined : formatSource(node.source));
      if (node.subgraphs.length === 0) return;
      for (const sub of node.subgraphs) {
        if (ancestors.has(sub) || sub === g) this.push(indent + 4, `<recursive graph ${formatName(sub.name)}>`, block);
        else this.graph(sub, indent + 4, new Set([...ancestors, g]));
      }
      this.push(indent + 2, '}', block);
    });
    this.returnLine.set(g, this.out.length);
    this.push(indent + 2, g.outputs.length > 0 ? `return ${g.outputs.map(name).join(', ')}` : 'return', block);
    this.push(indent, '}', block);
  }

  private push(indent: number, code: string, block: number, comment?: string): void {
    this.out.push(comment === undefined ? { indent, code, block } : { indent, code, block, comment });
  }

  render(): string[] {
    const width = new Map<number, number>();
    for (const l of this.out) if (l.comment !== undefined) width.set(l.block, Math.max(width.get(l.block) ?? 0, Math.min(l.indent + l.code.length, COMMENT_COLUMN_CAP)));
    return this.out.map((l) => {
      const text = ' '.repeat(l.indent) + l.code;
      if (l.comment === undefined) return text;
      return `${text.padEnd(width.get(l.block)!)}  # ${l.comment}`;
    });
  }
}

/** Printed names for the values defined in `g`: `%name` when unique, else `%id`. */
function scopeNames(g: Graph): Map<Value, string> {
  const names = new Map<Value, string>();
  const taken = new Set<string>();
  const define = (v: Value): void => {
    if (names.has(v)) return;
    const named = v.name !== undefined ? `%${formatName(v.name)}` : undefined;
    if (named !== undefined && !taken.has(named)) {
      taken.add(named);
      names.set(v, named);
    } else names.set(v, `%${v.id}`);
  };
  g.inputs.forEach(define);
  for (const n of g.nodes) n.outputs.forEach(define);
  return names;
}
