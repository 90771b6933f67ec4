import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { Node } from '../../src/ir/node.js';
import { Value } from '../../src/ir/value.js';
import { compile } from '../../src/passes/compile.js';
import { type GraphPass, availablePasses, registerPass, runPasses } from '../../src/passes/manager.js';
import { optimize } from '../../src/passes/optimize.js';
import { GraphRewriter } from '../../src/passes/rewriter.js';
import { expectFlowgradError, expectThrows, randomTensor } from '../helpers/tensors.js';
import { graphOf, opsOf } from './helpers.js';

/** A wrong pass: every exp becomes log (a valid graph with other numbers). */
const expToLog: GraphPass = (g) => {
  if (!g.nodes.some((n) => n.op === 'exp')) return g;
  const rw = new GraphRewriter(g);
  for (const n of g.nodes) {
    if (n.op === 'exp') rw.replace(n, rw.emit('log', [rw.value(n.inputs[0])], {}).outputs);
    else rw.copy(n);
  }
  return rw.build();
};

/** A broken pass: declares the first node's output with the wrong dtype. */
const wrongType: GraphPass = (g) => {
  const [first, ...rest] = g.nodes;
  const bad = new Node(first.op, first.inputs, first.attrs);
  bad.outputs = [new Value(first.outputs[0].id, { shape: first.outputs[0].type.shape, dtype: 'int32' }, bad)];
  const map = (v: Value) => (v === first.outputs[0] ? bad.outputs[0] : v);
  const others = rest.map((n) => {
    const copy = new Node(n.op, n.inputs.map(map), n.attrs);
    copy.outputs = n.outputs.map((v) => new Value(v.id, v.type, copy));
    return copy;
  });
  return new fg.Graph(g.name, g.inputs, [bad, ...others], others.length > 0 ? others[others.length - 1].outputs : bad.outputs);
};

const chain = () =>
  graphOf(
    'graph g(%x: f64[3]) {',
    '  %1: f64[3] = neg %x',
    '  %2: f64[3] = neg %1',
    '  %3: f64[3] = exp %2',
    '  %4: f64[3] = exp %2',
    '  %5: f64[3] = add %3, %4',
    '  return %5',
    '}',
  );

describe('runPasses', () => {
  it('repeats the list until a round changes nothing, and logs each application', () => {
    const { graph, log, mismatch } = runPasses(chain(), ['algebraic', 'cse', 'dce']);
    expect(mismatch).toBeNull();
    expect(opsOf(graph)).toEqual(['exp', 'add']);
    expect(log.map((r) => `${r.round}:${r.pass}:${r.changed}`)).toEqual([
      '1:algebraic:true', '1:cse:true', '1:dce:true',
      '2:algebraic:false', '2:cse:false', '2:dce:false',
    ]);
    expect(log.slice(0, 3).map((r) => [r.nodesBefore, r.nodesAfter])).toEqual([[5, 4], [4, 3], [3, 2]]);
  });

  it('runs the list once with fixedPoint: false, and at most maxRounds rounds', () => {
    expect(runPasses(chain(), ['dce', 'algebraic'], { fixedPoint: false }).log).toHaveLength(2);
    expect(runPasses(chain(), ['dce', 'algebraic'], { maxRounds: 1 }).graph.nodes).toHaveLength(4);
  });

  it('names the pass that broke the graph, and the passes that changed it before', () => {
    const message = expectThrows(() => runPasses(chain(), ['algebraic', { name: 'wrongType', run: wrongType }]), fg.GraphFormatError);
    expect(message).toMatch(/runPasses: pass 'wrongType' \(after algebraic\) produced an invalid graph/);
    expect(message).toMatch(/declared type i32\[3\] of %1 differs from what neg infers: f64\[3\]/);
    expect(message).toMatch(/>\s+%1: i32\[3\] = neg %x/);
  });

  it('reports an invalid input graph as such, before any pass runs', () => {
    const g = wrongType(chain());
    expectThrows(() => runPasses(g, ['dce']), fg.GraphFormatError, /runPasses: the input graph is invalid \(before any pass\)/);
  });

  it('differential mode stops at the first pass that changed the numbers', () => {
    const run = runPasses(chain(), ['algebraic', { name: 'expToLog', run: expToLog }, 'dce'], { check: { inputs: [randomTensor([3], 1, 0.5, 1)] } });
    expect(run.mismatch?.pass).toBe('expToLog');
    expect(run.mismatch?.detail).toMatch(/^output 0 \(%5\) element 0: .+, was .+ before the pass$/);
    // The graph returned is the last good one: algebraic's (−(−x) → x left one dead neg).
    expect(opsOf(run.graph)).toEqual(['neg', 'exp', 'exp', 'add']);
  });

  it('differential mode makes random inputs, binding symbolic dims, when none are given', () => {
    const g = graphOf('graph g(%x: f32[batch,2], %i: i32[batch], %m: bool[batch,2]) {', '  %1: f32[batch,2] = exp %x', '  return %1', '}');
    expect(runPasses(g, [{ name: 'expToLog', run: expToLog }], { check: {} }).mismatch?.pass).toBe('expToLog');
  });

  it('differential mode leaves buffers written by the graph and the random generator as a seeded program expects', () => {
    const running = fg.zeros([2]);
    const bn = (x: fg.Tensor) => fg.batchNorm(x, running, fg.ones([2]), null, null, true).add(fg.rand([4, 2]).mul(0));
    const g = fg.trace(bn, [fg.spec([4, 2])]);
    fg.manualSeed(3);
    const out = optimize(g, { check: true });
    const after = fg.rand([1]).item();
    fg.manualSeed(3);
    optimize(g, { check: true });
    expect(fg.rand([1]).item()).toBe(after);
    expect(running.toArray()).toEqual([0, 0]);
    expect(opsOf(out)).toContain('runningStatUpdate');
  });
});

