import { describe, expect, test } from 'vitest';
import * as fg from '../../src/index.js';
import { GraphFormatError } from '../../src/errors.js';
import { Graph, GraphBuilder } from '../../src/ir/graph.js';
import { Node } from '../../src/ir/node.js';
import { Value } from '../../src/ir/value.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { allSamples } from './graphs.js';
import './testOps.js';
import { expectThrows } from '../helpers/tensors.js';

const expectInvalid = (g: Graph, ...patterns: RegExp[]): string => expectThrows(() => verifyGraph(g), GraphFormatError, ...patterns);

const f32 = (...shape: (number | string)[]) => ({ shape, dtype: 'float32' as const });

/** A node built by hand, with outputs of the given types and ids. */
function node(op: string, inputs: Value[], outs: [number, ReturnType<typeof f32>][], opts: { attrs?: Record<string, unknown>; controlDeps?: Node[]; subgraphs?: Graph[] } = {}): Node {
  const n = new Node(op, inputs, (opts.attrs ?? {}) as never, undefined, undefined, opts.controlDeps ?? [], opts.subgraphs ?? []);
  n.outputs = outs.map(([id, t]) => new Value(id, t, n));
  return n;
}

describe('verifyGraph', () => {
  test.each(Object.entries(allSamples()))('accepts %s', (_name, sample) => {
    expect(() => verifyGraph(sample.graph)).not.toThrow();
  });

  test('use before definition, with the IR printed around the fault', () => {
    const x = new Value(0, f32(3), null, 'x');
    const a = node('exp', [x], [[1, f32(3)]]);
    const b = node('neg', [a.outputs[0]], [[2, f32(3)]]);
    const message = expectInvalid(new Graph('g', [x], [b, a], [b.outputs[0]]), /verifyGraph: %2 uses %1, which is defined later: nodes must be in topological order/);
    expect(message).toContain(['    graph g(%x: f32[3]) {', '>     %2: f32[3] = neg %1', '>     %1: f32[3] = exp %x', '      return %2', '    }'].join('\n'));
  });

  test('a value defined twice, or two values sharing an id', () => {
    const x = new Value(0, f32(3), null, 'x');
    expectInvalid(new Graph('g', [x, x], [], [x]), /%x is defined twice/);
    const a = node('exp', [x], [[0, f32(3)]]);
    expectInvalid(new Graph('g', [x], [a], [a.outputs[0]]), /two values share id 0 \(%x and %0\); value ids are unique within a graph/);
    const b = node('exp', [x], [[1, f32(3)]]);
    expectInvalid(new Graph('g', [x], [b, b], [b.outputs[0]]), /a node appears twice in graph g/);
  });

  test('an output whose producer field points elsewhere', () => {
    const x = new Value(0, f32(3), null, 'x');
    const a = node('exp', [x], [[1, f32(3)]]);
    const b = node('exp', [x], []);
    b.outputs = a.outputs;
    expectInvalid(new Graph('g', [x], [a, b], [a.outputs[0]]), /%1 is defined twice|producer is another node/);
  });

  test('unknown op', () => {
    const x = new Value(0, f32(3), null, 'x');
    const a = node('frobnicate', [x], [[1, f32(3)]]);
    expectInvalid(new Graph('g', [x], [a], [a.outputs[0]]), /unknown op "frobnicate"\n.*\n>\s+%1: f32\[3\] = frobnicate %x/);
  });

  test('a declared type that is not what the schema infers', () => {
    const x = new Value(0, f32(2, 3), null, 'x');
    const a = node('sum', [x], [[1, f32(3)]], { attrs: { axes: [1], keepDim: false } });
    expectInvalid(new Graph('g', [x], [a], [a.outputs[0]]), /declared type f32\[3\] of %1 differs from what sum infers: f32\[2\]/);
    const b = node('exp', [x], [[1, f32(2, 3)], [2, f32(2, 3)]]);
    expectInvalid(new Graph('g', [x], [b], [b.outputs[0]]), /exp produces 1 result\(s\) \(f32\[2,3\]\), the node declares 2/);
  });

  test('bad attributes: out of range, wrong kind, not an attribute value at all', () => {
    const x = new Value(0, f32(2, 3), null, 'x');
    const a = node('sum', [x], [[1, f32(2)]], { attrs: { axes: [7], keepDim: false } });
    expectInvalid(new Graph('g', [x], [a], [a.outputs[0]]), /invalid sum node: sum: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 7/);
    const b = node('reshape', [x], [[1, f32(6)]], { attrs: {} });
    expectInvalid(new Graph('g', [x], [b], [b.outputs[0]]), /invalid reshape node: reshape: argument 'shape' expected/);
    const c = node('testAttrs', [x], [[1, f32(2, 3)]], { attrs: { f: () => 1 } });
    expectInvalid(new Graph('g', [x], [c], [c.outputs[0]]), /attribute f of %1 holds a function, which is not an attribute value/);
    const d = node('testAttrs', [x], [[1, f32(2, 3)]], { attrs: { data: new Float32Array(2) } });
    expectInvalid(new Graph('g', [x], [d], [d.outputs[0]]), /attribute data of %1 holds a Float32Array/);
  });

  test('a cycle through control dependencies', () => {
    const x = new Value(0, f32(3), null, 'x');
    const deps: Node[] = [];
    const a = node('exp', [x], [[1, f32(3)]], { controlDeps: deps });
    const b = node('neg', [a.outputs[0]], [[2, f32(3)]]);
    deps.push(b);
    expectInvalid(new Graph('g', [x], [a, b], [b.outputs[0]]), /cycle through %1 → %2 → %1 \(data and control dependencies\)/);
    const self: Node[] = [];
    const c = node('exp', [x], [[1, f32(3)]], { controlDeps: self });
    self.push(c);
    expectInvalid(new Graph('g', [x], [c], [c.outputs[0]]), /cycle through %1 → %1/);
  });

  test('a cycle through a long chain is found without overflowing the stack, and reported briefly', () => {
    const x = new Value(0, f32(3), null, 'x');
    const deps: Node[] = [];
    const nodes = [node('exp', [x], [[1, f32(3)]], { controlDeps: deps })];
    for (let i = 2; i <= 50_000; i++) nodes.push(node('neg', [nodes[nodes.length - 1].outputs[0]], [[i, f32(3)]]));
    deps.push(nodes[nodes.length - 1]);
    const message = expectInvalid(new Graph('g', [x], nodes, [x]), /cycle through %1 → %2 → %3 → %4 → … 49994 more … → %49999 → %50000 → %1/);
    expect(message.length).toBeLessThan(2000);
  });

  test('a control dependency on a later node (no cycle) or a node outside the graph', () => {
    const x = new Value(0, f32(3), null, 'x');
    const deps: Node[] = [];
    const a = node('exp', [x], [[1, f32(3)]], { controlDeps: deps });
    const b = node('neg', [x], [[2, f32(3)]]);
    deps.push(b);
    expectInvalid(new Graph('g', [x], [a, b], [a.outputs[0]]), /%1 runs after %2, which is defined later/);
    const outside = node('neg', [x], [[5, f32(3)]]);
    const c = node('exp', [x], [[1, f32(3)]], { controlDeps: [outside] });
    expectInvalid(new Graph('g', [x], [c], [c.outputs[0]]), /has a control dependency on a node outside graph g/);
  });

  test('undefined outputs and values from nowhere', () => {
    const x = new Value(0, f32(3), null, 'x');
    const stray = new Value(9, f32(3), null, 'stray');
    const a = node('add', [x, stray], [[1, f32(3)]]);
    expectInvalid(new Graph('g', [x], [a], [a.outputs[0]]), /%stray is not defined in graph g/);
    expectInvalid(new Graph('g', [x], [], [stray]), /graph output %stray is not defined in graph g\n(.|\n)*>\s+return %stray/);
  });

  test('subgraphs are closed, need a node verifier, and may not contain themselves', () => {
    const x = new Value(0, f32(3), null, 'x');
    const inner = new Value(0, f32(3), null, 'a');
    const capture = node('add', [inner, x], [[1, f32(3)]]);
    const body = new Graph('body', [inner], [capture], [capture.outputs[0]]);
    const call = node('testCall', [x], [[1, f32(3)]], { subgraphs: [body] });
    expectInvalid(new Graph('g', [x], [call], [call.outputs[0]]), /%x is not defined in graph body \(a subgraph uses only its own inputs and nodes: pass outer values in as operands\)/);
    const okBody = new Graph('body', [inner], [], [inner]);
    const bad = node('exp', [x], [[1, f32(3)]], { subgraphs: [okBody] });
    expectInvalid(new Graph('g', [x], [bad], [bad.outputs[0]]), /op exp takes no subgraphs, got 1/);
    const two = node('testCall', [x], [[1, f32(3)]], { subgraphs: [okBody, okBody] });
    expectInvalid(new Graph('g', [x], [two], [two.outputs[0]]), /invalid testCall node: testCall: expected 1 subgraph, got 2/);
    const subs: Graph[] = [];
    const loop = node('testCall', [inner], [[1, f32(3)]], { subgraphs: subs });
    const selfish = new Graph('selfish', [inner], [loop], [loop.outputs[0]]);
    subs.push(selfish);
    expectInvalid(selfish, /graph selfish contains itself as a subgraph/);
  });

  test('invalid value types', () => {
    const x = new Value(0, { shape: [-1], dtype: 'float32' }, null, 'x');
    expectInvalid(new Graph('g', [x], [], [x]), /%x has an invalid type: dim -1 is neither a non-negative integer nor a symbol/);
    const y = new Value(0, { shape: [2], dtype: 'float16' as never }, null, 'y');
    expectInvalid(new Graph('g', [y], [], [y]), /unknown dtype "float16"/);
  });

  test('symbolic dims are checked by name', () => {
    const b = new GraphBuilder('g');
    const x = b.addInput(f32('batch', 3), 'x');
    const y = b.addInput(f32('n', 3), 'y');
    expect(() => b.addOp('add', [x, y])).toThrow(fg.ShapeError);
    const ok = b.addOp('add', [x, x]).outputs[0];
    expect(ok.type.shape).toEqual(['batch', 3]);
    expect(() => verifyGraph(b.build([ok]))).not.toThrow();
  });
});
