import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { cond, scan } from '../../src/control/index.js';
import { expectClose, expectThrows, randomTensor } from '../helpers/tensors.js';
import { expectAllClose, expectGraphMatchesEager, expectRoundTrip, f64, i32, s64, tapeGrads } from './helpers.js';

type T = fg.Tensor;

/** An RNN cell over the rows of xs: h ← tanh(w·h + x), y = sum(h); returns [final h, ys]. */
const rnn = (xs: T, w: T, h0: T): [T, T] => scan((h: T, x: T) => {
  const next = w.matmul(h).add(x).tanh();
  return [next, next.sum()];
}, h0, xs);
const rnnLoss = (xs: T, w: T, h0: T): T => {
  const [h, ys] = rnn(xs, w, h0);
  return ys.mul(ys).sum().add(h.sum());
};
const inputs = (seed: number, n = 4) => [randomTensor([n, 3], seed), randomTensor([3, 3], seed + 1, -0.8, 0.8), randomTensor([3], seed + 2)];

describe('scan, eager', () => {
  it('threads the carry and stacks the ys along dim 0', () => {
    const xs = f64([[1, 2], [3, 4], [5, 6]]);
    const [total, prefix] = scan((c: T, x: T) => [c.add(x), c.add(x)], fg.zeros([2], { dtype: 'float64' }), xs);
    expect(total.toArray()).toEqual([9, 12]);
    expect(prefix.toArray()).toEqual([[1, 2], [4, 6], [9, 12]]);
  });

  it('walks backwards with reverse (ys keep their positions) and takes pytrees', () => {
    const xs = { a: f64([1, 2, 3]), b: i32([10, 20, 30]) };
    const [c, ys] = scan((carry: { n: T; s: T }, x: { a: T; b: T }) => [{ n: carry.n.add(1), s: carry.s.add(x.a) }, [carry.s, x.b]], { n: i32(0), s: f64(0) }, xs, { reverse: true });
    expect([c.n.item(), c.s.item()]).toEqual([3, 6]);
    expect(ys[0].toArray()).toEqual([5, 3, 0]);
    expect(ys[1].toArray()).toEqual([10, 20, 30]);
  });

  it('returns init and empty ys for xs of length 0, as JAX does', () => {
    const h0 = f64([1, 2, 3]);
    const [h, ys] = rnn(fg.zeros([0, 3], { dtype: 'float64' }), fg.eye(3, { dtype: 'float64' }), h0);
    expect(h.toArray()).toEqual([1, 2, 3]);
    expect(ys.shape).toEqual([0]);
    expect(ys.dtype).toBe('float64');
  });

  it('is differentiated by the tape: finite differences in float64', () => {
    for (const seed of [1, 2]) fg.autograd.gradcheck(rnnLoss, inputs(seed));
    fg.autograd.gradcheck((xs: T, w: T, h0: T) => scan((h: T, x: T) => [h.mul(x).add(w.sum()), h.sin()], h0, xs, { reverse: true })[1], [randomTensor([3, 2], 5), randomTensor([2], 6), randomTensor([2], 7)]);
  });
});

