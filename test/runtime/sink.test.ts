/** @file The sink executor: a whole static graph as one program, equal to the sequential executor. */
import { describe, expect, test } from 'vitest';
import * as fg from '../../src/index.js';
import { GraphBuilder } from '../../src/ir/graph.js';
import { fusion } from '../../src/passes/fusion.js';
import { expectFlowgradError, randomTensor } from '../helpers/tensors.js';
import { allSamples } from '../ir/graphs.js';

const values = (ts: fg.Tensor[]) => ts.map((t) => ({ dtype: t.dtype, shape: t.shape, data: t.toArray() }));
const isStatic = (g: fg.Graph) => [...g.inputs, ...g.nodes.flatMap((n) => n.outputs)].every((v) => v.type.shape.every((d) => typeof d === 'number'));

describe('sink executor', () => {
  const samples = Object.entries(allSamples());
  test.each(samples.filter(([, s]) => isStatic(s.graph)))('%s: one program gives exactly the sequential results, run after run', (_name, sample) => {
    const exe = fg.compile(sample.graph, { executor: 'sink' });
    const inputs = sample.inputs();
    const expected = values(fg.compile(sample.graph).run(...inputs));
    for (let i = 0; i < 3; i++) expect(values(exe.run(...inputs))).toEqual(expected);
    const stats = exe.stats as fg.ExecutionStats & { dispatches: number };
    expect(stats.dispatches).toBe(1);
    expect(stats.launches).toBe(sample.graph.nodes.filter((n) => n.op !== 'constant').length);
    expect(stats.peakBytes).toBeLessThanOrEqual(stats.naivePeakBytes);
  });

  test('a graph with symbolic dims or control flow is refused, naming why', () => {
    const symbolic = fg.trace((x: fg.Tensor) => x.exp(), [fg.spec(['batch', 3])]);
    expectFlowgradError(() => fg.compile(symbolic, { executor: 'sink' }), /cannot run on the 'sink' executor: input x has a symbolic shape f32\[batch,3\]; use 'sequential'/);
    const branchy = fg.trace((x: fg.Tensor) => fg.cond(x.sum().gt(0), (a: fg.Tensor) => a.neg(), (a: fg.Tensor) => a, x), [fg.spec([3])]);
    expectFlowgradError(() => fg.compile(branchy, { executor: 'sink' }), /cond has subgraphs \(control flow does not sink\)/);
    const lowered = fg.optimize(branchy, { passes: ['lowerControlFlow'] });
    expectFlowgradError(() => fg.compile(lowered, { executor: 'sink' }), /op Switch is a graph-only op/);
  });

  test('runs fused nodes, recycles buffers from the second run, and checks its inputs', () => {
    const g = fusion(fg.trace((x: fg.Tensor, w: fg.Tensor) => x.matmul(w).add(1).exp().mul(2).sum(), [fg.spec([4, 3], 'float64'), fg.spec([3, 2], 'float64')]));
    expect(g.nodes.some((n) => n.op === 'fused')).toBe(true);
    const exe = fg.compile(g, { executor: 'sink' });
    const [x, w] = [randomTensor([4, 3], 1), randomTensor([3, 2], 2)];
    expect(exe.run(x, w)[0].item()).toBe(fg.compile(g).run(x, w)[0].item());
    exe.run(x, w);
    expect(exe.stats.buffersReused).toBeGreaterThan(0);
    expectFlowgradError(() => exe.run(x), /graph .*: argument 'inputs' expected 2 tensors, got 1/);
    expectFlowgradError(() => exe.run(x, randomTensor([3, 3], 3)), /argument 'input 1' expected f64\[3,2\], got f64\[3,3\]/);
    const gone = randomTensor([3, 2], 4);
    gone.dispose();
    expectFlowgradError(() => exe.run(x, gone), /argument 'input 1' expected a tensor that has not been disposed/);
  });

  test('returns inputs and captured constants as themselves, literal constants as copies', () => {
    const b = new GraphBuilder('id');
    const x = b.addInput({ shape: [2], dtype: 'float32' }, 'x');
    const c = b.addConstant(fg.tensor([1, 2]));
    const w = fg.tensor([3, 4]);
    const captured = b.addNode('constant', [], { value: w, captured: true }, [{ shape: [2], dtype: 'float32' }]).outputs[0];
    const exe = fg.compile(b.build([x, c, captured]), { executor: 'sink' });
    const t = fg.tensor([5, 6]);
    const [o1, o2, o3] = exe.run(t);
    expect(o1).toBe(t);
    expect(o3).toBe(w);
    o2.add_(10);
    expect(exe.run(t)[1].toArray()).toEqual([1, 2]);
  });
});
