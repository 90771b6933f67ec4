import { describe, expect, test } from 'vitest';
import * as fg from '../../src/index.js';
import { GraphFormatError } from '../../src/errors.js';
import { graphDifference } from '../../src/ir/equal.js';
import { type Graph, GraphBuilder } from '../../src/ir/graph.js';
import { printGraph } from '../../src/ir/printer.js';
import { graphFromJSON, graphToJSON, toDot } from '../../src/ir/serialize.js';
import { allSamples, mlp } from './graphs.js';
import './testOps.js';

/** JSON text → graph → same print and structure. */
function expectJsonRoundTrip(g: Graph): unknown {
  const json = JSON.parse(JSON.stringify(graphToJSON(g)));
  const back = graphFromJSON(json);
  expect(graphDifference(g, back)).toBeNull();
  expect(printGraph(back)).toBe(printGraph(g));
  return json;
}

function expectRefused(json: unknown, pattern: RegExp): void {
  let thrown: unknown;
  try {
    graphFromJSON(json);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a GraphFormatError').toBeInstanceOf(GraphFormatError);
  expect((thrown as Error).message).toMatch(pattern);
}

const doc = (graph: unknown, extra: Record<string, unknown> = {}) => ({ format: 'flowgrad.graph', version: 1, graph, ...extra });
const v = (id: number, shape: (number | string)[] = [2], dtype = 'float32') => ({ id, dtype, shape });

describe('graphToJSON / graphFromJSON', () => {
  test.each(Object.entries(allSamples()))('%s round-trips exactly', (_name, sample) => {
    expectJsonRoundTrip(sample.graph);
  });

  test('the document shape', () => {
    const json = graphToJSON(mlp().graph);
    expect(json.format).toBe('flowgrad.graph');
    expect(json.version).toBe(1);
    expect(json.graph.inputs[0]).toEqual({ id: 0, name: 'x', dtype: 'float32', shape: ['batch', 4] });
    expect(json.graph.nodes[3]).toEqual({ op: 'sum', inputs: [5], outputs: [{ id: 6, dtype: 'float32', shape: ['batch'] }], attrs: { axes: [1], keepDim: false }, source: 'mlp.ts:14' });
    expect(json.graph.outputs).toEqual([6, 5]);
  });

  test('special numbers, nested attrs, tensors, control deps, devices and subgraphs survive', () => {
    const body = new GraphBuilder('body');
    const a = body.addInput({ shape: [2], dtype: 'float64' });
    const b = new GraphBuilder('g');
    const x = b.addInput({ shape: [2], dtype: 'float64' }, 'x');
    const c = b.addConstant(fg.tensor([NaN, -0, Infinity, 1e-310], { dtype: 'float64' }));
    const attrs = b.addOp('testAttrs', [x], { n: [NaN, -0, -Infinity, 5e-324], o: { $tensor: 'not a tag', k: { deep: [true] } }, t: fg.tensor([true, false]) });
    const sink = b.addOp('testSink', [c], {}, { device: 'cpu:1' });
    const call = b.addOp('testCall', [attrs.outputs[0]], {}, { subgraphs: [body.build([a])], controlDeps: [sink], source: 's.ts:9' });
    const json = expectJsonRoundTrip(b.build([call.outputs[0], c])) as { graph: { nodes: { attrs?: Record<string, unknown> }[] } };
    expect(json.graph.nodes[1].attrs!.n).toEqual([{ $number: 'nan' }, { $number: '-0' }, { $number: '-inf' }, 5e-324]);
    expect(json.graph.nodes[1].attrs!.o).toEqual({ $object: { $tensor: 'not a tag', k: { $object: { deep: [true] } } } });
  });

  test('accepts JSON text and number arrays for tensor data', () => {
    const g = graphFromJSON(
      JSON.stringify(doc({ name: 'g', inputs: [], nodes: [{ op: 'constant', inputs: [], outputs: [v(0, [3], 'int32')], attrs: { value: { $tensor: { dtype: 'int32', shape: [3], data: [1, -2, 3] } } } }], outputs: [0] })),
    );
    expect((g.nodes[0].attrs.value as fg.Tensor).toArray()).toEqual([1, -2, 3]);
  });

  test('refuses other formats, unknown versions and invalid JSON text', () => {
    expectRefused('{"format": "flowgrad.graph", "version": 1, ', /graphFromJSON: the text is not valid JSON/);
    expectRefused(null, /\$: expected a graph document \{ format, version, graph \}, got null/);
    expectRefused([], /\$: expected a graph document/);
    expectRefused({ format: 'onnx', version: 1, graph: {} }, /\$\.format: expected "flowgrad.graph", got "onnx"/);
    expectRefused({ format: 'flowgrad.graph', version: 2, graph: {} }, /unsupported version 2; this flowgrad reads version 1/);
    expectRefused({ format: 'flowgrad.graph', graph: {} }, /unsupported version undefined/);
    expectRefused(doc({}, { extra: 1 }), /\$\.extra: expected no such field/);
  });

  test('refuses malformed graphs with the path of the bad field', () => {
    const g = (over: Record<string, unknown>) => doc({ name: 'g', inputs: [v(0)], nodes: [], outputs: [0], ...over });
    expectRefused(g({ name: 3 }), /\$\.graph\.name: expected a string, got 3/);
    expectRefused(g({ inputs: {} }), /\$\.graph\.inputs: expected an array/);
    expectRefused(g({ inputs: [{ id: -1, dtype: 'float32', shape: [2] }] }), /\$\.graph\.inputs\[0\]\.id: expected a non-negative integer, got -1/);
    expectRefused(g({ inputs: [v(0, [2], 'float16')] }), /inputs\[0\]\.dtype: expected one of float32, float64, int32, bool, got "float16"/);
    expectRefused(g({ inputs: [v(0, [2.5])] }), /inputs\[0\]\.shape\[0\]: expected a non-negative integer or a symbol name, got 2.5/);
    expectRefused(g({ inputs: [v(0), v(0)] }), /inputs\[1\]\.id: expected an id not used by another value of this graph, got 0/);
    expectRefused(g({ outputs: [7] }), /\$\.graph\.outputs\[0\]: expected the id of a value defined earlier in this graph, got 7/);
    expectRefused(g({ nodes: [{ op: 'exp', inputs: [3], outputs: [v(1)] }] }), /nodes\[0\]\.inputs\[0\]: expected the id of a value defined earlier/);
    expectRefused(g({ nodes: [{ op: 'nope', inputs: [0], outputs: [v(1)] }] }), /nodes\[0\]\.op: expected a known op, got "nope"/);
    expectRefused(g({ nodes: [{ op: 'exp', inputs: [0], outputs: [v(1)], controlDeps: [0] }] }), /nodes\[0\]\.controlDeps\[0\]: expected the index of an earlier node \(< 0\), got 0/);
    expectRefused(g({ nodes: [{ op: 'exp', inputs: [0], outputs: [v(1)], colour: 'red' }] }), /nodes\[0\]\.colour: expected no such field/);
    expectRefused(g({ nodes: [{ op: 'exp', inputs: [0], outputs: [v(1, [3])] }] }), /verifyGraph: declared type f32\[3\] of %1 differs from what exp infers: f32\[2\]/);
    expectRefused(g({ nodes: [{ op: 'sum', inputs: [0], outputs: [v(1, [])], attrs: { axes: [{ bad: 1 }], keepDim: false } }] }), /attrs\.axes\[0\]: expected an attribute value/);
    expectRefused(g({ nodes: [{ op: 'testAttrs', inputs: [0], outputs: [v(1)], attrs: { n: { $number: 'pi' } } }] }), /attrs\.n\.\$number: expected one of nan, inf, -inf, -0, got "pi"/);
  });

  test('refuses bad tensor data without allocating for huge claimed shapes', () => {
    const c = (t: unknown) => doc({ name: 'g', inputs: [], nodes: [{ op: 'constant', inputs: [], outputs: [v(0)], attrs: { value: { $tensor: t } } }], outputs: [0] });
    expectRefused(c({ dtype: 'float32', shape: [2], data: 'AAAA' }), /\$tensor\.data: expected base64 data of 12 characters/);
    expectRefused(c({ dtype: 'float32', shape: [2], data: [1] }), /expected 2 elements for shape \[2\], got 1/);
    expectRefused(c({ dtype: 'float32', shape: [1e12], data: '' }), /at most 268435456 elements/);
    expectRefused(c({ dtype: 'float32', shape: [2], data: 5 }), /expected base64 text or an array of numbers/);
    expectRefused(c({ dtype: 'float32', shape: [2] }), /\$tensor\.data: expected base64 text or an array of numbers, got undefined/);
  });

  test('a `constructor` key is not mistaken for a field', () => {
    expectRefused(JSON.parse('{"format": "flowgrad.graph", "version": 1, "graph": {"name": "g", "inputs": [], "nodes": [], "outputs": [], "constructor": 1}}'), /graph\.constructor: expected no such field/);
    expectRefused(doc({ name: 'g', inputs: [], outputs: [] }), /\$\.graph\.nodes: expected an array, got undefined/);
  });

  test('deeply nested subgraphs are refused', () => {
    let graph: unknown = { name: 'leaf', inputs: [], nodes: [], outputs: [] };
    for (let i = 0; i < 100; i++) graph = { name: 'g', inputs: [], nodes: [{ op: 'testCall', inputs: [], outputs: [], subgraphs: [graph] }], outputs: [] };
    expectRefused(doc(graph), /subgraphs nested at most 64 deep/);
  });
});

describe('toDot', () => {
  test('ops are boxes, inputs ellipses, edges carry types, control deps are dashed', () => {
    const dot = toDot(allSamples().constantsAndMovement.graph);
    expect(dot).toMatch(/^digraph "consts" \{/);
    expect(dot).toContain('g_in0 [shape=ellipse, label="%x\\nf32[2,3]"];');
    expect(dot).toContain('g_n3 [shape=box, label="mul"];');
    expect(dot).toContain('g_in0 -> g_n3 [label="%x: f32[2,3]"];');
    expect(dot).toContain('g_n8 -> g_n10 [style=dashed, label="after"];');
    expect(dot).toContain('g_n10 [shape=box, label="clone\\n@cpu:0"];');
    expect(dot.trim().endsWith('}')).toBe(true);
  });

  test('labels from names are escaped and subgraphs become clusters', () => {
    const body = new GraphBuilder('body "x"');
    const a = body.addInput({ shape: [2], dtype: 'float32' });
    const b = new GraphBuilder('we"ird\\name');
    const x = b.addInput({ shape: [2], dtype: 'float32' }, 'in"put');
    const call = b.addOp('testCall', [x], {}, { subgraphs: [body.build([a])], source: 'a\nb' });
    const dot = toDot(b.build(call.outputs));
    expect(dot).toContain('digraph "we\\"ird\\\\name" {');
    expect(dot).toContain('label="%in\\"put\\nf32[2]"');
    expect(dot).toContain('subgraph cluster_g_n0_s0 {');
    expect(dot).toContain('label="testCall subgraph 0: body \\"x\\""');
    expect(dot).toContain('label="testCall\\na\\nb"');
  });
});

test('graph.toDot() is the DOT text of fg.toDot', () => {
  const g = fg.trace((x: fg.Tensor) => x.exp().sum(), [fg.spec([3])]);
  expect(g.toDot()).toBe(fg.toDot(g));
  expect(g.toDot()).toMatch(/^digraph/);
});