describe('scan, traced', () => {
  const specs = [s64(['n', 3]), s64([3, 3]), s64([3])];

  it('becomes a scan node with a body subgraph that runs like eager, for any length', () => {
    const g = fg.trace(rnn, specs);
    const node = g.nodes.find((n) => n.op === 'scan')!;
    expect(node.attrs).toEqual({ numCarry: 1, numXs: 1, reverse: false });
    // the body closes over w: a captured constant operand after the carry and the xs
    expect(node.inputs.map((v) => v.name)).toEqual(['h0', 'xs', 'w']);
    expect(node.outputs.map((v) => v.type.shape)).toEqual([[3], ['n']]);
    const text = expectRoundTrip(g);
    expect(text).toContain('= scan[numCarry=1, numXs=1, reverse=false] %h0, %xs, %w {');
    for (const n of [5, 1, 0]) expectGraphMatchesEager(g, rnn, inputs(n + 3, n));
  });

  it('runs reverse scans, pytrees, int carries and a cond in the body like eager', () => {
    const f = (xs: T, w: T) =>
      scan(
        ([k, s]: T[], x: T) => {
          const next = cond(x.sum().gt(0), (a: T) => a.add(x.mul(w)), (a: T) => a.sub(1), s);
          return [[k.add(1), next], { k, s: next.sum() }];
        },
        [i32(0), fg.zeros([2], { dtype: 'float64' })],
        xs,
        { reverse: true },
      );
    const g = fg.trace(f, [s64(['n', 2]), s64([2])]);
    expectRoundTrip(g);
    for (const seed of [1, 2, 3]) expectGraphMatchesEager(g, f, [randomTensor([5, 2], seed), randomTensor([2], seed + 9)]);
    expectGraphMatchesEager(g, f, [fg.zeros([0, 2], { dtype: 'float64' }), f64([1, 2])]);
  });

  it('is differentiated by gradGraph (a reverse scan over saved carries) like the tape', () => {
    const g = fg.trace(rnnLoss, specs);
    const dg = fg.gradGraph(g);
    const scans = dg.nodes.filter((n) => n.op === 'scan');
    expect(scans.map((n) => n.attrs.reverse)).toEqual([false, false, true]);
    expectRoundTrip(dg);
    for (const n of [4, 1, 0]) {
      const xs = inputs(n + 20, n);
      const [loss, ...grads] = dg.run(...xs);
      expectClose(loss.item(), rnnLoss(...(xs as [T, T, T])).item(), 1e-12);
      expectAllClose(grads, tapeGrads(rnnLoss, xs), 1e-10);
    }
  });

  it('works with fg.grad inside jit, jit on tensors that require grad (finite differences), reverse and second order', () => {
    const gradJit = fg.jit(fg.grad(rnnLoss, { argnums: [0, 1, 2] }));
    const xs = inputs(30);
    expectAllClose(gradJit(...xs), tapeGrads(rnnLoss, xs), 1e-10);
    fg.autograd.gradcheck(fg.jit(rnnLoss), inputs(31, 3));
    const rev = (xs2: T, w: T, h0: T) => scan((h: T, x: T) => [h.mul(x).add(w.sum()), h.sin()], h0, xs2, { reverse: true })[1];
    fg.autograd.gradcheck(fg.jit(rev), [randomTensor([3, 2], 5), randomTensor([2], 6), randomTensor([2], 7)]);
    const cubic = (x: T) => scan((c: T, r: T) => [c.mul(r), c.sum()], x, fg.stack([x, x]))[0].sum();
    const x = f64([0.5, -1.5]);
    // cubic(x) = Σ x³: the Hessian is diag(6x)
    expectClose(fg.hessian(fg.jit(cubic))(x).toArray(), [[3, 0], [0, -9]], 1e-10);
    expectClose(fg.jit(fg.grad((v: T) => fg.grad(cubic)(v).sum()))(x).toArray(), [3, -9], 1e-10);
  });
});

describe('scan, nested', () => {
  /** Rows of a matrix scanned by an outer scan, their elements by an inner one, with a cond per element. */
  const nested = (m: T, w: T) =>
    scan(
      (acc: T, row: T) => {
        const [inner] = scan((c: T, v: T) => [cond(v.gt(0), (a: T) => a.mul(v).add(w), (a: T) => a.sub(v.mul(w)), c), v], acc, row);
        return [inner.tanh(), inner.sum()];
      },
      fg.zeros([], { dtype: 'float64' }),
      m,
    )[1].pow(2).sum();

  it('runs and differentiates scans within scans, with conds inside, like eager and finite differences', () => {
    const m = randomTensor([3, 4], 41);
    const w = f64(0.7);
    const g = fg.trace(nested, [s64([3, 4]), s64([])]);
    expectRoundTrip(g);
    expectGraphMatchesEager(g, nested, [m, w]);
    const dg = fg.gradGraph(g);
    expectRoundTrip(dg);
    expectAllClose(dg.run(m, w).slice(1), tapeGrads(nested, [m, w]), 1e-10);
    fg.autograd.gradcheck(fg.jit(nested), [m, w]);
  });
});

