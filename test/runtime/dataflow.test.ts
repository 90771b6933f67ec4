import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { Graph } from '../../src/ir/graph.js';
import { Node } from '../../src/ir/node.js';
import { Value } from '../../src/ir/value.js';
import { availableExecutors, compile } from '../../src/runtime/compile.js';
import { DataflowExecutor, type DataflowStats } from '../../src/runtime/dataflow/executor.js';
import { f64, i32 } from '../control/helpers.js';
import { expectFlowgradError, expectThrows } from '../helpers/tensors.js';
import { allSamples, lnMulSin } from '../ir/graphs.js';
import { controlSamples } from '../passes/controlFlowSamples.js';
import { expectSameTensors } from '../passes/helpers.js';

type T = fg.Tensor;
const text = (...lines: string[]): string => lines.join('\n');
const lower = (g: fg.Graph): fg.Graph => fg.optimize(g, { passes: ['lowerControlFlow'] });

/** Runs `g` by dataflow; the results and the stats of the run. */
function runDataflow(g: fg.Graph, ...inputs: T[]): { outputs: T[]; stats: DataflowStats } {
  const exe = compile(g, { executor: 'dataflow' }) as fg.Executable & { stats: DataflowStats };
  const outputs = exe.run(...inputs);
  return { outputs, stats: exe.stats };
}

/** REFERENCE.md's foo1 from the primitives: `x < y ? x + y : y²`, and the Merge's index. */
const foo1 = text(
  'graph foo1(%x: f64[], %y: f64[]) {',
  '  %p: bool[] = lt %x, %y',
  '  %xf: f64[], %xt: f64[] = Switch %x, %p',
  '  %yf: f64[], %yt: f64[] = Switch %y, %p',
  '  %s: f64[] = add %xt, %yt',
  '  %q: f64[] = mul %yf, %yf',
  '  %r: f64[], %which: i32[] = Merge %s, %q',
  '  return %r, %which',
  '}',
);

/** REFERENCE.md's `i = 0; while i < n: i += 1`, written with the five primitives (TF's construction). */
const countLoop = (pred = 'lt %m, %n1') =>
  text(
    'graph count(%i: i32[], %n: i32[]) {',
    '  %e: i32[] = Enter[frame=loop] %i',
    '  %m: i32[], %k: i32[] = Merge %e',
    '  %n1: i32[] = Enter[frame=loop, isConstant=true] %n',
    `  %p: bool[] = ${pred}`,
    '  %f: i32[], %t: i32[] = Switch %m, %p',
    '  %one: i32[] = constant[value=i32[] [1]]',
    '  %one1: i32[] = Enter[frame=loop, isConstant=true] %one',
    '  %next: i32[] = add %t, %one1',
    '  #8 = NextIteration %next, %m',
    '  %out: i32[] = Exit %f',
    '  return %out',
    '}',
  );

describe('dataflow executor: graphs without control flow', () => {
  it('is registered with compile', () => {
    expect(availableExecutors()).toContain('dataflow');
  });

  it.each(Object.entries(allSamples()))('%s gives exactly the sequential results and launches', (_name, sample) => {
    const inputs = sample.inputs();
    const sequential = compile(sample.graph, { executor: 'sequential' });
    const expected = sequential.run(...inputs);
    const { outputs, stats } = runDataflow(sample.graph, ...inputs);
    expectSameTensors(outputs, expected, 0);
    expect(stats.launches).toBe(sequential.stats.launches);
    expect([...stats.perOp.keys()].sort()).toEqual([...sequential.stats.perOp.keys()].sort());
    expect(stats.order.length).toBe(sample.graph.nodes.length);
    expect([stats.deadSkipped, stats.maxIteration, stats.frames, stats.primitiveFirings]).toEqual([0, 0, 0, 0]);
    expect(stats.peakBytes).toBeGreaterThan(0);
    expect(stats.peakBytes).toBeLessThanOrEqual(stats.naivePeakBytes);
  });

  it('DESIGN.md worked example: f(2, 5) = 11.652071455223084', () => {
    const s = lnMulSin();
    expect(runDataflow(s.graph, ...s.inputs()).outputs[0].item()).toBeCloseTo(11.652071455223084, 12);
  });

  it('returns a copy of a literal constant output, as the sequential executor does', () => {
    const g = fg.parseGraph(text('graph c() {', '  %0: f64[2] = constant[value=f64[2] [1, 2]]', '  return %0', '}'));
    const exe = compile(g, { executor: 'dataflow' });
    const [a] = exe.run();
    expect(a).not.toBe(g.nodes[0].attrs.value);
    expect(a.toArray()).toEqual([1, 2]);
  });
});

