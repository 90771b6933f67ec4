import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { algebraic, applyRules } from '../../src/passes/algebraic.js';
import { dce } from '../../src/passes/dce.js';
import { algebraicRules } from '../../src/passes/rules/algebraicRules.js';
import { randomTensor } from '../helpers/tensors.js';
import { expectIR, expectSameNumbers, graphOf } from './helpers.js';

/** Rewrites with the rule table, then removes what the rewrite left unread; returns the graph and the rules that fired. */
function rewrite(g: fg.Graph): { out: fg.Graph; fired: string[] } {
  const fired: string[] = [];
  const out = dce(applyRules(g, algebraicRules, (name) => fired.push(name)));
  return { out, fired };
}

interface Case {
  readonly rule: string;
  readonly before: string[];
  /** The body after the rewrite (header and closing brace as in `before`). */
  readonly after: string[];
  readonly inputs: () => fg.Tensor[];
}

const x3 = () => [randomTensor([3], 11)];
const int3 = () => [fg.tensor([4, -7, 0], { dtype: 'int32' })];

const cases: Case[] = [
  { rule: 'mul-one', before: ['%1: f64[] = constant[value=f64[] [1]]', '%2: f64[3] = mul %1, %x'], after: [], inputs: x3 },
  { rule: 'div-one', before: ['%1: f64[3] = constant[value=f64[3] [1, 1, 1]]', '%2: f64[3] = div %x, %1'], after: [], inputs: x3 },
  { rule: 'pow-one', before: ['%1: f64[] = constant[value=f64[] [1]]', '%2: f64[3] = pow %x, %1'], after: [], inputs: x3 },
  { rule: 'add-zero', before: ['%1: f64[] = constant[value=f64[] [0]]', '%2: f64[3] = add %1, %x'], after: [], inputs: x3 },
  { rule: 'sub-zero', before: ['%1: f64[] = constant[value=f64[] [0]]', '%2: f64[3] = sub %x, %1'], after: [], inputs: x3 },
  { rule: 'neg-neg', before: ['%1: f64[3] = neg %x', '%2: f64[3] = neg %1'], after: [], inputs: x3 },
  { rule: 'abs-abs', before: ['%1: f64[3] = abs %x', '%2: f64[3] = abs %1'], after: ['%1: f64[3] = abs %x'], inputs: x3 },
  { rule: 'relu-relu', before: ['%1: f64[3] = relu %x', '%2: f64[3] = relu %1'], after: ['%1: f64[3] = relu %x'], inputs: x3 },
  { rule: 'where-same', before: ['%1: bool[3] = gt %x, %x', '%2: f64[3] = where %1, %x, %x'], after: [], inputs: x3 },
  { rule: 'expand-identity', before: ['%2: f64[3] = expand[shape=[3]] %x'], after: [], inputs: x3 },
  { rule: 'cast-identity', before: ['%2: f64[3] = cast[dtype=float64] %x'], after: [], inputs: x3 },
  { rule: 'reshape-identity', before: ['%2: f64[3] = reshape[shape=[-1]] %x'], after: [], inputs: x3 },
  {
    rule: 'reshape-reshape',
    before: ['%1: f64[3,1] = reshape[shape=[3, 1]] %x', '%2: f64[1,3] = reshape[shape=[1, -1]] %1'],
    after: ['%2: f64[1,3] = reshape[shape=[1, -1]] %x'],
    inputs: x3,
  },
  { rule: 'mul-zero', before: ['%1: i32[] = constant[value=i32[] [0]]', '%2: i32[3] = mul %x, %1'], after: ['%2: i32[3] = constant[value=i32[3] [0, 0, 0]]'], inputs: int3 },
  { rule: 'sub-self', before: ['%2: i32[3] = sub %x, %x'], after: ['%2: i32[3] = constant[value=i32[3] [0, 0, 0]]'], inputs: int3 },
];

const header = (c: Case) => (c.inputs()[0].dtype === 'int32' ? 'graph g(%x: i32[3]) {' : 'graph g(%x: f64[3]) {');
const outputOf = (body: string[]) => (body.length > 0 ? body[body.length - 1].split(':')[0] : '%x');

