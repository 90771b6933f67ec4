import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { dce } from '../../src/passes/dce.js';
import { randomTensor } from '../helpers/tensors.js';
import { expectIR, expectSameNumbers, graphOf, opsOf } from './helpers.js';

describe('dce', () => {
  it('removes nodes no output needs, transitively, and keeps value ids and unused inputs', () => {
    const g = graphOf(
      'graph g(%x: f64[3], %unused: f64[3]) {',
      '  %1: f64[3] = exp %x',
      '  %2: f64[3] = sin %1',
      '  %3: f64[3] = log %x  # model.ts:3',
      '  return %3',
      '}',
    );
    const before = g.toString();
    const out = dce(g);
    expectIR(out, 'graph g(%x: f64[3], %unused: f64[3]) {', '  %3: f64[3] = log %x  # model.ts:3', '  return %3', '}');
    expect(g.toString()).toBe(before);
    const x = randomTensor([3], 1, 0.5, 2);
    expectSameNumbers(g, out, [x, x]);
  });

  it('returns the graph itself when every node is needed', () => {
    const g = graphOf('graph g(%x: f32[2]) {', '  %1: f32[2] = exp %x', '  return %1, %x', '}');
    expect(dce(g)).toBe(g);
  });

  it('keeps side-effecting nodes nobody reads, and what they read', () => {
    const g = graphOf(
      'graph g(%x: f32[4,2], %stat: f32[1,2]) {',
      '  %1: f32[2] = constant[value=f32[2] [0, 0], captured=true]',
      '  %2: f32[1,2] = mul %stat, %stat',
      '  %3: f32[2] = runningStatUpdate[momentum=0.5, unbiased=false] %1, %2, %x',
      '  %4: f32[4,2] = relu %x',
      '  %5: f32[4,2] = exp %x',
      '  return %4',
      '}',
    );
    expect(opsOf(dce(g))).toEqual(['constant', 'mul', 'runningStatUpdate', 'relu']);
  });

  it('keeps random nodes nobody reads: dropping a draw would shift the draws after it', () => {
    const b = new fg.GraphBuilder('g');
    const x = b.addInput({ shape: [3], dtype: 'float32' }, 'x');
    b.addOp('rand', [], { shape: [3], dtype: 'float32', device: 'cpu' });
    const r = b.addOp('rand', [], { shape: [3], dtype: 'float32', device: 'cpu' }).outputs[0];
    const y = b.addOp('add', [x, r]).outputs[0];
    b.addOp('exp', [x]);
    const g = b.build([y]);
    expect(opsOf(dce(g))).toEqual(['rand', 'rand', 'add']);
    fg.manualSeed(5);
    const [a] = g.run(fg.zeros([3]));
    fg.manualSeed(5);
    const [c] = dce(g).run(fg.zeros([3]));
    expect(c.toArray()).toEqual(a.toArray());
  });

  it('keeps the nodes a needed node runs after (control dependencies)', () => {
    const g = graphOf(
      'graph g(%x: f32[2]) {',
      '  %1: f32[2] = exp %x',
      '  %2: f32[2] = sin %1',
      '  %3: f32[2] = cos %x',
      '  %4: f32[2] = neg %x after %2',
      '  return %4',
      '}',
    );
    expectIR(dce(g), 'graph g(%x: f32[2]) {', '  %1: f32[2] = exp %x', '  %2: f32[2] = sin %1', '  %4: f32[2] = neg %x after %2', '  return %4', '}');
  });
});
