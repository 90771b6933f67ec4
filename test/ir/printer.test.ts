import { describe, expect, test } from 'vitest';
import * as fg from '../../src/index.js';
import { graphDifference } from '../../src/ir/equal.js';
import { type Graph, GraphBuilder } from '../../src/ir/graph.js';
import { parseGraph } from '../../src/ir/parser.js';
import { formatNodeLine, printGraph } from '../../src/ir/printer.js';
import { allSamples, constantsAndMovement, mlp } from './graphs.js';
import './testOps.js';

/** print → parse → print gives the same text, and the parsed graph equals the original. */
export function expectRoundTrip(g: Graph): string {
  const text = printGraph(g);
  const back = parseGraph(text);
  expect(printGraph(back)).toBe(text);
  expect(graphDifference(g, back)).toBeNull();
  return text;
}

describe('printGraph', () => {
  test('golden text of an MLP over a symbolic batch', () => {
    expect(mlp().graph.toString()).toBe(
      [
        'graph mlp(%x: f32[batch,4], %w: f32[4,3], %b: f32[3]) {',
        '  %3: f32[batch,3] = matmul %x, %w                  # mlp.ts:12',
        '  %4: f32[batch,3] = add %3, %b                     # mlp.ts:12',
        '  %5: f32[batch,3] = relu %4                        # mlp.ts:13',
        '  %6: f32[batch] = sum[axes=[1], keepDim=false] %5  # mlp.ts:14',
        '  return %6, %5',
        '}',
      ].join('\n'),
    );
  });

  test('golden text with constants, control deps and a device', () => {
    const lines = printGraph(constantsAndMovement().graph).split('\n');
    expect(lines[1]).toBe('  %1: f32[3] = constant[value=f32[3] [1.5, -2, 0.1]]');
    expect(lines[2]).toMatch(/^ {2}%2: f32\[4,6\] = constant\[value=f32\[4,6\] b64"AAAAAAAAgD8AAABA[A-Za-z0-9+/=]+"\]$/);
    expect(lines[3]).toBe('  %3: bool[3] = constant[value=bool[3] [true, false, true]]');
    expect(lines[9]).toBe('  %9: i32[2,3] = cast[dtype=int32] %8');
    expect(lines[11]).toBe('  %11: f32[2,3] = clone %10 after %9 @cpu:0');
  });

  test.each(Object.entries(allSamples()))('%s round-trips through the parser', (_name, sample) => {
    expectRoundTrip(sample.graph);
  });

  test('float constants print the shortest exact spelling, and special values round-trip', () => {
    const b = new GraphBuilder('nums');
    const f32 = b.addConstant(fg.tensor([0.1, 1 / 3, 1e-30, 3e38, NaN, -0, Infinity, -Infinity], { dtype: 'float32' }));
    const f64 = b.addConstant(fg.tensor([0.1 + 0.2, Math.PI, 5e-324, -0, NaN], { dtype: 'float64' }));
    const i32 = b.addConstant(fg.tensor([-(2 ** 31), 2 ** 31 - 1, 0], { dtype: 'int32' }));
    const scalar = b.addConstant(fg.tensor(2.5, { dtype: 'float64' }));
    const text = expectRoundTrip(b.build([f32, f64, i32, scalar]));
    expect(text).toContain('f32[8] [0.1, 0.33333334, 1e-30, 3e+38, nan, -0, inf, -inf]');
    expect(text).toContain('f64[5] [0.30000000000000004, 3.141592653589793, 5e-324, -0, nan]');
    expect(text).toContain('i32[3] [-2147483648, 2147483647, 0]');
    expect(text).toContain('f64[] [2.5]');
  });

  test('large constants of every dtype round-trip exactly through base64', () => {
    const b = new GraphBuilder('big');
    const n = 40;
    const outs = [
      b.addConstant(fg.tensor(Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3), { dtype: 'float32' })),
      b.addConstant(fg.tensor(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : Math.cos(i) / 3)), { dtype: 'float64' })),
      b.addConstant(fg.tensor(Array.from({ length: n }, (_, i) => i * 100_003 - 2_000_000), { dtype: 'int32' })),
      b.addConstant(fg.tensor(Array.from({ length: n }, (_, i) => i % 3 === 0))),
    ];
    const text = expectRoundTrip(b.build(outs));
    expect(text.match(/b64"/g)).toHaveLength(4);
  });

  test('a non-contiguous constant prints its elements in row-major order', () => {
    const b = new GraphBuilder('t');
    const t = fg.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' }).transpose(0, 1);
    const out = b.addConstant(t);
    expect(printGraph(b.build([out]))).toContain('constant[value=f32[3,2] [1, 4, 2, 5, 3, 6]]');
  });

  test('attribute values of every kind: quoted strings, reserved words, nested lists and objects', () => {
    const b = new GraphBuilder('attrs');
    const x = b.addInput({ shape: [2], dtype: 'float32' }, 'x');
    const attrs = {
      word: 'hello',
      spaced: 'hello world',
      reserved: 'true',
      dtypeName: 'f32',
      empty: '',
      unicode: 'naïve "q" \\ \n',
      nums: [1, -2.5, 1e21, -0, NaN, Infinity, -Infinity, [[]]],
      nested: { a: 1, 'b c': [true, null], __proto__x: 'y' },
      flag: false,
      nothing: null,
      tensor: fg.tensor([[1, 2]], { dtype: 'int32' }),
      'odd key': 1,
    };
    const node = b.addOp('testAttrs', [x], attrs);
    const text = expectRoundTrip(b.build(node.outputs));
    expect(text).toContain('word=hello, spaced="hello world", reserved="true", dtypeName="f32", empty=""');
    expect(text).toContain('nums=[1, -2.5, 1e+21, -0, nan, inf, -inf, [[]]]');
    expect(text).toContain('nested={a=1, "b c"=[true, null], __proto__x=y}');
    expect(text).toContain('tensor=i32[1,2] [1, 2], "odd key"=1]');
  });

  test('multiple outputs, nodes without outputs as #k, control deps on them, odd sources and devices', () => {
    const b = new GraphBuilder('effects');
    const x = b.addInput({ shape: [3], dtype: 'float32' });
    const split = b.addOp('testSplit', [x], {}, { source: ' leading space' });
    const sink = b.addOp('testSink', [split.outputs[1]], {}, { source: '"quoted"', device: 'my device' });
    const y = b.addOp('exp', [split.outputs[0]], {}, { controlDeps: [sink, split], source: '' });
    const z = b.addOp('neg', [y.outputs[0]], {}, { source: 'line\nbreak', device: 'npu:3' });
    const text = expectRoundTrip(b.build([z.outputs[0], split.outputs[1]]));
    expect(text).toContain('%1: f32[3], %2: f32[3] = testSplit %0');
    expect(text).toContain('#1 = testSink %2 @"my device"');
    expect(text).toContain('%3: f32[3] = exp %1 after #1, %1');
    expect(text).toContain('# " leading space"');
    expect(text).toContain('# "line\\nbreak"');
    expect(text).toContain('@npu:3');
  });

  test('subgraphs nest as indented blocks with their own value scope', () => {
    const body = new GraphBuilder('body');
    const a = body.addInput({ shape: [3], dtype: 'float32' });
    const e = body.addOp('exp', [a]).outputs[0];
    const inner = body.build([e]);
    const b = new GraphBuilder('outer');
    const x = b.addInput({ shape: [3], dtype: 'float32' }, 'x');
    const call = b.addOp('testCall', [x], {}, { subgraphs: [inner], source: 'o.ts:2' });
    const text = expectRoundTrip(b.build(call.outputs));
    expect(text).toBe(
      [
        'graph outer(%x: f32[3]) {',
        '  %1: f32[3] = testCall %x {  # o.ts:2',
        '    graph body(%0: f32[3]) {',
        '      %1: f32[3] = exp %0',
        '      return %1',
        '    }',
        '  }',
        '  return %1',
        '}',
      ].join('\n'),
    );
  });

  test('a duplicated value name prints as its id for the second value', () => {
    const b = new GraphBuilder('dup');
    const x = b.addInput({ shape: [], dtype: 'float32' }, 'x');
    const y = b.addInput({ shape: [], dtype: 'float32' }, 'x');
    const s = b.addOp('add', [x, y]).outputs[0];
    expect(printGraph(b.build([s]))).toContain('graph dup(%x: f32[], %1: f32[]) {');
  });

  test('graphDifference names the first difference; consumers lists the readers of each value', () => {
    const a = mlp().graph;
    const b = parseGraph(printGraph(a).replace('keepDim=false', 'keepDim=true').replace('f32[batch] =', 'f32[batch,1] ='));
    expect(graphDifference(a, b)).toMatch(/^graph node 3 \(%6: f32\[batch\] = sum.*\): attrs differ$/);
    const c = parseGraph(printGraph(a).replace('mlp.ts:13', 'mlp.ts:99'));
    expect(graphDifference(a, c)).toMatch(/node 2 .*: source mlp.ts:13 vs mlp.ts:99/);
    const users = a.consumers();
    expect(users.get(a.inputs[0])!.map((n) => n.op)).toEqual(['matmul']);
    expect(users.get(a.nodes[2].outputs[0])!.map((n) => n.op)).toEqual(['sum']);
    expect(users.get(a.nodes[3].outputs[0])).toEqual([]);
  });

  test('formatNodeLine gives one node for error messages', () => {
    const node = mlp().graph.nodes[0];
    expect(formatNodeLine(node)).toBe('%3: f32[batch,3] = matmul %x, %w  # mlp.ts:12');
  });
});
