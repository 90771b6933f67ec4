/**
 * @file The JSON form of a graph, versioned, with exact tensor data (base64 of little-endian
 * bytes) and exact numbers (NaN, ±Infinity and -0 are tagged). graphFromJSON reads untrusted
 * input: every field is checked, with its path in the error, and the result is verified.
 *
 *     { "format": "flowgrad.graph", "version": 1, "graph": {
 *         "name": "f", "inputs": [{ "id": 0, "name": "x", "dtype": "float32", "shape": ["batch", 3] }],
 *         "nodes": [{ "op": "exp", "inputs": [0], "outputs": [{ "id": 1, "dtype": "float32", "shape": ["batch", 3] }] }],
 *         "outputs": [1] } }
 */
import { GraphFormatError, describe } from '../errors.js';
import { DTYPES, type DType } from '../tensor/dtype.js';
import type { Dim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { Graph } from './graph.js';
import { isKnownOp } from './graphOps.js';
import { type AttrValue, Node } from './node.js';
import { decodeTensorData, encodeTensorData, tensorFromElements } from './tensorCodec.js';
import { Value } from './value.js';
import { verifyGraph } from './verify.js';

export { toDot } from './dot.js';

export const GRAPH_JSON_FORMAT = 'flowgrad.graph';
export const GRAPH_JSON_VERSION = 1;
const MAX_DEPTH = 64;

export type AttrJSON =
  | number | boolean | string | null | AttrJSON[]
  | { $tensor: { dtype: DType; shape: number[]; data: string | (number | boolean)[] } }
  | { $number: 'nan' | 'inf' | '-inf' | '-0' }
  | { $object: { [key: string]: AttrJSON } };
export interface ValueJSON { id: number; name?: string; dtype: DType; shape: Dim[] }
export interface NodeJSON {
  op: string;
  inputs: number[];
  outputs: ValueJSON[];
  attrs?: { [key: string]: AttrJSON };
  device?: string;
  source?: string;
  /** Indices of earlier nodes of the same graph. */
  controlDeps?: number[];
  subgraphs?: GraphJSON[];
}
export interface GraphJSON { name: string; inputs: ValueJSON[]; nodes: NodeJSON[]; outputs: number[] }
export interface GraphDocument { format: typeof GRAPH_JSON_FORMAT; version: number; graph: GraphJSON }

/** The JSON form of a verified graph (a plain object for JSON.stringify). */
export function graphToJSON(g: Graph): GraphDocument {
  verifyGraph(g);
  return { format: GRAPH_JSON_FORMAT, version: GRAPH_JSON_VERSION, graph: writeGraph(g) };
}

function writeGraph(g: Graph): GraphJSON {
  const index = new Map(g.nodes.map((n, i) => [n, i]));
  const nodes = g.nodes.map((n): NodeJSON => {
    const out: NodeJSON = { op: n.op, inputs: n.inputs.map((v) => v.id), outputs: n.outputs.map(writeValue) };
    const attrs = Object.entries(n.attrs).filter(([, v]) => v !== undefined);
    if (attrs.length > 0) out.attrs = Object.fromEntries(attrs.map(([k, v]) => [k, writeAttr(v)]));
    if (n.device !== undefined) out.device = n.device;
    if (n.source !== undefined) out.source = n.source;
    if (n.controlDeps.length > 0) out.controlDeps = n.controlDeps.map((d) => index.get(d)!);
    if (n.subgraphs.length > 0) out.subgraphs = n.subgraphs.map(writeGraph);
    return out;
  });
  return { name: g.name, inputs: g.inputs.map(writeValue), nodes, outputs: g.outputs.map((v) => v.id) };
}

const writeValue = (v: Value): ValueJSON => ({ id: v.id, ...(v.name !== undefined ? { name: v.name } : {}), dtype: v.type.dtype, shape: [...v.type.shape] });

function writeAttr(v: AttrValue): AttrJSON {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $number: 'nan' };
    if (v === Infinity) return { $number: 'inf' };
    if (v === -Infinity) return { $number: '-inf' };
    return Object.is(v, -0) ? { $number: '-0' } : v;
  }
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof Tensor) return { $tensor: { dtype: v.dtype, shape: [...v.shape], data: encodeTensorData(v) } };
  if (Array.isArray(v)) return v.map(writeAttr);
  const entries = Object.entries(v as Record<string, AttrValue>).filter(([, x]) => x !== undefined);
  return { $object: Object.fromEntries(entries.map(([k, x]) => [k, writeAttr(x)])) };
}

