import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { MAX_FOLD_ELEMENTS, constantFolding } from '../../src/passes/constantFolding.js';
import { dce } from '../../src/passes/dce.js';
import { randomTensor } from '../helpers/tensors.js';
import { expectIR, expectSameNumbers, graphOf, opsOf } from './helpers.js';

describe('constantFolding', () => {
  it('folds 24*60*60 into 86400, leaving the dead literals to dce', () => {
    const g = graphOf(
      'graph g() {',
      '  %0: f32[] = constant[value=f32[] [24]]',
      '  %1: f32[] = constant[value=f32[] [60]]',
      '  %2: f32[] = mul %0, %1',
      '  %3: f32[] = mul %2, %1  # day.ts:1',
      '  return %3',
      '}',
    );
    const out = constantFolding(g);
    expectIR(
      out,
      'graph g() {',
      '  %0: f32[] = constant[value=f32[] [24]]',
      '  %1: f32[] = constant[value=f32[] [60]]',
      '  %3: f32[] = constant[value=f32[] [86400]]  # day.ts:1',
      '  return %3',
      '}',
    );
    expectIR(dce(out), 'graph g() {', '  %3: f32[] = constant[value=f32[] [86400]]  # day.ts:1', '  return %3', '}');
  });

  it('folds x = 14; y = 7 − x/2; return y·(28/x + 2) to 0 (REFERENCE 07ConstantFold)', () => {
    const g = graphOf(
      'graph g(%z: f64[]) {',
      '  %0: f64[] = constant[value=f64[] [14]]',
      '  %1: f64[] = constant[value=f64[] [2]]',
      '  %2: f64[] = constant[value=f64[] [7]]',
      '  %3: f64[] = constant[value=f64[] [28]]',
      '  %4: f64[] = div %0, %1',
      '  %5: f64[] = sub %2, %4',
      '  %6: f64[] = div %3, %0',
      '  %7: f64[] = add %6, %1',
      '  %8: f64[] = mul %5, %7',
      '  %9: f64[] = add %z, %8',
      '  return %8, %9',
      '}',
    );
    const out = dce(constantFolding(g));
    expectIR(out, 'graph g(%z: f64[]) {', '  %8: f64[] = constant[value=f64[] [0]]', '  %9: f64[] = add %z, %8', '  return %8, %9', '}');
    expectSameNumbers(g, out, [fg.tensor(1.5, { dtype: 'float64' })]);
  });

  it('folds Size of a (1,2,3,4) tensor to 24 although the tensor is an input', () => {
    const g = graphOf('graph g(%x: f32[1,2,3,4]) {', '  %1: f32[] = numel[axes=[0, 1, 2, 3], dtype=float32] %x', '  return %1', '}');
    expectIR(constantFolding(g), 'graph g(%x: f32[1,2,3,4]) {', '  %1: f32[] = constant[value=f32[] [24]]', '  return %1', '}');
  });

  it('folds numel over a symbolic batch only where the counted dims are numbers', () => {
    const g = graphOf(
      'graph g(%x: f32[batch,3]) {',
      '  %1: i32[] = numel[axes=[1], dtype=int32] %x',
      '  %2: f32[] = numel[axes=[0, 1], dtype=float32] %x',
      '  return %1, %2',
      '}',
    );
    expect(opsOf(constantFolding(g))).toEqual(['constant', 'numel']);
    const folded = constantFolding(g).outputs[0].producer!.attrs.value as fg.Tensor;
    expect([folded.dtype, folded.toArray()]).toEqual(['int32', 3]);
    const traced = fg.trace((x: fg.Tensor) => x.mean(), [fg.spec(['batch', 3])]);
    expect(opsOf(constantFolding(traced))).toContain('numel');
  });

  it('folds AddN of constant (N,C,H,W) tensors, in cascade (AddN1 → AddN2)', () => {
    const b = new fg.GraphBuilder('g');
    const x = b.addInput({ shape: [1, 2, 2, 2], dtype: 'float64' }, 'x');
    const [c1, c2, c3] = [1, 2, 3].map((s) => b.addConstant(randomTensor([1, 2, 2, 2], s)));
    const n1 = b.addOp('addN', [c1, c2]).outputs[0];
    const n2 = b.addOp('addN', [n1, c3]).outputs[0];
    const y = b.addOp('mul', [x, n2]).outputs[0];
    const g = b.build([y]);
    const out = dce(constantFolding(g));
    expect(opsOf(out)).toEqual(['constant', 'mul']);
    expectSameNumbers(g, out, [randomTensor([1, 2, 2, 2], 4)]);
  });

  it('never folds a captured constant: an in-place update must be seen by the next run', () => {
    const w = fg.tensor([1, 2, 3]);
    const b = new fg.GraphBuilder('g');
    const x = b.addInput({ shape: [3], dtype: 'float32' }, 'x');
    const cw = b.addNode('constant', [], { value: w, captured: true }, [{ shape: [3], dtype: 'float32' }]).outputs[0];
    const one = b.addConstant(fg.tensor([1, 1, 1]));
    const sum = b.addOp('add', [cw, one]).outputs[0];
    const y = b.addOp('mul', [x, sum]).outputs[0];
    const g = b.build([y]);
    expect(constantFolding(g)).toBe(g);
    // The same graph without the mark folds w + 1.
    const literal = fg.parseGraph(g.toString().replace(', captured=true', ''));
    expect(opsOf(dce(constantFolding(literal)))).toEqual(['constant', 'mul']);
  });

  it('never folds random or side-effecting nodes, nor what a side-effecting node writes', () => {
    const g = graphOf(
      'graph g(%x: f32[4,2], %stat: f32[1,2]) {',
      '  %1: f32[2] = rand[shape=[2], dtype=float32, device="cpu"]',
      '  %2: f32[2] = mul %1, %1',
      '  %3: f32[2] = constant[value=f32[2] [1, 1]]',
      '  %4: f32[2] = runningStatUpdate[momentum=0.5, unbiased=false] %3, %stat, %x',
      '  %5: f32[2] = exp %3',
      '  return %2, %4, %5',
      '}',
    );
    expect(constantFolding(g)).toBe(g);
  });

  it(`leaves results above ${MAX_FOLD_ELEMENTS} elements to run time`, () => {
    const g = graphOf(
      'graph g() {',
      '  %0: f32[] = constant[value=f32[] [2]]',
      '  %1: f32[400,300] = expand[shape=[400, 300]] %0',
      '  %2: f32[300,300] = expand[shape=[300, 300]] %0',
      '  return %1, %2',
      '}',
    );
    expect(opsOf(constantFolding(g))).toEqual(['constant', 'expand', 'constant']);
  });

  it('leaves a node whose kernel rejects its constants to fail at run time, with its line', () => {
    const g = graphOf(
      'graph g() {',
      '  %0: f32[3] = constant[value=f32[3] [1, 2, 3]]',
      '  %1: i32[1] = constant[value=i32[1] [5]]',
      '  %2: f32[1] = gather[dim=0] %0, %1',
      '  return %2',
      '}',
    );
    expect(constantFolding(g)).toBe(g);
    expect(() => g.run()).toThrow(/gather/);
  });
});