describe('dataflow executor: the primitives (REFERENCE.md §2.5)', () => {
  it('Switch + Merge is a conditional; the Merge says which input it forwarded', () => {
    const g = fg.parseGraph(foo1);
    const taken = runDataflow(g, f64(1), f64(2));
    expect(taken.outputs.map((t) => t.item())).toEqual([3, 0]);
    const other = runDataflow(g, f64(3), f64(2));
    expect(other.outputs.map((t) => t.item())).toEqual([4, 1]);
    // the untaken side never ran: its op is skipped as dead
    expect(taken.stats.perOp.has('mul')).toBe(false);
    expect(other.stats.perOp.has('add')).toBe(false);
    expect([taken.stats.deadSkipped, other.stats.deadSkipped]).toEqual([1, 1]);
  });

  it('Enter, Merge, Switch, NextIteration and Exit make a loop: i = 0; while i < 10: i += 1 → 10', () => {
    const g = fg.parseGraph(countLoop());
    const { outputs, stats } = runDataflow(g, i32(0), i32(10));
    expect(outputs[0].item()).toBe(10);
    expect(stats.maxIteration).toBe(10);
    expect(stats.frames).toBe(1);
    expect(stats.perOp.get('add')!.count).toBe(10);
    // the last iteration's body is dead: its add is skipped, not run
    expect(stats.deadSkipped).toBe(1);
  });

  it('runs a loop zero times when the predicate is false at once', () => {
    const { outputs, stats } = runDataflow(fg.parseGraph(countLoop()), i32(12), i32(10));
    expect(outputs[0].item()).toBe(12);
    expect([stats.maxIteration, stats.frames, stats.deadSkipped, stats.launches]).toEqual([0, 1, 1, 1]);
  });

  it('runs nested loops in nested frames: one inner frame instance per outer iteration', () => {
    const g = lower(controlSamples().nestedLoops.graph());
    const { outputs, stats } = runDataflow(g, i32(0));
    // Σ over i < 3, j < 4 of i + j
    expect(outputs[0].item()).toBe(30);
    // one inner instance per outer iteration; the last one (the outer body is dead there) runs on dead values
    expect(stats.frames).toBe(1 + 4);
    expect(stats.maxIteration).toBe(4);
    expect(stats.perOp.get('add')!.count).toBe(3 * 4 * 3 + 3);
  });

  it('runs a cond inside a loop: each iteration takes its own branch', () => {
    const f = (x: T) => fg.whileLoop(([i]: T[]) => i.lt(4), ([i, v]: T[]) => [i.add(1), fg.cond(i.gt(1), (a: T) => a.mul(10), (a: T) => a.add(1), v)], [i32(0), x]);
    const g = lower(fg.trace(f, [fg.spec([], 'float64')]));
    const { outputs, stats } = runDataflow(g, f64(0));
    expect(outputs.map((t) => t.item())).toEqual([4, 200]);
    expect(stats.perOp.get('mul')!.count).toBe(2);
    expect(stats.perOp.get('add')!.count).toBe(4 + 2); // i + 1 four times, a + 1 twice
  });

  it('never runs the nodes of the branch not taken, however deep (dead propagation)', () => {
    const f = (p: T, x: T) => fg.cond(p, (a: T) => a.mul(2).sum(), (a: T) => a.cos().exp().sum(), x);
    const g = lower(fg.trace(f, [fg.spec([], 'bool'), fg.spec([3], 'float64')]));
    const x = f64([1, 2, 3]);
    const t = runDataflow(g, fg.tensor(true), x);
    expect(t.outputs[0].item()).toBe(12);
    expect(t.stats.perOp.has('cos') || t.stats.perOp.has('exp')).toBe(false);
    expect(t.stats.deadSkipped).toBe(3);
    const e = runDataflow(g, fg.tensor(false), x);
    expect(e.stats.perOp.has('mul')).toBe(false);
    expect(e.stats.deadSkipped).toBe(2);
    expect(e.outputs[0].item()).toBeCloseTo([1, 2, 3].reduce((s, v) => s + Math.exp(Math.cos(v)), 0), 12);
  });

  it('runs a loop in a branch not taken on dead values only: none of its ops run', () => {
    const g = lower(controlSamples().loopInCond.graph());
    const { outputs, stats } = runDataflow(g, f64([-1, -2]), i32(3));
    expect(outputs[0].toArray()).toEqual([1, 2]);
    expect(stats.frames).toBe(1);
    expect(stats.perOp.has('mul') || stats.perOp.has('lt')).toBe(false);
  });

  it('frees replaced carries: 2,000 iterations keep the live bytes to a few carries', () => {
    const f = (x: T) => fg.whileLoop(([i]: T[]) => i.lt(2000), ([i, y]: T[]) => [i.add(1), y.mul(0.999).add(0.001)], [fg.zeros([]), x]);
    const g = fg.trace(f, [fg.spec([64])]);
    const x = fg.ones([64]);
    const { outputs, stats } = runDataflow(lower(g), x);
    expectSameTensors(outputs, g.run(x), 0);
    expect(stats.maxIteration).toBe(2000);
    expect(stats.peakBytes).toBeLessThan(8 * 64 * 4);
    expect(stats.naivePeakBytes).toBeGreaterThan(2000 * 64 * 4);
  });
});