describe('scan, bad input', () => {
  const xs = f64([[1, 2], [3, 4]]);
  const ok = (c: T, x: T) => [c.add(x), x];
  it('names the argument and what was expected', () => {
    expectThrows(() => scan(null as never, f64([0, 0]), xs), fg.ValueError, /scan: argument 'fn' expected a function/);
    expectThrows(() => scan(ok, f64([0, 0]), []), fg.ValueError, /scan: argument 'xs' expected at least one tensor to scan over, got \[\]/);
    expectThrows(() => scan(ok, f64(0), f64(3)), fg.ShapeError, /scan: argument 'xs' expected shape \[length, \.\.\.\]/);
    expectThrows(() => scan(ok, f64([0, 0]), [xs, f64([1, 2, 3])]), fg.ShapeError, /scan: argument 'xs\[1\]' expected shape \[2, \.\.\.\] \(the length of xs\[0\]\), got \[3\]/);
    expectThrows(() => scan((c: T) => c, f64([0, 0]), xs), fg.ValueError, /scan: argument 'fn\(carry, x\)' expected a pair \[newCarry, y\]/);
    expectThrows(() => scan((c: T, x: T) => [c.sum(), x], f64([0, 0]), xs), fg.ShapeError, /scan: argument 'fn\(carry, x\)\[0\]' expected shape \[2\] \(as init\), got \[\]/);
    expectThrows(() => scan(ok, f64([0, 0]), xs, { reverse: 1 as never }), fg.ValueError, /scan: argument 'options\.reverse' expected a boolean/);
    let step = 0;
    expectThrows(() => scan((c: T, x: T) => [c, step++ === 0 ? x : x.sum()], f64([0, 0]), xs), fg.ShapeError, /scan: argument 'row 1: fn\(carry, x\)\[1\]' expected shape \[2\] \(as row 0: fn\(carry, x\)\[1\]\), got \[\]/);
  });

  it('checks the body of an empty scan, and at trace time', () => {
    expectThrows(() => scan((c: T, x: T) => [c.sum(), x], f64([0, 0]), fg.zeros([0, 2])), fg.ShapeError, /fn\(carry, x\)\[0\]' expected shape \[2\]/);
    expectThrows(() => fg.trace((v: T) => scan((c: T, x: T) => [fg.cast(c, 'float32'), x], f64([0, 0]), v), [s64([null, 2])]), fg.DTypeError, /scan: argument 'fn\(carry, x\)\[0\]' expected dtype float64 \(as init\), got float32/);
  });

  it('refuses reverse mode through a traced body that draws random numbers', () => {
    const f = (v: T) => scan((c: T, x: T) => [c.add(fg.dropout(x, 0.5, true)), c], fg.zeros([2], { dtype: 'float64' }), v)[0].sum();
    expect(() => fg.gradGraph(fg.trace(f, [s64([3, 2])]))).toThrow(/scan: reverse-mode differentiation of a traced scan whose body draws random numbers/);
  });

  it('is verified: attrs, subgraph count and the body signature', () => {
    const g = fg.trace((v: T) => scan(ok, f64([0, 0]), v), [s64([3, 2])]);
    fg.verifyGraph(g);
    const text = g.toString();
    expect(() => fg.parseGraph(text.replace('numXs=1', 'numXs=0'))).toThrow(/scan: argument 'numXs' expected an integer ≥ 1, got 0/);
    expect(() => fg.parseGraph(text.replace('reverse=false', 'reverse=3'))).toThrow(/scan: attribute reverse must be true or false/);
    expect(() => fg.parseGraph(text.replace('%v: f64[3,2]', '%v: f64[3,5]'))).toThrow(/scan: the body takes \(f64\[2\], f64\[2\]\), but is given \(f64\[2\], f64\[5\]\)/);
    const node = g.nodes.find((n) => n.op === 'scan')!;
    const twice = new fg.Node('scan', node.inputs, node.attrs, undefined, undefined, [], [node.subgraphs[0], node.subgraphs[0]]);
    twice.outputs = node.outputs.map((v) => new fg.Value(v.id, v.type, twice));
    expect(() => fg.verifyGraph(new fg.Graph('g', g.inputs, [...g.nodes.filter((n) => n !== node), twice], twice.outputs))).toThrow(/scan: expected 1 subgraph \(the body\), got 2/);
  });
});