// ---- reading ----

const fail = (path: string, expected: string, got: unknown): GraphFormatError =>
  new GraphFormatError(`graphFromJSON: ${path}: expected ${expected}, got ${describe(got)}`);

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The object at `path` with only the `allowed` keys (own properties only: `constructor` is not a field). */
function object(x: unknown, path: string, allowed: readonly string[], what: string): Obj {
  if (!isObject(x)) throw fail(path, what, x);
  for (const k of Object.keys(x)) if (!allowed.includes(k)) throw fail(`${path}.${k}`, `no such field (allowed: ${allowed.join(', ')})`, x[k]);
  return x;
}
const field = (o: Obj, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

function array(x: unknown, path: string, what = 'an array'): unknown[] {
  if (!Array.isArray(x)) throw fail(path, what, x);
  return x;
}
function str(x: unknown, path: string): string {
  if (typeof x !== 'string') throw fail(path, 'a string', x);
  return x;
}
function int(x: unknown, path: string, what = 'a non-negative integer'): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw fail(path, what, x);
  return x;
}

/**
 * Reads a graph from its JSON form (an object, or its JSON text). Refuses other formats,
 * unknown versions and malformed fields with a GraphFormatError naming the field's path.
 */
export function graphFromJSON(json: unknown): Graph {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new GraphFormatError(`graphFromJSON: the text is not valid JSON (${(e as Error).message})`);
    }
  }
  const o = object(doc, '$', ['format', 'version', 'graph'], 'a graph document { format, version, graph }');
  if (field(o, 'format') !== GRAPH_JSON_FORMAT) throw fail('$.format', JSON.stringify(GRAPH_JSON_FORMAT), field(o, 'format'));
  if (field(o, 'version') !== GRAPH_JSON_VERSION) {
    throw new GraphFormatError(`graphFromJSON: unsupported version ${describe(field(o, 'version'))}; this flowgrad reads version ${GRAPH_JSON_VERSION}`);
  }
  const g = readGraph(field(o, 'graph'), '$.graph', 0);
  verifyGraph(g);
  return g;
}

function readGraph(x: unknown, path: string, depth: number): Graph {
  if (depth > MAX_DEPTH) throw fail(path, `subgraphs nested at most ${MAX_DEPTH} deep`, x);
  const o = object(x, path, ['name', 'inputs', 'nodes', 'outputs'], 'a graph { name, inputs, nodes, outputs }');
  const scope = new Map<number, Value>();
  const define = (vx: unknown, vpath: string, producer: Node | null): Value => {
    const v = object(vx, vpath, ['id', 'name', 'dtype', 'shape'], 'a value { id, name?, dtype, shape }');
    const id = int(field(v, 'id'), `${vpath}.id`);
    if (scope.has(id)) throw fail(`${vpath}.id`, 'an id not used by another value of this graph', id);
    const name = field(v, 'name') === undefined ? undefined : str(field(v, 'name'), `${vpath}.name`);
    const value = new Value(id, readType(v, vpath), producer, name);
    scope.set(id, value);
    return value;
  };
  const use = (ix: unknown, ipath: string): Value => {
    const v = scope.get(int(ix, ipath, 'a value id'));
    if (!v) throw fail(ipath, 'the id of a value defined earlier in this graph', ix);
    return v;
  };
  const name = str(field(o, 'name'), `${path}.name`);
  const inputs = array(field(o, 'inputs'), `${path}.inputs`).map((v, i) => define(v, `${path}.inputs[${i}]`, null));
  const nodes: Node[] = [];
  array(field(o, 'nodes'), `${path}.nodes`).forEach((nx, i) => {
    const npath = `${path}.nodes[${i}]`;
    const n = object(nx, npath, ['op', 'inputs', 'outputs', 'attrs', 'device', 'source', 'controlDeps', 'subgraphs'], 'a node { op, inputs, outputs, … }');
    const op = str(field(n, 'op'), `${npath}.op`);
    if (!isKnownOp(op)) throw fail(`${npath}.op`, 'a known op', op);
    const ins = array(field(n, 'inputs'), `${npath}.inputs`).map((v, k) => use(v, `${npath}.inputs[${k}]`));
    const attrsX = field(n, 'attrs') ?? {};
    const attrsObj = object(attrsX, `${npath}.attrs`, Object.keys(attrsX as object), 'an object of attributes');
    const attrs = Object.fromEntries(Object.keys(attrsObj).map((k) => [k, readAttr(attrsObj[k], `${npath}.attrs.${k}`, 0)]));
    const opt = (k: string): string | undefined => (field(n, k) === undefined ? undefined : str(field(n, k), `${npath}.${k}`));
    const deps = array(field(n, 'controlDeps') ?? [], `${npath}.controlDeps`).map((d, k) => {
      const at = int(d, `${npath}.controlDeps[${k}]`);
      if (at >= i) throw fail(`${npath}.controlDeps[${k}]`, `the index of an earlier node (< ${i})`, d);
      return nodes[at];
    });
    const subgraphs = array(field(n, 'subgraphs') ?? [], `${npath}.subgraphs`).map((s, k) => readGraph(s, `${npath}.subgraphs[${k}]`, depth + 1));
    const node = new Node(op, ins, attrs, opt('device'), opt('source'), deps, subgraphs);
    node.outputs = array(field(n, 'outputs'), `${npath}.outputs`).map((v, k) => define(v, `${npath}.outputs[${k}]`, node));
    nodes.push(node);
  });
  const outputs = array(field(o, 'outputs'), `${path}.outputs`).map((v, k) => use(v, `${path}.outputs[${k}]`));
  return new Graph(name, inputs, nodes, outputs);
}

