/**
 * @file Captured vs literal constants: tracing holds tensors from outside the traced function
 * (parameters) by reference, so an optimizer's in-place update is seen by the next run; passes
 * must never bake such a constant's numbers in. Literal constants (made inside the function, or
 * parsed from text) are fixed numbers, and are folded and merged.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { optimize } from '../../src/passes/optimize.js';
import { randomTensor } from '../helpers/tensors.js';
import { expectSameTensors, opsOf } from './helpers.js';

const constants = (g: fg.Graph) => g.nodes.filter((n) => n.op === 'constant');
const isCaptured = (n: fg.Node) => n.attrs.captured === true;

describe('tracing marks captured constants', () => {
  it('marks tensors from outside f (and views of them) captured, tensors made inside f literal', () => {
    const w = fg.tensor([[1, 2], [3, 4]]);
    const g = fg.trace((x: fg.Tensor) => x.matmul(w.transpose()).add(fg.tensor([1, 2])).mul(w.detach()), [fg.spec([2, 2])]);
    expect(constants(g).map(isCaptured)).toEqual([true, false, true]);
    // Ops that read a captured tensor are recorded (w may change between runs), views included.
    expect(g.toString()).toContain('constant[value=f32[2,2] [1, 2, 3, 4], captured=true]');
    expect(g.nodes.some((n) => n.op === 'transpose' || n.op === 'permute')).toBe(true);
  });

  it('round-trips the mark through the text form and JSON', () => {
    const w = fg.tensor([1, 2]);
    const g = fg.trace((x: fg.Tensor) => x.mul(w).add(fg.tensor([3, 4])), [fg.spec([2])]);
    expect(fg.graphDifference(fg.parseGraph(g.toString()), g)).toBeNull();
    expect(fg.graphDifference(fg.graphFromJSON(fg.graphToJSON(g)), g)).toBeNull();
    expect(() => fg.parseGraph(g.toString().replace('captured=true', 'captured=false'))).toThrow(/constant: argument 'captured' expected true/);
  });

  it('keeps literals literal when gradGraph replays the graph in a new trace', () => {
    const w = fg.tensor([1, 2, 3]);
    const g = fg.trace((x: fg.Tensor) => x.mul(w).mul(fg.tensor([2, 2, 2])).sum(), [fg.spec([3])]);
    const grad = fg.gradGraph(g);
    const byValue = (n: fg.Node) => String((n.attrs.value as fg.Tensor).toArray());
    const marks = new Map(constants(grad).map((n) => [byValue(n), isCaptured(n)]));
    expect(marks.get('1,2,3')).toBe(true);
    expect(marks.get('2,2,2')).toBe(false);
  });
});

describe('passes and captured constants', () => {
  it('an optimized graph sees in-place updates of what it captured; literals are folded and merged', () => {
    const w = fg.tensor([1, 2, 3]);
    const f = (x: fg.Tensor) => x.mul(w).add(x.mul(w)).mul(fg.tensor([2, 2, 2])).add(fg.tensor([2, 2, 2])).mul(1);
    const g = fg.trace(f, [fg.spec([3])]);
    // fusion left out: which float32 ops it fuses depends on the kernels present (see fusion.ts).
    const out = optimize(g, { passes: ['algebraic', 'constantFolding', 'cse', 'dce'] });
    // The two literal [2,2,2] merge into one constant; the literal 1 is gone (x·1 → x); w stays captured.
    expect(constants(out).map((n) => [isCaptured(n), String((n.attrs.value as fg.Tensor).toArray())])).toEqual([[true, '1,2,3'], [false, '2,2,2']]);
    expect(opsOf(out)).toEqual(['constant', 'mul', 'add', 'constant', 'mul', 'add']);
    const x = fg.tensor([1, -1, 0.5]);
    expectSameTensors(out.run(x), [f(x)], 0);
    w.mul_(3);
    expectSameTensors(out.run(x), [f(x)], 0);
  });

  it('a captured parameter that holds ones is not x·1, and equal captured tensors are not merged', () => {
    const scale = fg.ones([3]);
    const shift = fg.zeros([3]);
    const other = fg.zeros([3]);
    const f = (x: fg.Tensor) => x.mul(scale).add(shift).sub(x.add(other));
    const out = optimize(fg.trace(f, [fg.spec([3])]));
    expect(constants(out)).toHaveLength(3);
    scale.fill_(2);
    shift.fill_(5);
    other.fill_(-1);
    const x = fg.tensor([1, 2, 3]);
    expectSameTensors(out.run(x), [f(x)], 0);
    expect(out.run(x)[0].toArray()).toEqual([7, 8, 9]);
  });

  it('training through an optimized graph matches eager training, layers with equal weights included', () => {
    const make = () => {
      const l1 = new fg.nn.Linear(3, 3);
      const l2 = new fg.nn.Linear(3, 3);
      fg.noGrad(() => {
        l2.weight.copy_(l1.weight);
        l1.bias!.zero_();
        l2.bias!.zero_();
      });
      return [l1, l2] as const;
    };
    const [a1, a2] = make();
    const [b1, b2] = make();
    fg.noGrad(() => {
      b1.weight.copy_(a1.weight);
      b2.weight.copy_(a2.weight);
    });
    const x = randomTensor([4, 3], 7, -1, 1, 'float32');
    const loss = (l1: fg.nn.Linear, l2: fg.nn.Linear) => (xs: fg.Tensor) => l2.forward(l1.forward(xs).relu()).add(l1.forward(xs)).pow(2).mean();
    const traced = fg.trace(loss(b1, b2), [fg.spec([4, 3])]);
    const graph = optimize(traced);
    // l1's weight is one captured constant, transposed twice in the trace (CSE merges the two
    // transposes); l2's equal weight stays apart.
    const transposes = (g: fg.Graph) => g.nodes.filter((n) => n.op === 'permute' || n.op === 'transpose').length;
    expect(constants(traced).filter(isCaptured)).toHaveLength(4);
    expect(constants(graph).filter(isCaptured)).toHaveLength(4);
    expect([transposes(traced), transposes(graph)]).toEqual([3, 2]);
    const optA = new fg.optim.SGD([...a1.parameters(), ...a2.parameters()], { lr: 0.1 });
    const optB = new fg.optim.SGD([...b1.parameters(), ...b2.parameters()], { lr: 0.1 });
    for (let step = 0; step < 3; step++) {
      const eager = loss(a1, a2)(x);
      const compiled = graph.run(x)[0];
      expect(compiled.item()).toBeCloseTo(eager.item(), 5);
      optA.zeroGrad();
      eager.backward();
      optA.step();
      optB.zeroGrad();
      loss(b1, b2)(x).backward();
      optB.step();
    }
  });

  it('random draws are never merged, and optimizing keeps a seeded graph reproducible', () => {
    const f = (x: fg.Tensor) => x.add(fg.rand([3])).sub(fg.rand([3])).add(fg.dropout(x, 0.5, true)).add(fg.dropout(x, 0.5, true));
    const g = fg.trace(f, [fg.spec([3])]);
    fg.rand([1]);
    const out = optimize(g);
    expect(opsOf(out).filter((op) => op === 'rand')).toHaveLength(2);
    expect(opsOf(out).filter((op) => op === 'dropoutMask')).toHaveLength(2);
    const x = fg.ones([3]);
    fg.manualSeed(11);
    const before = g.run(x)[0].toArray();
    fg.manualSeed(11);
    expect(out.run(x)[0].toArray()).toEqual(before);
  });

  it('batch norm in training mode keeps updating its running statistics after optimization', () => {
    const bnA = new fg.nn.BatchNorm2d(2);
    const bnB = new fg.nn.BatchNorm2d(2);
    const x = randomTensor([3, 2, 2, 2], 5, -1, 1, 'float32');
    const out = optimize(fg.trace((xs: fg.Tensor) => bnB.forward(xs).sum(), [fg.spec([3, 2, 2, 2])]));
    expect(opsOf(out).filter((op) => op === 'runningStatUpdate')).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      expect(out.run(x)[0].item()).toBeCloseTo(bnA.forward(x).sum().item(), 5);
    }
    expect(Array.from(bnB.runningMean!.dataSync())).toEqual(Array.from(bnA.runningMean!.dataSync()));
    expect(Array.from(bnB.runningVar!.dataSync())).toEqual(Array.from(bnA.runningVar!.dataSync()));
  });
});
