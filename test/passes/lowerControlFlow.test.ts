import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { lowerControlFlow } from '../../src/passes/lowerControlFlow.js';
import { expectRoundTrip, f64, i32 } from '../control/helpers.js';
import { expectClose } from '../helpers/tensors.js';
import { controlSamples } from './controlFlowSamples.js';
import { expectIR, expectSameTensors, graphOf, opsOf } from './helpers.js';

const lower = (g: fg.Graph): fg.Graph => fg.optimize(g, { passes: ['lowerControlFlow'] });
const dataflow = (g: fg.Graph, inputs: readonly fg.Tensor[]): fg.Tensor[] => fg.compile(g, { executor: 'dataflow' }).run(...inputs);

describe('lowerControlFlow: the IR it makes', () => {
  it('turns a cond into a Switch per operand, both branches on their side, and a Merge per result', () => {
    const g = graphOf(
      'graph f(%p: bool[], %x: f64[2], %w: f64[]) {',
      '  %3: f64[2] = cond %p, %x, %w {',
      '    graph t(%0: f64[2], %1: f64[]) {',
      '      %2: f64[2] = mul %0, %1',
      '      return %2',
      '    }',
      '    graph f(%0: f64[2], %1: f64[]) {',
      '      %2: f64[2] = neg %0',
      '      return %2',
      '    }',
      '  }',
      '  return %3',
      '}',
    );
    const lowered = lower(g);
    expectIR(
      lowered,
      'graph f(%p: bool[], %x: f64[2], %w: f64[]) {',
      '  %7: f64[2], %8: f64[2] = Switch %x, %p',
      '  %9: f64[], %10: f64[] = Switch %w, %p',
      '  %11: f64[2] = mul %8, %10',
      '  %12: f64[2] = neg %7',
      '  %3: f64[2], %13: i32[] = Merge %11, %12',
      '  return %3',
      '}',
    );
    for (const p of [true, false]) {
      const inputs = [fg.tensor(p), f64([1, -2]), f64(3)];
      expectSameTensors(dataflow(lowered, inputs), g.run(...inputs), 0);
    }
  });

  it('turns a whileLoop into Enter, Merge, the cond inlined, Switch, the body, NextIteration and Exit', () => {
    const g = graphOf(
      'graph count(%i: i32[], %n: i32[]) {',
      '  %2: i32[] = whileLoop %i, %n {',
      '    graph c(%0: i32[], %1: i32[]) {',
      '      %2: bool[] = lt %0, %1',
      '      return %2',
      '    }',
      '    graph b(%0: i32[], %1: i32[]) {',
      '      %2: i32[] = constant[value=i32[] [1]]',
      '      %3: i32[] = add %0, %2',
      '      return %3',
      '    }',
      '  }',
      '  return %2',
      '}',
    );
    const lowered = lower(g);
    expectIR(
      lowered,
      'graph count(%i: i32[], %n: i32[]) {',
      '  %6: i32[] = Enter[frame=while0] %i',
      '  %7: i32[], %8: i32[] = Merge %6',
      '  %9: i32[] = Enter[frame=while0, isConstant=true] %n',
      '  %10: bool[] = lt %7, %9',
      '  %11: i32[], %12: i32[] = Switch %7, %10',
      '  %13: i32[] = constant[value=i32[] [1]]',
      '  %14: i32[] = Enter[frame=while0, isConstant=true] %13',
      '  %15: i32[], %16: i32[] = Switch %14, %10',
      '  %17: i32[] = add %12, %16',
      '  #9 = NextIteration %17, %7',
      '  %2: i32[] = Exit %11',
      '  return %2',
      '}',
    );
    for (const [i, n] of [[0, 10], [4, 2], [-3, 5]]) {
      const [out] = dataflow(lowered, [i32(i), i32(n)]);
      expect(out.item()).toBe(Math.max(i, n));
    }
  });

  it('gives each loop its own frame, nested in the frame of the loop around it', () => {
    const lowered = lower(controlSamples().nestedLoops.graph());
    const enters = lowered.nodes.filter((n) => n.op === 'Enter');
    expect([...new Set(enters.map((n) => n.attrs.frame))]).toEqual(['while0', 'while1']);
    // the inner loop's carry enters from the outer frame: its Enter reads a value of while0
    const inner = enters.find((n) => n.attrs.frame === 'while1' && n.attrs.isConstant === undefined)!;
    expect(inner.inputs[0].producer!.op).toBe('Switch');
    expect(opsOf(lowered)).not.toContain('whileLoop');
    expectRoundTrip(lowered);
  });

  it('changes nothing in a graph without cond or whileLoop (the same graph object), and is idempotent', () => {
    const plain = graphOf('graph g(%x: f64[2]) {', '  %1: f64[2] = exp %x', '  return %1', '}');
    expect(lowerControlFlow(plain)).toBe(plain);
    const once = lower(controlSamples().loopWithCond.graph());
    expect(lowerControlFlow(once)).toBe(once);
  });

  it('leaves scan nodes (and the conds in their bodies) as they are', () => {
    const g = controlSamples().scanWithCond.graph();
    expect(lowerControlFlow(g)).toBe(g);
  });

  it('moves constants of branches and bodies to the root and routes them in through Switch and Enter', () => {
    const lowered = lower(controlSamples().constantBranch.graph());
    const constant = lowered.nodes.find((n) => n.op === 'constant')!;
    expect(constant.controlDeps).toEqual([]);
    const [reader] = lowered.nodes.filter((n) => n.inputs.includes(constant.outputs[0]));
    expect(reader.op).toBe('Switch');
  });

  it('anchors a random draw without inputs to its branch or frame with a control dependency', () => {
    const lowered = lower(controlSamples().drawInLoop.graph());
    const draw = lowered.nodes.find((n) => n.op === 'rand')!;
    // the pivot: the loop's predicate switched to the body's side
    expect(draw.controlDeps.map((d) => d.op)).toEqual(['clone']);
    expect(draw.controlDeps[0].inputs[0].producer!.op).toBe('Switch');
    expectRoundTrip(lowered);
  });

  it('survives the other passes: dce keeps the back edges, cse leaves the primitives alone', () => {
    const lowered = lower(controlSamples().doubleUntil.graph());
    const backEdges = (g: fg.Graph) => g.nodes.filter((n) => n.op === 'NextIteration').length;
    expect(backEdges(fg.optimize(lowered, { passes: ['cse'] }))).toBe(2);
    expect(backEdges(fg.optimize(lowered, { passes: ['dce'] }))).toBe(2);
  });

  it('runs under the differential checker and g.run, which pick the dataflow executor for a lowered graph', () => {
    const sample = controlSamples().doubleUntil;
    const g = sample.graph();
    const checked = fg.optimize(g, { passes: ['lowerControlFlow', 'dce'], check: { inputs: [...sample.inputs[0]] } });
    expect(checked.nodes.some((n) => n.op === 'Switch')).toBe(true);
    expectSameTensors(checked.run(...sample.inputs[0]), g.run(...sample.inputs[0]), 0);
  });
});

describe('lowerControlFlow: every cond and whileLoop graph of the control tests', () => {
  it.each(Object.entries(controlSamples()))('%s: lowered and run by dataflow = sequential = eager', (_name, sample) => {
    const g = sample.graph();
    const lowered = lower(g);
    expectRoundTrip(lowered);
    const left = lowered.nodes.filter((n) => n.op === 'cond' || n.op === 'whileLoop');
    expect(left).toEqual([]);
    const exe = fg.compile(lowered, { executor: 'dataflow' });
    for (const inputs of sample.inputs) {
      const seeded = <R>(run: () => R): R => {
        if (sample.random) fg.manualSeed(11);
        return run();
      };
      const sequential = seeded(() => g.run(...inputs));
      const lowRun = seeded(() => exe.run(...inputs));
      const eager = seeded(() => sample.eager(...inputs));
      // the same kernels in a different order: exactly equal to the sequential executor
      expectSameTensors(lowRun, sequential, 0);
      expect(sequential.length).toBe(eager.length);
      sequential.forEach((t, i) => expectClose(t.toArray(), eager[i].toArray(), 1e-12, `output ${i}`));
    }
  });
});
