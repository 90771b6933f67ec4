import { describe, expect, test } from 'vitest';
import * as fg from '../../src/index.js';
import { GraphBuilder } from '../../src/ir/graph.js';
import { parseGraph } from '../../src/ir/parser.js';
import { availableExecutors, compile } from '../../src/runtime/compile.js';
import { SequentialExecutor, registerNodeRunner } from '../../src/runtime/sequential.js';
import { expectFlowgradError, randomTensor } from '../helpers/tensors.js';
import { allSamples, lnMulSin, mlp } from '../ir/graphs.js';
import '../ir/testOps.js';

/** The class of the error an eager call throws (graph execution must throw the same kind). */
function eagerErrorClass(call: () => unknown): new (...args: never[]) => Error {
  try {
    call();
  } catch (e) {
    return (e as Error).constructor as new (...args: never[]) => Error;
  }
  throw new Error('expected the eager call to throw');
}

const values = (ts: fg.Tensor[]) => ts.map((t) => ({ dtype: t.dtype, shape: t.shape, data: t.toArray() }));

describe('sequential executor', () => {
  test.each(Object.entries(allSamples()))('%s gives exactly the eager results', (_name, sample) => {
    const inputs = sample.inputs();
    const exe = compile(sample.graph, { executor: 'sequential' });
    expect(values(exe.run(...inputs))).toEqual(values(sample.eager(...inputs)));
  });

  test('DESIGN.md worked example: f(2, 5) = 11.652071455223084', () => {
    const s = lnMulSin();
    const [y] = compile(s.graph).run(...s.inputs());
    expect(y.item()).toBeCloseTo(11.652071455223084, 12);
  });

  test('one compiled graph runs with batch 1 and batch 7', () => {
    const s = mlp();
    const exe = compile(s.graph);
    for (const batch of [1, 7]) {
      const x = randomTensor([batch, 4], batch, -1, 1, 'float32');
      const w = randomTensor([4, 3], 2, -1, 1, 'float32');
      const b = randomTensor([3], 3, -1, 1, 'float32');
      const out = exe.run(x, w, b);
      expect(out.map((t) => t.shape)).toEqual([[batch], [batch, 3]]);
      expect(values(out)).toEqual(values(s.eager(x, w, b)));
    }
  });

  test('symbolic dims in a shape attr take their size from the inputs', () => {
    const g = parseGraph(['graph r(%x: f32[batch,4]) {', '  %1: f32[batch,2,2] = reshape[shape=[batch, 2, 2]] %x', '  %2: f32[3,batch,2,2] = expand[shape=[3, batch, 2, 2]] %1', '  return %2', '}'].join('\n'));
    const exe = compile(g);
    for (const batch of [1, 7]) {
      const x = randomTensor([batch, 4], batch, -1, 1, 'float32');
      expect(values(exe.run(x))).toEqual(values([fg.expand(fg.reshape(x, [batch, 2, 2]), [3, batch, 2, 2])]));
    }
  });

  test('stats: launches, per-op counts, busy time per device, FIFO order', () => {
    const s = allSamples().constantsAndMovement;
    const exe = compile(s.graph);
    exe.run(...s.inputs());
    const st = exe.stats;
    const kernels = s.graph.nodes.filter((n) => n.op !== 'constant').length;
    expect(st.launches).toBe(kernels);
    expect(st.transfers).toBe(0);
    expect(st.perOp.get('mul')).toMatchObject({ count: 1 });
    expect(st.perOp.has('constant')).toBe(false);
    expect([...st.perOp.values()].reduce((a, o) => a + o.count, 0)).toBe(kernels);
    expect(st.busyMs.cpu).toBeGreaterThanOrEqual(0);
    expect(st.busyMs['cpu:0']).toBeGreaterThanOrEqual(0);
    expect([...st.order].sort((a, b) => a - b)).toEqual(s.graph.nodes.map((_, i) => i));
    // Running again resets the stats to that run.
    exe.run(...s.inputs());
    expect(exe.stats.launches).toBe(kernels);
  });

  test('the ready queue is FIFO over in-degree-0 nodes, and control deps hold a node back', () => {
    const g = parseGraph(
      ['graph g(%x: f32[2]) {', '  %1: f32[2] = exp %x', '  %2: f32[2] = neg %1', '  %3: f32[2] = sin %x', '  %4: f32[2] = cos %x after %2', '  return %2, %3, %4', '}'].join('\n'),
    );
    const exe = compile(g);
    exe.run(fg.tensor([1, 2]));
    // exp, sin (both ready at the start, in graph order), then neg (after exp), then cos (after neg).
    expect(exe.stats.order).toEqual([0, 2, 1, 3]);
  });

  test('intermediate values are freed after their last use', () => {
    const b = new GraphBuilder('chain');
    let v = b.addInput({ shape: [100], dtype: 'float64' }, 'x');
    for (let i = 0; i < 4; i++) v = b.addOp('exp', [v]).outputs[0];
    const exe = compile(b.build([v]));
    exe.run(fg.zeros([100], { dtype: 'float64' }));
    expect(exe.stats.naivePeakBytes).toBe(4 * 800);
    expect(exe.stats.peakBytes).toBe(2 * 800);
  });

  test('graph execution records nothing on the autograd tape', () => {
    const s = lnMulSin();
    const [a, c] = s.inputs().map((t) => t.requiresGrad_());
    const [y] = compile(s.graph).run(a, c);
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
  });

  test('an error while running names the node line and source and keeps its class', () => {
    const g = parseGraph(['graph m(%x: f32[3], %i: i32[n]) {', '  %2: f32[n] = indexSelect[dim=0] %x, %i  # model.ts:31', '  return %2', '}'].join('\n'));
    const exe = compile(g);
    expect(exe.run(fg.tensor([1, 2, 3]), fg.tensor([2, 0], { dtype: 'int32' }))[0].toArray()).toEqual([3, 1]);
    let thrown: unknown;
    try {
      exe.run(fg.tensor([1, 2, 3]), fg.tensor([0, 5], { dtype: 'int32' }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(fg.FlowgradError);
    expect((thrown as Error).message).toMatch(/^indexSelect: .*5.*\n {2}while running %2: f32\[n\] = indexSelect\[dim=0\] %x, %i {2}# model\.ts:31$/);
    expect(thrown).toBeInstanceOf(eagerErrorClass(() => fg.indexSelect(fg.tensor([1, 2, 3]), 0, fg.tensor([0, 5], { dtype: 'int32' }))));
  });

  test('input count, dtype and shape mismatches name the input', () => {
    const exe = compile(mlp().graph);
    const x = fg.zeros([2, 4]);
    const w = fg.zeros([4, 3]);
    const bias = fg.zeros([3]);
    expectFlowgradError(() => exe.run(x, w), /graph mlp: expected 3 input\(s\) \(%x, %w, %b\), got 2/);
    expectFlowgradError(() => exe.run(x, fg.zeros([4, 3], { dtype: 'float64' }), bias), /graph mlp: argument '%w' expected dtype float32, got float64/);
    expectFlowgradError(() => exe.run(x, w, fg.zeros([4])), /graph mlp: argument '%b' expected shape \[3\], got \[4\]/);
    expectFlowgradError(() => exe.run(x, 3 as unknown as fg.Tensor, bias), /graph mlp: argument '%w' expected a Tensor, got 3/);
  });

  test('symbolic dims must agree across inputs at run time', () => {
    const g = parseGraph(['graph pair(%x: f32[batch,3], %y: f32[batch,3]) {', '  %2: f32[batch,3] = add %x, %y', '  return %2', '}'].join('\n'));
    const exe = compile(g);
    expect(exe.run(fg.ones([7, 3]), fg.ones([7, 3]))[0].shape).toEqual([7, 3]);
    expectFlowgradError(() => exe.run(fg.ones([1, 3]), fg.ones([7, 3])), /argument '%y' expected shape \[batch, 3\] with batch = 1 \(set by %x dim 0\), got \[7, 3\]/);
  });

  test('subgraph ops run through a registered node runner', () => {
    registerNodeRunner('testCall', (exec, node, inputs) => exec.runSubgraph(node.subgraphs[0], inputs));
    const g = parseGraph(
      ['graph outer(%x: f32[batch]) {', '  %1: f32[batch] = testCall %x {', '    graph body(%0: f32[batch]) {', '      %1: f32[batch] = exp %0', '      return %1', '    }', '  }', '  %2: f32[batch] = neg %1', '  return %2', '}'].join(
        '\n',
      ),
    );
    const x = fg.tensor([0, 1, 2]);
    const exe = compile(g);
    expect(values(exe.run(x))).toEqual(values([fg.neg(fg.exp(x))]));
    expect(exe.stats.launches).toBe(2);
    expect(exe.stats.order).toEqual([0, 1]);
  });

  test('a graph-only op with no runner is a clear error', () => {
    const g = parseGraph(['graph g(%x: f32[2]) {', '  %1: f32[2] = testAttrs %x', '  return %1', '}'].join('\n'));
    expectFlowgradError(() => compile(g).run(fg.ones([2])), /the sequential executor cannot run op 'testAttrs'\n {2}while running %1: f32\[2\] = testAttrs %x/);
  });

  test('compile verifies the graph and refuses unknown executors and options', () => {
    const g = mlp().graph;
    expect(availableExecutors()).toContain('sequential');
    expectFlowgradError(() => compile(g, { executor: 'concurrent' }), /compile: executor "concurrent" is not available yet; available: sequential/);
    expectFlowgradError(() => compile(g, { passes: ['cse'] } as never), /compile: unknown option 'passes' \(known: executor, recycleBuffers\)/);
    const broken = new GraphBuilder('broken');
    const x = broken.addInput({ shape: [2], dtype: 'float32' });
    const y = broken.addNode('exp', [x], {}, [{ shape: [3], dtype: 'float32' }]).outputs[0];
    expect(() => compile(broken.build([y]))).toThrow(fg.GraphFormatError);
  });

  test('a graph input or captured constant output is returned as is; a literal constant as a copy', () => {
    const b = new GraphBuilder('id');
    const x = b.addInput({ shape: [2], dtype: 'float32' }, 'x');
    const c = b.addConstant(fg.tensor([1, 2]));
    const w = fg.tensor([3, 4]);
    const captured = b.addNode('constant', [], { value: w, captured: true }, [{ shape: [2], dtype: 'float32' }]).outputs[0];
    const exe = compile(b.build([x, c, captured]));
    const t = fg.tensor([5, 6]);
    const [o1, o2, o3] = exe.run(t);
    expect(o1).toBe(t);
    expect(o3).toBe(w);
    expect(o2.toArray()).toEqual([1, 2]);
    expect(exe.stats.launches).toBe(0);
    // Writing into a returned literal does not change what the next run returns.
    o2.add_(10);
    expect(exe.run(t)[1].toArray()).toEqual([1, 2]);
  });

  test('the executor class can be used directly', () => {
    const s = lnMulSin();
    const exec = new SequentialExecutor();
    const [y] = exec.run(s.graph, s.inputs());
    expect(y.item()).toBeCloseTo(11.652071455223084, 12);
    expect(exec.stats.launches).toBe(5);
  });
});
