import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { cse } from '../../src/passes/cse.js';
import { randomTensor } from '../helpers/tensors.js';
import { expectIR, expectSameNumbers, graphOf, opsOf } from './helpers.js';

const inputs4 = () => [1, 2, 3, 4].map((s) => randomTensor([3], s));

describe('cse', () => {
  it('shares b*c between a = b*c + g and d = b*c + e (REFERENCE 08CSE)', () => {
    const g = graphOf(
      'graph g(%b: f64[3], %c: f64[3], %g: f64[3], %e: f64[3]) {',
      '  %1: f64[3] = mul %b, %c  # f.ts:1',
      '  %2: f64[3] = add %1, %g',
      '  %3: f64[3] = mul %b, %c  # f.ts:2',
      '  %4: f64[3] = add %3, %e',
      '  return %2, %4',
      '}',
    );
    const out = cse(g);
    expectIR(
      out,
      'graph g(%b: f64[3], %c: f64[3], %g: f64[3], %e: f64[3]) {',
      '  %1: f64[3] = mul %b, %c  # f.ts:1',
      '  %2: f64[3] = add %1, %g',
      '  %4: f64[3] = add %1, %e',
      '  return %2, %4',
      '}',
    );
    expectSameNumbers(g, out, inputs4());
  });

  it('canonicalises commutative operands: add(v1, v2) meets add(v2, v1); sub and 3-operand addN keep their order', () => {
    const g = graphOf(
      'graph g(%v1: f64[3], %v2: f64[3]) {',
      '  %4: f64[3] = add %v1, %v2',
      '  %5: f64[3] = sub %v1, %v2',
      '  %6: f64[3] = add %v2, %v1',
      '  %7: f64[3] = sub %v2, %v1',
      '  %8: f64[3] = addN %4, %6, %5',
      '  %9: f64[3] = addN %5, %4, %6',
      '  return %8, %9, %7',
      '}',
    );
    const out = cse(g);
    expectIR(
      out,
      'graph g(%v1: f64[3], %v2: f64[3]) {',
      '  %4: f64[3] = add %v1, %v2',
      '  %5: f64[3] = sub %v1, %v2',
      '  %7: f64[3] = sub %v2, %v1',
      '  %8: f64[3] = addN %4, %4, %5',
      '  %9: f64[3] = addN %5, %4, %4',
      '  return %8, %9, %7',
      '}',
    );
    expectSameNumbers(g, out, inputs4().slice(0, 2));
  });

  it('merges in cascade, and only nodes with equal attrs, types, devices and control deps', () => {
    const g = graphOf(
      'graph g(%x: f64[2,3]) {',
      '  %1: f64[2,3] = exp %x',
      '  %2: f64[2,3] = exp %x',
      '  %3: f64[3] = sum[axes=[0], keepDim=false] %1',
      '  %4: f64[3] = sum[axes=[0], keepDim=false] %2',
      '  %5: f64[2] = sum[axes=[1], keepDim=false] %2',
      '  %6: f32[2,3] = cast[dtype=float32] %x',
      '  %7: i32[2,3] = cast[dtype=int32] %x',
      '  %8: f64[2,3] = exp %x @cpu:1',
      '  %9: f64[2,3] = exp %x after %6',
      '  return %3, %4, %5, %6, %7, %8, %9',
      '}',
    );
    const out = cse(g);
    expect(opsOf(out)).toEqual(['exp', 'sum', 'sum', 'cast', 'cast', 'exp', 'exp']);
    expect(out.outputs[0]).toBe(out.outputs[1]);
    expectSameNumbers(g, out, [randomTensor([2, 3], 9)]);
  });

  it('merges literal constants by exact bits, captured ones only with views of the same memory', () => {
    const b = new fg.GraphBuilder('g');
    const x = b.addInput({ shape: [2], dtype: 'float32' }, 'x');
    const lit = (data: number[]) => b.addConstant(fg.tensor(data));
    const cap = (t: fg.Tensor) => b.addNode('constant', [], { value: t, captured: true }, [{ shape: t.shape, dtype: t.dtype }]).outputs[0];
    const w = fg.tensor([1, 2]);
    const m = fg.tensor([[1, 2]]);
    const values = [lit([1, 2]), lit([1, 2]), lit([0, NaN]), lit([0, NaN]), lit([-0, NaN]), cap(fg.tensor([1, 2])), cap(w), cap(w), cap(m.reshape([2])), cap(m.reshape([2]))];
    const outs = values.map((v) => b.addOp('add', [x, v]).outputs[0]);
    const out = cse(b.build(outs));
    const constantOf = (i: number) => out.outputs[i].producer!.inputs[1];
    // [1,2] literals merge; the NaN ones merge (same bits); -0 differs from 0; an equal captured tensor
    // does not merge with the literal nor with another captured tensor; the same captured tensor,
    // or another view of the same memory, does.
    expect(constantOf(1)).toBe(constantOf(0));
    expect(constantOf(3)).toBe(constantOf(2));
    expect(constantOf(4)).not.toBe(constantOf(2));
    expect(constantOf(5)).not.toBe(constantOf(0));
    expect(constantOf(6)).not.toBe(constantOf(5));
    expect(constantOf(7)).toBe(constantOf(6));
    expect(constantOf(9)).toBe(constantOf(8));
    expect(constantOf(8)).not.toBe(constantOf(6));
    expect(opsOf(out).filter((op) => op === 'constant')).toHaveLength(6);
  });

  it('never merges random nodes (two draws differ)', () => {
    const g = fg.trace((x: fg.Tensor) => x.add(fg.rand([3])).sub(fg.rand([3])), [fg.spec([3])]);
    const out = cse(g);
    expect(opsOf(out).filter((op) => op === 'rand')).toHaveLength(2);
    const [y] = out.run(fg.zeros([3]));
    expect(y.toArray().some((v: number) => v !== 0)).toBe(true);
  });

  it('does not merge reads of a buffer that a side-effecting node writes', () => {
    const g = graphOf(
      'graph g(%x: f32[4,2], %stat: f32[1,2]) {',
      '  %1: f32[2] = constant[value=f32[2] [1, 1], captured=true]',
      '  %2: f32[2] = mul %1, %1',
      '  %3: f32[2] = runningStatUpdate[momentum=0.5, unbiased=false] %1, %stat, %x',
      '  %4: f32[2] = mul %1, %1 after %3',
      '  %5: f32[2] = exp %2',
      '  %6: f32[2] = exp %2',
      '  return %2, %4, %5, %6',
      '}',
    );
    // %4 reads %1 after the write and must stay; %5/%6 read an unwritten value and merge.
    expect(opsOf(cse(g))).toEqual(['constant', 'mul', 'runningStatUpdate', 'mul', 'exp']);
  });

  it('returns the graph itself when nothing repeats', () => {
    const g = graphOf('graph g(%x: f32[2]) {', '  %1: f32[2] = exp %x', '  %2: f32[2] = exp %1', '  return %2', '}');
    expect(cse(g)).toBe(g);
  });
});
