import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { cond } from '../../src/control/index.js';
import { expectClose, expectThrows, randomTensor } from '../helpers/tensors.js';
import { expectAllClose, expectGraphMatchesEager, expectRoundTrip, f64, s64, tapeGrads } from './helpers.js';

type T = fg.Tensor;

/** sum(x²·w) when sum(x) > 0, else sum(sin(x)) + w·0 (a piecewise function of x and w). */
const piecewise = (x: T, w: T): T => cond(x.sum().gt(0), (a: T) => a.mul(a).mul(w).sum(), (a: T) => a.sin().sum(), x);

describe('cond, eager', () => {
  it('calls the branch the predicate picks (bool, or numeric and non-zero)', () => {
    const x = f64([1, -2, 3]);
    expect(cond(fg.tensor(true), (a: T) => a.mul(2), (a: T) => a.neg(), x).toArray()).toEqual([2, -4, 6]);
    expect(cond(fg.tensor(false), (a: T) => a.mul(2), (a: T) => a.neg(), x).toArray()).toEqual([-1, 2, -3]);
    expect(cond(f64(0), (a: T) => a.mul(2), (a: T) => a.neg(), x).toArray()).toEqual([-1, 2, -3]);
    expect(cond(fg.tensor(-3, { dtype: 'int32' }), (a: T) => a.mul(2), (a: T) => a.neg(), x).toArray()).toEqual([2, -4, 6]);
  });

  it('passes several operands and returns arrays and objects of tensors', () => {
    const [a, b] = [f64([1, 2]), f64(10)];
    const out = cond(fg.tensor(true), (x: T, y: T) => [x.add(y), { s: x.sum() }], (x: T, y: T) => [x.sub(y), { s: y }], a, b);
    expect(out[0].toArray()).toEqual([11, 12]);
    expect(out[1].s.item()).toBe(3);
  });

  it('records the taken branch on the tape: backward and fg.grad match hand-derived gradients', () => {
    const x = f64([1, 2, -0.5]).requiresGrad_();
    const w = f64(3).requiresGrad_();
    piecewise(x, w).backward();
    // sum(x) > 0: d/dx = 2·x·w, d/dw = sum(x²)
    expectClose(x.grad!.toArray(), [6, 12, -3], 1e-12);
    expectClose(w.grad!.item(), 5.25, 1e-12);
    const gx = fg.grad((v: T) => piecewise(v, f64(3)))(f64([-1, 0.5, 0.2]));
    expectClose(gx.toArray(), [Math.cos(-1), Math.cos(0.5), Math.cos(0.2)], 1e-12);
  });

  it('has the gradients of finite differences in float64, on both sides', () => {
    for (const seed of [1, 2, 3, 4]) fg.autograd.gradcheck(piecewise, [randomTensor([4], seed), randomTensor([], seed + 10)]);
  });

  it('checks that the branch not taken returns the same types, as JAX does', () => {
    const x = f64([1, 2]);
    expectThrows(() => cond(fg.tensor(true), (a: T) => a, (a: T) => a.sum(), x), fg.ShapeError, /cond: argument 'falseFn\(\.\.\.operands\)' expected shape \[2\] \(as trueFn\(\.\.\.operands\)\), got \[\]/);
    expectThrows(() => cond(fg.tensor(false), (a: T) => fg.cast(a, 'float32'), (a: T) => a, x), fg.DTypeError, /cond: argument 'falseFn\(\.\.\.operands\)' expected dtype float32/);
    expectThrows(() => cond(fg.tensor(true), (a: T) => [a, a], (a: T) => a, x), fg.ValueError, /cond: argument 'falseFn\(\.\.\.operands\)' expected the structure of trueFn\(\.\.\.operands\), \[T, T\], got T/);
  });
});