function readType(v: Obj, path: string): TensorType {
  const dtype = field(v, 'dtype');
  if (!DTYPES.includes(dtype as DType)) throw fail(`${path}.dtype`, `one of ${DTYPES.join(', ')}`, dtype);
  const shape = array(field(v, 'shape'), `${path}.shape`).map((d, i): Dim => {
    if (typeof d === 'string' && d !== '') return d;
    return int(d, `${path}.shape[${i}]`, 'a non-negative integer or a symbol name');
  });
  return { shape, dtype: dtype as DType };
}

const NUMBERS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };

function readAttr(x: unknown, path: string, depth: number): AttrValue {
  if (depth > MAX_DEPTH) throw fail(path, `attribute values nested at most ${MAX_DEPTH} deep`, x);
  if (x === null || typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') return x;
  if (Array.isArray(x)) return x.map((e, i) => readAttr(e, `${path}[${i}]`, depth + 1));
  const what = 'an attribute value (a JSON scalar or list, or one of {$tensor}, {$number}, {$object})';
  if (!isObject(x) || Object.keys(x).length !== 1) throw fail(path, what, x);
  if (Object.hasOwn(x, '$number')) {
    const tag = x.$number;
    if (typeof tag !== 'string' || !Object.hasOwn(NUMBERS, tag)) throw fail(`${path}.$number`, 'one of nan, inf, -inf, -0', tag);
    return NUMBERS[tag];
  }
  if (Object.hasOwn(x, '$object')) {
    const inner = x.$object;
    if (!isObject(inner)) throw fail(`${path}.$object`, 'an object', inner);
    return Object.fromEntries(Object.keys(inner).map((k) => [k, readAttr(inner[k], `${path}.$object.${k}`, depth + 1)]));
  }
  if (Object.hasOwn(x, '$tensor')) return readTensor(x.$tensor, `${path}.$tensor`);
  throw fail(path, what, x);
}

function readTensor(x: unknown, path: string): Tensor {
  const t = object(x, path, ['dtype', 'shape', 'data'], 'a tensor { dtype, shape, data }');
  const dtype = field(t, 'dtype');
  if (!DTYPES.includes(dtype as DType)) throw fail(`${path}.dtype`, `one of ${DTYPES.join(', ')}`, dtype);
  const shape = array(field(t, 'shape'), `${path}.shape`).map((d, i) => int(d, `${path}.shape[${i}]`));
  const data = field(t, 'data');
  let result: Tensor | string;
  if (typeof data === 'string') result = decodeTensorData(dtype as DType, shape, data);
  else if (Array.isArray(data)) result = tensorFromElements(dtype as DType, shape, data);
  else throw fail(`${path}.data`, 'base64 text or an array of numbers', data);
  if (typeof result === 'string') throw new GraphFormatError(`graphFromJSON: ${path}.data: expected ${result}`);
  return result;
}
