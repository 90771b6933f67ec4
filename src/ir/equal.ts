/**
 * @file Structural equality of graphs: the same ops, attrs, types, names, devices, sources,
 * wiring, control deps and subgraphs. Value ids are not compared (only how values connect),
 * so a graph equals its printed-and-parsed or serialised-and-read copy.
 */
import { Tensor } from '../tensor/tensor.js';
import type { Graph } from './graph.js';
import type { AttrValue, Node } from './node.js';
import { formatNodeLine, formatType, valueRef } from './printer.js';
import type { Value } from './value.js';

/** Whether `a` and `b` are structurally equal (see graphDifference for why not). */
export const graphsEqual = (a: Graph, b: Graph): boolean => graphDifference(a, b) === null;

/** The first structural difference between two graphs, in words, or null if they are equal. */
export function graphDifference(a: Graph, b: Graph, path = 'graph'): string | null {
  if (a.name !== b.name) return `${path}: name ${JSON.stringify(a.name)} vs ${JSON.stringify(b.name)}`;
  const map = new Map<Value, Value>();
  const pair = (x: Value, y: Value, where: string): string | null => {
    if (x.name !== y.name) return `${where}: name ${String(x.name)} vs ${String(y.name)}`;
    if (formatType(x.type) !== formatType(y.type)) return `${where}: type ${formatType(x.type)} vs ${formatType(y.type)}`;
    map.set(x, y);
    return null;
  };
  if (a.inputs.length !== b.inputs.length) return `${path}: ${a.inputs.length} inputs vs ${b.inputs.length}`;
  for (let i = 0; i < a.inputs.length; i++) {
    const d = pair(a.inputs[i], b.inputs[i], `${path} input ${i}`);
    if (d) return d;
  }
  if (a.nodes.length !== b.nodes.length) return `${path}: ${a.nodes.length} nodes vs ${b.nodes.length}`;
  const nodeIndexB = new Map(b.nodes.map((n, i) => [n, i]));
  const nodeIndexA = new Map(a.nodes.map((n, i) => [n, i]));
  for (let i = 0; i < a.nodes.length; i++) {
    const [x, y] = [a.nodes[i], b.nodes[i]];
    const where = `${path} node ${i} (${formatNodeLine(x)})`;
    const d = nodeDifference(x, y, where, map, (n) => nodeIndexA.get(n), (n) => nodeIndexB.get(n));
    if (d) return d;
    if (x.outputs.length !== y.outputs.length) return `${where}: ${x.outputs.length} outputs vs ${y.outputs.length}`;
    for (let k = 0; k < x.outputs.length; k++) {
      const e = pair(x.outputs[k], y.outputs[k], `${where} output ${k}`);
      if (e) return e;
    }
    for (let k = 0; k < x.subgraphs.length; k++) {
      const e = graphDifference(x.subgraphs[k], y.subgraphs[k], `${where} subgraph ${k}`);
      if (e) return e;
    }
  }
  if (a.outputs.length !== b.outputs.length) return `${path}: ${a.outputs.length} outputs vs ${b.outputs.length}`;
  for (let i = 0; i < a.outputs.length; i++) {
    if (map.get(a.outputs[i]) !== b.outputs[i]) return `${path}: output ${i} is ${valueRef(a.outputs[i])} vs ${valueRef(b.outputs[i])}`;
  }
  return null;
}

function nodeDifference(
  x: Node,
  y: Node,
  where: string,
  map: ReadonlyMap<Value, Value>,
  indexA: (n: Node) => number | undefined,
  indexB: (n: Node) => number | undefined,
): string | null {
  if (x.op !== y.op) return `${where}: op ${x.op} vs ${y.op}`;
  if (x.device !== y.device) return `${where}: device ${String(x.device)} vs ${String(y.device)}`;
  if (x.source !== y.source) return `${where}: source ${String(x.source)} vs ${String(y.source)}`;
  if (x.inputs.length !== y.inputs.length) return `${where}: ${x.inputs.length} inputs vs ${y.inputs.length}`;
  for (let k = 0; k < x.inputs.length; k++) {
    if (map.get(x.inputs[k]) !== y.inputs[k]) return `${where}: input ${k} is ${valueRef(x.inputs[k])} vs ${valueRef(y.inputs[k])}`;
  }
  const depsX = x.controlDeps.map(indexA).join(',');
  const depsY = y.controlDeps.map(indexB).join(',');
  if (depsX !== depsY) return `${where}: control deps on nodes [${depsX}] vs [${depsY}]`;
  if (!attrsEqual(x.attrs, y.attrs)) return `${where}: attrs differ`;
  if (x.subgraphs.length !== y.subgraphs.length) return `${where}: ${x.subgraphs.length} subgraphs vs ${y.subgraphs.length}`;
  return null;
}

/** Deep equality of attribute values: numbers by bits (NaN equals NaN, -0 differs from 0), tensors by dtype, shape and data. */
export function attrsEqual(a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof Tensor || b instanceof Tensor) return a instanceof Tensor && b instanceof Tensor && tensorsIdentical(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => attrsEqual(x, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, AttrValue>;
  const rb = b as Record<string, AttrValue>;
  return ka.every((k) => Object.hasOwn(rb, k) && attrsEqual(ra[k], rb[k]));
}

function tensorsIdentical(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const da = a.dataSync();
  const db = b.dataSync();
  for (let i = 0; i < da.length; i++) if (!Object.is(da[i], db[i])) return false;
  return true;
}