describe('dataflow executor: graph ops it delegates', () => {
  it.each(['loopWithCond', 'nestedConds', 'scanWithCond', 'doubleUntil'])('%s not lowered: runs cond, whileLoop and scan nodes through their runners', (name) => {
    const sample = controlSamples()[name];
    const g = sample.graph();
    const sequential = compile(g);
    for (const inputs of sample.inputs) {
      const expected = sequential.run(...inputs);
      const { outputs, stats } = runDataflow(g, ...inputs);
      expectSameTensors(outputs, expected, 0);
      expect(stats.launches).toBe(sequential.stats.launches);
      expect(stats.primitiveFirings).toBe(0);
    }
  });
});

describe('dataflow executor: bad graphs are GraphFormatErrors', () => {
  const rejects = (source: string, message: RegExp) => expectThrows(() => fg.parseGraph(source), fg.GraphFormatError, message);

  it('a Merge with no inputs, or one input and no NextIteration', () => {
    rejects(text('graph g(%x: f64[]) {', '  %m: f64[], %i: i32[] = Merge', '  return %m', '}'), /invalid Merge node: Merge: expected at least 1 input \(the values to join\), got 0/);
    rejects(text('graph g(%x: f64[]) {', '  %m: f64[], %i: i32[] = Merge %x', '  return %m', '}'), /Merge %m joins one value and no NextIteration feeds it back/);
  });

  it('an Exit outside a frame, and a graph output left inside one', () => {
    rejects(text('graph g(%x: f64[]) {', '  %y: f64[] = Exit %x', '  return %y', '}'), /Exit %y reads %x, which is in the root frame/);
    rejects(text('graph g(%x: f64[]) {', '  %e: f64[] = Enter[frame=L] %x', '  return %e', '}'), /graph output %e is in frame L: leave a frame through an Exit/);
  });

  it('values of two frames in one node, frames that do not nest, a frame with two parents', () => {
    rejects(text('graph g(%x: f64[]) {', '  %e: f64[] = Enter[frame=L] %x', '  %s: f64[] = add %e, %x', '  %y: f64[] = Exit %s', '  return %y', '}'), /%s = add reads %e in frame L and %x in the root frame: values move between frames only through Enter and Exit/);
    rejects(
      text('graph g(%x: f64[]) {', '  %a: f64[] = Enter[frame=A] %x', '  %b: f64[] = Enter[frame=B] %a', '  %c: f64[] = Enter[frame=A] %b', '  return %x', '}'),
      /Enter %c enters frame A from frame B, which is inside A: frames must nest/,
    );
    rejects(
      text('graph g(%x: f64[]) {', '  %a: f64[] = Enter[frame=A] %x', '  %b: f64[] = Enter[frame=B] %x', '  %c: f64[] = Enter[frame=A] %b', '  return %x', '}'),
      /Enter %c enters frame A from frame B, but earlier Enters enter it from the root frame \(a frame has one parent\)/,
    );
    rejects(text('graph g(%x: f64[]) {', '  %a: f64[] = Enter[frame=""] %x', '  return %x', '}'), /Enter: argument 'frame' expected the name of the frame entered/);
  });

  it('a cycle not through NextIteration: a forward reference, or what enters a loop depending on what leaves it', () => {
    rejects(text('graph g(%x: f64[]) {', '  %a: f64[] = add %b, %x', '  %b: f64[] = neg %a', '  return %b', '}'), /%b is not defined before this use/);
    const b = new fg.GraphBuilder('g');
    const x = b.addInput({ shape: [], dtype: 'float64' }, 'x');
    const merge = new Node('Merge', [x, x], {});
    const neg = new Node('neg', [merge.outputs[0] ?? x], {});
    neg.outputs = [new Value(3, { shape: [], dtype: 'float64' }, neg)];
    merge.outputs = [new Value(1, { shape: [], dtype: 'float64' }, merge), new Value(2, { shape: [], dtype: 'int32' }, merge)];
    // Merge reads neg's result, which reads the Merge: a cycle, not allowed even through a Merge
    (merge as { inputs: readonly Value[] }).inputs = [x, neg.outputs[0]];
    (neg as { inputs: readonly Value[] }).inputs = [merge.outputs[0]];
    expectThrows(() => fg.verifyGraph(new Graph('g', [x], [merge, neg], [neg.outputs[0]])), fg.GraphFormatError, /cycle through %1 → %3 → %1/);
    rejects(
      text(
        'graph g(%x: f64[]) {',
        '  %e: f64[] = Enter[frame=L] %x',
        '  %y: f64[] = Exit %e',
        '  %c: f64[] = Enter[frame=L, isConstant=true] %y',
        '  return %y',
        '}',
      ),
      /Enter %c enters frame L after %y left it: what enters a loop cannot depend on what leaves it/,
    );
  });

  it('a NextIteration that names no Merge, two for one Merge, or one in the root frame; a loop Merge not fed by an Enter', () => {
    const loop = (body: string[]) => text('graph g(%x: f64[]) {', '  %e: f64[] = Enter[frame=L] %x', '  %m: f64[], %k: i32[] = Merge %e', ...body, '  %y: f64[] = Exit %m', '  return %y', '}');
    rejects(loop(['  %n: f64[] = neg %m', '  #3 = NextIteration %n, %n']), /the second input of a NextIteration names the Merge it feeds \(its first output\), got %n/);
    rejects(loop(['  #2 = NextIteration %m, %m', '  #3 = NextIteration %m, %m']), /Merge %m is fed back by two NextIteration nodes/);
    rejects(text('graph g(%x: f64[]) {', '  %m: f64[], %k: i32[] = Merge %x, %x', '  #1 = NextIteration %x, %m', '  return %m', '}'), /NextIteration works inside a loop frame/);
    rejects(
      text('graph g(%x: f64[]) {', '  %e: f64[] = Enter[frame=L, isConstant=true] %x', '  %m: f64[], %k: i32[] = Merge %e', '  #2 = NextIteration %m, %m', '  %y: f64[] = Exit %m', '  return %y', '}'),
      /loop Merge %m reads %e: a Merge fed back by NextIteration reads one value, the output of a non-constant Enter into its frame/,
    );
  });

  it('a control dependency on a Switch (one of its outputs is dead), and a Merge with control dependencies', () => {
    rejects(text('graph g(%x: f64[], %p: bool[]) {', '  %f: f64[], %t: f64[] = Switch %x, %p', '  %y: f64[] = neg %x after %f', '  return %y', '}'), /control dependency on Switch %f, which is ambiguous/);
    rejects(text('graph g(%x: f64[]) {', '  %n: f64[] = neg %x', '  %m: f64[], %k: i32[] = Merge %x, %n after %n', '  return %m', '}'), /Merge %m has control dependencies/);
  });

  it('a Switch on a predicate that is not a scalar', () => {
    rejects(text('graph g(%x: f64[2]) {', '  %f: f64[2], %t: f64[2] = Switch %x, %x', '  return %f', '}'), /Switch: argument 'pred' expected shape \[\] \(a scalar\), got \[2\]/);
  });
});

