/**
 * @file toDot: a graph as Graphviz source. Ops are boxes, graph inputs and outputs are
 * ellipses, data edges carry the value's name and type, control deps are dashed, and
 * subgraphs are clusters. Every label is escaped, so names from a file cannot break out.
 */
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import { formatAttr, formatType } from './printer.js';
import type { Value } from './value.js';

/** Graphviz `dot` source for `g` (render with `dot -Tsvg`). */
export function toDot(g: Graph): string {
  const lines = [`digraph ${quote(g.name)} {`, '  node [fontname="monospace"];', '  edge [fontname="monospace", fontsize=10];'];
  emitGraph(g, 'g', '  ', lines, new Set());
  lines.push('}');
  return lines.join('\n');
}

/** A DOT string literal: backslashes, quotes and line breaks escaped. */
const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n').replace(/\p{Cc}/gu, ' ')}"`;

const valueLabel = (v: Value): string => (v.name !== undefined ? `%${v.name}` : `%${v.id}`);

function nodeLabel(n: Node): string {
  const attrs = Object.entries(n.attrs).filter(([, v]) => v !== undefined);
  const lines = [n.op];
  for (const [k, v] of attrs) {
    const text = formatAttr(v);
    lines.push(`${k}=${text.length > 40 ? text.slice(0, 40) + '…' : text}`);
  }
  if (n.device !== undefined) lines.push(`@${n.device}`);
  if (n.source !== undefined) lines.push(n.source);
  return lines.join('\n');
}

function emitGraph(g: Graph, prefix: string, indent: string, out: string[], ancestors: Set<Graph>): void {
  const where = new Map<Value, string>();
  g.inputs.forEach((v, i) => {
    const id = `${prefix}_in${i}`;
    where.set(v, id);
    out.push(`${indent}${id} [shape=ellipse, label=${quote(`${valueLabel(v)}\n${formatType(v.type)}`)}];`);
  });
  const nodeId = new Map<Node, string>();
  g.nodes.forEach((n, i) => {
    const id = `${prefix}_n${i}`;
    nodeId.set(n, id);
    out.push(`${indent}${id} [shape=box, label=${quote(nodeLabel(n))}];`);
    for (const v of n.inputs) {
      const from = where.get(v);
      if (from) out.push(`${indent}${from} -> ${id} [label=${quote(`${valueLabel(v)}: ${formatType(v.type)}`)}];`);
    }
    for (const d of n.controlDeps) {
      const from = nodeId.get(d);
      if (from) out.push(`${indent}${from} -> ${id} [style=dashed, label="after"];`);
    }
    for (const v of n.outputs) where.set(v, id);
    n.subgraphs.forEach((sub, k) => {
      if (ancestors.has(sub) || sub === g) return;
      const cluster = `${id}_s${k}`;
      out.push(`${indent}subgraph cluster_${cluster} {`, `${indent}  label=${quote(`${n.op} subgraph ${k}: ${sub.name}`)};`, `${indent}  style=rounded;`);
      emitGraph(sub, cluster, `${indent}  `, out, new Set([...ancestors, g]));
      out.push(`${indent}}`);
    });
  });
  const ret = `${prefix}_return`;
  out.push(`${indent}${ret} [shape=ellipse, label="return"];`);
  g.outputs.forEach((v, i) => {
    const from = where.get(v);
    if (from) out.push(`${indent}${from} -> ${ret} [label=${quote(`${i}: ${valueLabel(v)}: ${formatType(v.type)}`)}];`);
  });
}