describe('cond, traced', () => {
  const specs = [s64([3]), s64([])];

  it('becomes one cond node with two subgraphs that runs like eager for both predicates', () => {
    const g = fg.trace(piecewise, specs);
    const node = g.nodes.find((n) => n.op === 'cond')!;
    expect(node.subgraphs.map((s) => s.name)).toEqual(['cond_true', 'cond_false']);
    // The branch closes over w: it becomes an explicit operand (a capture) of the node.
    expect(node.inputs.map((v) => v.name ?? v.id)).toEqual([expect.anything(), 'x', 'w']);
    for (const s of node.subgraphs) expect(s.inputs.length).toBe(2);
    for (const x of [f64([1, 2, 3]), f64([-1, -2, 0.5])]) expectGraphMatchesEager(g, piecewise, [x, f64(2)]);
    const text = expectRoundTrip(g);
    expect(text).toMatch(/= cond %\d+, %x, %w \{.*\n\s+graph cond_true\(/);
  });

  it('captures through nested conds and keeps constants inside the branch', () => {
    const c = f64([1, 10, 100]);
    const f = (x: T, y: T) => cond(x.sum().gt(0), (a: T) => cond(y.gt(0), (b: T) => b.mul(y).add(c), (b: T) => b.sub(x), a), (a: T) => a.neg(), x);
    const g = fg.trace(f, specs);
    expectRoundTrip(g);
    for (const [x, y] of [[f64([1, 2, 3]), f64(2)], [f64([1, 2, 3]), f64(-2)], [f64([-1, -2, 0]), f64(1)]]) expectGraphMatchesEager(g, f, [x, y]);
    const inner = g.nodes.find((n) => n.op === 'cond')!.subgraphs[0].nodes.find((n) => n.op === 'cond')!;
    expect(inner.subgraphs[0].nodes.some((n) => n.op === 'constant')).toBe(true);
  });

  it('runs under jit, and compiled', () => {
    const jitted = fg.jit(piecewise);
    for (const x of [f64([1, 2, 3]), f64([-1, -2, 0.5])]) expectClose(jitted(x, f64(2)).item(), piecewise(x, f64(2)).item(), 1e-12);
    expect(jitted.traceCount).toBe(1);
    const exe = fg.compile(fg.trace(piecewise, specs));
    expectClose(exe.run(f64([-1, -2, 0.5]), f64(2))[0].item(), piecewise(f64([-1, -2, 0.5]), f64(2)).item(), 1e-12);
  });

  it('is differentiated by gradGraph (a cond of the branch VJPs) like the tape', () => {
    const g = fg.trace(piecewise, specs);
    const dg = fg.gradGraph(g);
    const conds = dg.nodes.filter((n) => n.op === 'cond');
    expect(conds.length).toBe(2);
    // the VJP branches replay only the forward values the VJP reads: sin(x) and its sum are pruned
    expect(conds[1].subgraphs[1].nodes.map((n) => n.op)).not.toContain('sin');
    expect(conds[1].subgraphs[1].nodes.map((n) => n.op)).not.toContain('sum');
    expectRoundTrip(dg);
    for (const seed of [5, 6, 7]) {
      const [x, w] = [randomTensor([3], seed), randomTensor([], seed + 1)];
      const [y, gx, gw] = dg.run(x, w);
      expectClose(y.item(), piecewise(x, w).item(), 1e-12);
      expectAllClose([gx, gw], tapeGrads(piecewise, [x, w]), 1e-12);
    }
  });

  it('works with fg.grad inside jit, jit on tensors that require grad, and second order', () => {
    const gradJit = fg.jit(fg.grad(piecewise, { argnums: [0, 1] }));
    for (const seed of [8, 9]) {
      const [x, w] = [randomTensor([3], seed), randomTensor([], seed + 1)];
      expectAllClose(gradJit(x, w), tapeGrads(piecewise, [x, w]), 1e-12);
    }
    const jitted = fg.jit(piecewise);
    for (const seed of [11, 12, 13]) fg.autograd.gradcheck(jitted, [randomTensor([3], seed), randomTensor([], seed)]);
    const scalar = (x: T) => cond(x.gt(0), (a: T) => a.pow(3), (a: T) => a.sin(), x);
    for (const v of [1.5, -0.7]) {
      expectClose(fg.jit(fg.grad(fg.grad(scalar)))(f64(v)).item(), v > 0 ? 6 * v : -Math.sin(v), 1e-10);
      expectClose(fg.hessian(fg.jit(scalar))(f64(v)).item(), v > 0 ? 6 * v : -Math.sin(v), 1e-10);
    }
  });

  it('lets gradients reach concrete tensors that require grad, captured by a branch', () => {
    const w = f64([1, 2, 3]).requiresGrad_();
    const g = fg.trace((x: T) => {
      const loss = cond(x.sum().gt(0), (a: T) => a.mul(w).sum(), (a: T) => a.sum(), x);
      return fg.autograd.grad(loss, [w])[0];
    }, [s64([3])]);
    // w is an operand of the cond node (a constant of the outer graph), not a constant inside the branch.
    const node = g.nodes.find((n) => n.op === 'cond' && n.inputs.length === 3)!;
    expect(node.inputs[2].producer?.op).toBe('constant');
    expectRoundTrip(g);
    expectClose(g.run(f64([1, 4, 2]))[0].toArray(), [1, 4, 2], 1e-12);
    expectClose(g.run(f64([-1, -4, 2]))[0].toArray(), [0, 0, 0], 1e-12);
  });
});

describe('cond, bad input', () => {
  const x = f64([1, 2]);
  it('names the argument and what was expected', () => {
    expectThrows(() => cond(x.sum().gt(0), 3 as never, (a: T) => a, x), fg.ValueError, /cond: argument 'trueFn' expected a function, got 3/);
    expectThrows(() => cond(x.gt(0), (a: T) => a, (a: T) => a, x), fg.ShapeError, /cond: argument 'pred' expected shape \[\] \(a scalar.*got \[2\]/);
    expectThrows(() => cond(true as never, (a: T) => a, (a: T) => a, x), fg.ValueError, /cond: argument 'pred' expected a scalar Tensor/);
    expectThrows(() => cond(fg.tensor(true), (a: T) => a, (a: T) => a, x, 3), fg.ValueError, /cond: argument 'operands\[1\]' expected a Tensor/);
    expectThrows(() => cond(fg.tensor(true), () => 1, () => 1), fg.ValueError, /cond: argument 'trueFn\(\.\.\.operands\)' expected a Tensor/);
  });

  it('rejects branches of different types at trace time, naming cond and the mismatch', () => {
    const f = (p: T, a: T) => cond(p, (b: T) => b.mul(2), (b: T) => b.sum(), a);
    expectThrows(() => fg.trace(f, [fg.spec([], 'bool'), s64([2])]), fg.ShapeError, /cond: argument 'falseFn\(\.\.\.operands\)' expected shape \[2\]/);
    expectThrows(() => fg.trace((p: T, a: T) => cond(p, (b: T) => b, (b: T) => b, a), [fg.spec([2], 'bool'), s64([2])]), fg.ShapeError, /cond: argument 'pred'/);
  });

  it('refuses forward mode through a traced cond (eager forward mode works)', () => {
    const f = (v: T) => cond(v.sum().gt(0), (a: T) => a.mul(a), (a: T) => a, v);
    const [, t] = fg.jvp(f, [f64([1, 2])], [f64([1, 1])]);
    expect(t.toArray()).toEqual([2, 4]);
    expect(() => fg.trace((v: T) => fg.jvp(f, [v], [fg.onesLike(v)])[1], [s64([2])])).toThrow(/cond: forward-mode differentiation \(fg\.jvp\) through a traced cond is not supported/);
  });

  it('refuses reverse mode through a traced branch that draws random numbers (its VJP recomputes the branch)', () => {
    const f = (x: T) => cond(x.sum().gt(0), (a: T) => fg.dropout(a, 0.5, true).sum(), (a: T) => a.sum(), x);
    expect(() => fg.gradGraph(fg.trace(f, [s64([4])]))).toThrow(/cond: reverse-mode differentiation of a traced cond whose body draws random numbers/);
    fg.manualSeed(3);
    const x = f64([1, 2, 3, 4]).requiresGrad_();
    f(x).backward();
    expect(x.grad!.toArray().every((v: number) => v === 0 || v === 2)).toBe(true);
  });

  it('reports a branch tracer kept after its trace', () => {
    let leaked: T | null = null;
    fg.trace((a: T) => cond(fg.tensor(true), (b: T) => (leaked = b.exp()), (b: T) => b, a), [s64([2])]);
    expect(() => leaked!.add(1)).toThrow(fg.TraceError);
  });
});

describe('cond, verifier', () => {
  const branch = (name: string, op: 'neg' | 'sum') => {
    const b = new fg.GraphBuilder(name);
    const a = b.addInput({ shape: [2], dtype: 'float64' });
    return b.build(b.addOp(op, [a], op === 'sum' ? { axes: [0], keepDim: false } : {}).outputs);
  };
  const build = (subgraphs: fg.Graph[], predShape: number[] = []) => {
    const b = new fg.GraphBuilder('g');
    const p = b.addInput({ shape: predShape, dtype: 'bool' }, 'p');
    const x = b.addInput({ shape: [2], dtype: 'float64' }, 'x');
    const node = new fg.Node('cond', [p, x], {}, undefined, undefined, [], subgraphs);
    node.outputs = [new fg.Value(2, { shape: [2], dtype: 'float64' }, node)];
    return new fg.Graph('g', [p, x], [node], node.outputs);
  };

  it('accepts a well-formed cond and rejects the wrong arity, a non-scalar pred and branch types that differ', () => {
    fg.verifyGraph(build([branch('t', 'neg'), branch('f', 'neg')]));
    expect(() => fg.verifyGraph(build([branch('t', 'neg')]))).toThrow(/invalid cond node: cond: expected 2 subgraphs \(the true and the false branch\), got 1/);
    expect(() => fg.verifyGraph(build([branch('t', 'neg'), branch('f', 'sum')]))).toThrow(/cond: the false branch returns \(f64\[\]\), expected \(f64\[2\]\)/);
    expect(() => fg.verifyGraph(build([branch('t', 'neg'), branch('f', 'neg')], [2]))).toThrow(/cond: argument 'pred' expected shape \[\]/);
    expect(() => fg.parseGraph('graph g(%p: bool[], %x: f64[2]) {\n  %2: f64[2] = cond %p, %x {\n    graph t(%0: f64[3]) {\n      return %0\n    }\n    graph f(%0: f64[2]) {\n      return %0\n    }\n  }\n  return %2\n}')).toThrow(
      /cond: the true branch takes \(f64\[3\]\), but is given \(f64\[2\]\) \(the operands\)/,
    );
  });
});