describe('dataflow executor: bad runs end with an error, never a hang', () => {
  it('stops a loop that does not terminate at maxIterations, naming its frame', () => {
    const forever = fg.parseGraph(countLoop('ge %m, %m'));
    const executor = new DataflowExecutor({ maxIterations: 50 });
    expectFlowgradError(() => executor.run(forever, [i32(0), i32(0)]), /dataflow: the loop of frame loop reached 50 iterations .* without its predicate turning false/);
    expectFlowgradError(() => new DataflowExecutor({ maxIterations: 0 }), /DataflowExecutor: argument 'maxIterations' expected a positive integer, got 0/);
  });

  it('reports an output that is dead, a Merge with two live inputs, and an Exit that leaves twice', () => {
    const dead = fg.parseGraph(text('graph g(%x: f64[], %p: bool[]) {', '  %f: f64[], %t: f64[] = Switch %x, %p', '  return %f', '}'));
    expect(runDataflow(dead, f64(1), fg.tensor(false)).outputs[0].item()).toBe(1);
    expectFlowgradError(() => runDataflow(dead, f64(1), fg.tensor(true)), /dataflow: graph g: output %f is dead: it comes from a branch not taken/);
    const both = fg.parseGraph(text('graph g(%x: f64[]) {', '  %n: f64[] = neg %x', '  %m: f64[], %k: i32[] = Merge %x, %n', '  return %m', '}'));
    expectFlowgradError(() => runDataflow(both, f64(1)), /Merge %x, %n received two live inputs, %x and %n, in the root frame/);
    const leaky = fg.parseGraph(countLoop().replace('Exit %f', 'Exit %m'));
    expectFlowgradError(() => runDataflow(leaky, i32(0), i32(3)), /Exit %m left frame loop, iteration 1 with a live value, and had left this loop before/);
  });

  it('reports a run that stalls (a loop value fed back only when the loop stops) with the nodes still waiting', () => {
    const g = fg.parseGraph(
      text(
        'graph g(%x: i32[], %y: i32[], %n: i32[]) {',
        '  %ex: i32[] = Enter[frame=L] %x',
        '  %mx: i32[], %kx: i32[] = Merge %ex',
        '  %ey: i32[] = Enter[frame=L] %y',
        '  %my: i32[], %ky: i32[] = Merge %ey',
        '  %n1: i32[] = Enter[frame=L, isConstant=true] %n',
        '  %p: bool[] = lt %mx, %n1',
        '  %fx: i32[], %tx: i32[] = Switch %mx, %p',
        '  %fy: i32[], %ty: i32[] = Switch %my, %p',
        '  %one: i32[] = constant[value=i32[] [1]]',
        '  %one1: i32[] = Enter[frame=L, isConstant=true] %one',
        '  %nx: i32[] = add %tx, %one1',
        '  #12 = NextIteration %nx, %mx',
        '  #13 = NextIteration %fy, %my',
        '  %ox: i32[] = Exit %fx',
        '  %oy: i32[] = Exit %fy',
        '  return %ox, %oy',
        '}',
      ),
    );
    expect(runDataflow(g, i32(5), i32(7), i32(3)).outputs.map((t) => t.item())).toEqual([5, 7]);
    expectFlowgradError(() => runDataflow(g, i32(0), i32(7), i32(3)), /dataflow: graph g stalled: no node can run and output %oy was never computed; still waiting:\n {2}%fy: i32\[\], %ty: i32\[\] = Switch %my, %p in frame L, iteration 1 waits for %my/);
  });

  it('names the node, frame and iteration of a kernel that fails inside a loop', () => {
    const g = fg.parseGraph(
      text(
        'graph rows(%x: f64[2], %n: i32[]) {',
        '  %zero: i32[] = constant[value=i32[] [0]]',
        '  %e: i32[] = Enter[frame=L] %zero',
        '  %m: i32[], %k: i32[] = Merge %e',
        '  %n1: i32[] = Enter[frame=L, isConstant=true] %n',
        '  %x1: f64[2] = Enter[frame=L, isConstant=true] %x',
        '  %p: bool[] = lt %m, %n1',
        '  %f: i32[], %t: i32[] = Switch %m, %p',
        '  %idx: i32[1] = reshape[shape=[1]] %t',
        '  %row: f64[1] = indexSelect[dim=0] %x1, %idx',
        '  %one: i32[] = constant[value=i32[] [1]]',
        '  %one1: i32[] = Enter[frame=L, isConstant=true] %one',
        '  %next: i32[] = add %t, %one1',
        '  #13 = NextIteration %next, %m',
        '  %y: i32[] = Exit %f',
        '  return %y',
        '}',
      ),
    );
    expect(runDataflow(g, f64([1, 2]), i32(2)).outputs[0].item()).toBe(2);
    expectFlowgradError(() => runDataflow(g, f64([1, 2]), i32(3)), /indexSelect.*\n {2}while running %row: f64\[1\] = indexSelect\[dim=0\] %x1, %idx \(frame L, iteration 2\)/s);
  });
});