describe('optimize and compile: bad input', () => {
  const g = chain();
  it('rejects a non-graph, bad options and unknown or planned passes, listing the available ones', () => {
    expectFlowgradError(() => optimize({} as fg.Graph), /optimize: argument 'g' expected a Graph \(from fg.trace, fg.parseGraph or a GraphBuilder\), got an Object/);
    expectFlowgradError(() => optimize(g, 'cse' as never), /optimize: argument 'options' expected an object/);
    expectFlowgradError(() => optimize(g, { pases: ['cse'] } as never), /optimize: unknown option "pases" \(known: passes, check, fixedPoint, maxRounds\)/);
    expectFlowgradError(() => optimize(g, { passes: 'cse' as never }), /optimize: argument 'passes' expected an array of pass names/);
    expectFlowgradError(() => optimize(g, { passes: [3 as never] }), /optimize: argument 'passes\[0\]' expected a pass name \(a string\), got 3/);
    expectFlowgradError(() => optimize(g, { passes: ['layout'] }), /optimize: pass 'layout' is not available yet; available: constantFolding, cse, dce, algebraic, .*fusion/);
    expectFlowgradError(() => optimize(g, { passes: ['memoryPlan'] }), /pass 'memoryPlan' is not available yet/);
    expectFlowgradError(() => optimize(g, { passes: ['cse', 'folding'] }), /optimize: unknown pass "folding"; available: constantFolding, cse, dce, algebraic, .*fusion/);
    expectFlowgradError(() => optimize(g, { maxRounds: 0 }), /optimize: argument 'maxRounds' expected a positive integer, got 0/);
    expectFlowgradError(() => optimize(g, { fixedPoint: 'yes' as never }), /optimize: argument 'fixedPoint' expected a boolean/);
    expectFlowgradError(() => optimize(g, { check: 'yes' as never }), /optimize: argument 'check' expected true, false, or \{ inputs\?, tolerance\?, seed\? \}/);
    expectFlowgradError(() => optimize(g, { check: { input: [] } as never }), /optimize: unknown check option 'input' \(known: inputs, tolerance, seed\)/);
    expectFlowgradError(() => optimize(g, { check: { inputs: [1] } as never }), /argument 'check.inputs' expected an array of Tensors/);
    expectFlowgradError(() => optimize(g, { check: { tolerance: -1 } }), /argument 'check.tolerance' expected a non-negative number, got -1/);
    expectFlowgradError(() => optimize(g, { check: { inputs: [fg.zeros([2])] } }), /optimize: differential check: the graph fails on the given inputs: .*%x/);
  });

  it('optimize with check names the pass that changed the numbers', () => {
    registerPass('testExpToLog', expToLog);
    expect(availablePasses()).toContain('testExpToLog');
    expectFlowgradError(
      () => optimize(g, { passes: ['algebraic', 'testExpToLog'], check: true }),
      /optimize: differential check: pass 'testExpToLog' changed the numbers \(round 1, after algebraic\): output 0 \(%5\) element \d/,
    );
  });

  it('compile takes passes: the graph it runs is optimized, the given one is not touched', () => {
    const exe = compile(g, { passes: ['algebraic', 'cse', 'dce'] });
    expect(opsOf(exe.graph)).toEqual(['exp', 'add']);
    expect(opsOf(g)).toHaveLength(5);
    const x = randomTensor([3], 4);
    expect(exe.run(x)[0].toArray()).toEqual(g.run(x)[0].toArray());
    expect(compile(g).graph).toBe(g);
    expect(compile(g, { passes: [] }).graph).toBe(g);
    expectFlowgradError(() => compile(g, { passes: ['layout'] }), /compile: pass 'layout' is not available yet; available:/);
    expectFlowgradError(() => compile(g, { pass: [] } as never), /compile: unknown option "pass" \(known: executor, recycleBuffers, passes\)/);
    expectFlowgradError(() => compile(null as never), /compile: argument 'g' expected a Graph/);
  });
});