describe('algebraic rules', () => {
  it.each(cases.map((c) => [c.rule, c] as const))('%s', (_name, c) => {
    const g = graphOf(header(c), ...c.before.map((l) => `  ${l}`), '  return %2', '}');
    const { out, fired } = rewrite(g);
    expect(fired).toEqual([c.rule]);
    expectIR(out, header(c), ...c.after.map((l) => `  ${l}`), `  return ${outputOf(c.after)}`, '}');
    expectSameNumbers(g, out, c.inputs());
  });

  it('composes permutes, and removes a permute pair that cancels', () => {
    const g = graphOf(
      'graph g(%x: f64[2,3,4]) {',
      '  %1: f64[3,4,2] = permute[dims=[1, 2, 0]] %x',
      '  %2: f64[4,3,2] = permute[dims=[1, 0, 2]] %1',
      '  %3: f64[2,3,4] = permute[dims=[2, 0, 1]] %1',
      '  %4: f64[2,3,4] = permute[dims=[0, 1, 2]] %x',
      '  return %2, %3, %4',
      '}',
    );
    const { out, fired } = rewrite(g);
    expect(fired).toEqual(['permute-permute', 'permute-permute', 'permute-identity']);
    expectIR(out, 'graph g(%x: f64[2,3,4]) {', '  %2: f64[4,3,2] = permute[dims=[2, 1, 0]] %x', '  return %2, %x, %x', '}');
    expectSameNumbers(g, out, [randomTensor([2, 3, 4], 3)]);
  });

  it('sees its own rewrites: −(−(−(−x))) becomes x in one sweep', () => {
    const g = fg.trace((x: fg.Tensor) => x.neg().neg().neg().neg(), [fg.spec([3], 'float64')]);
    const out = algebraic(g);
    expect(out.outputs[0]).toBe(out.inputs[0]);
  });

  it('does not fire where the result would change: broadcasts, captured ones, non-identity permutes', () => {
    const g = graphOf(
      'graph g(%x: f64[], %m: f64[3,3]) {',
      '  %1: f64[3] = constant[value=f64[3] [1, 1, 1]]',
      '  %2: f64[3] = mul %x, %1',
      '  %3: f64[3] = constant[value=f64[3] [1, 1, 1], captured=true]',
      '  %4: f64[3] = mul %2, %3',
      '  %5: f64[3,3] = permute[dims=[1, 0]] %m',
      '  %6: f64[3] = constant[value=f64[3] [1, 1, 2]]',
      '  %7: f64[3] = mul %4, %6',
      '  return %7, %5',
      '}',
    );
    expect(algebraic(g)).toBe(g);
  });

  it('keeps x·0 and x − x for floats, where NaN, ±Inf and −0 would be lost', () => {
    const g = graphOf(
      'graph g(%x: f64[4]) {',
      '  %1: f64[] = constant[value=f64[] [0]]',
      '  %2: f64[4] = mul %x, %1',
      '  %3: f64[4] = sub %x, %x',
      '  return %2, %3',
      '}',
    );
    expect(algebraic(g)).toBe(g);
    const [prod, diff] = g.run(fg.tensor([Infinity, NaN, -1, 2], { dtype: 'float64' }));
    expect(prod.toArray()).toEqual([NaN, NaN, -0, 0]);
    expect(diff.toArray()).toEqual([NaN, NaN, 0, 0]);
  });

  it('add-zero gives −0 where the graph gave +0 (the one exception, as in XLA)', () => {
    const g = graphOf('graph g(%x: f64[1]) {', '  %1: f64[] = constant[value=f64[] [0]]', '  %2: f64[1] = add %x, %1', '  return %2', '}');
    const x = fg.tensor([-0], { dtype: 'float64' });
    expect(Object.is(g.run(x)[0].toArray()[0], 0)).toBe(true);
    expect(Object.is(algebraic(g).run(x)[0].toArray()[0], -0)).toBe(true);
  });

  it('never rewrites random or side-effecting nodes', () => {
    const g = fg.trace((x: fg.Tensor) => fg.dropout(x, 0.5, true).mul(1), [fg.spec([4])]);
    const out = algebraic(g);
    expect(out.nodes.map((n) => n.op)).toContain('dropoutMask');
  });

  it('rule names are unique, and every rule is tested above', () => {
    const names = algebraicRules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const tested = new Set([...cases.map((c) => c.rule), 'permute-permute', 'permute-identity']);
    expect(names.filter((n) => !tested.has(n))).toEqual([]);
  });
});
