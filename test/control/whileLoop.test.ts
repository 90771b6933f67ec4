import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { cond, whileLoop } from '../../src/control/index.js';
import { expectClose, expectThrows } from '../helpers/tensors.js';
import { expectGraphMatchesEager, expectRoundTrip, f64, i32, s64 } from './helpers.js';

type T = fg.Tensor;

/** Doubles x until its sum exceeds limit; returns [steps, x]. */
const doubleUntil = (x: T, limit: T) =>
  whileLoop(
    ([, v]: T[]) => v.sum().le(limit),
    ([k, v]: T[]) => [k.add(1), v.mul(2)],
    [fg.tensor(0, { dtype: 'int32' }), x],
  );

describe('whileLoop, eager', () => {
  it('loops while the predicate holds, over arrays, objects or a single tensor', () => {
    const [k, x] = doubleUntil(f64([1, 2]), f64(20));
    expect([k.item(), x.toArray()]).toEqual([3, [8, 16]]);
    const out = whileLoop((c: { i: T; s: T }) => c.i.lt(4), (c: { i: T; s: T }) => ({ i: c.i.add(1), s: c.s.add(c.i) }), { i: i32(0), s: i32(0) });
    expect([out.i.item(), out.s.item()]).toEqual([4, 6]);
    expect(whileLoop((v: T) => v.lt(100), (v: T) => v.mul(3), f64(1)).item()).toBe(243);
  });

  it('returns the initial carry when the predicate is false at once', () => {
    const init = [i32(5), f64([1])];
    const out = whileLoop(([i]: T[]) => i.lt(0), ([i, v]: T[]) => [i.add(1), v], init);
    expect(out[0].item()).toBe(5);
  });

  it('is differentiated by the tape, which records every iteration', () => {
    const x = f64([1, 2]).requiresGrad_();
    const [, y] = doubleUntil(x, f64(20));
    y.mul(y).sum().backward();
    // y = 8x, so d sum(y²)/dx = 2·64·x
    expectClose(x.grad!.toArray(), [128, 256], 1e-12);
    const f = (v: T) => whileLoop(([i]: T[]) => i.lt(3), ([i, a]: T[]) => [i.add(1), a.sin().mul(v)], [i32(0), v])[1].sum();
    fg.autograd.gradcheck(f, [f64([0.3, -1.2, 0.8])]);
  });

  it('checks the body keeps the carry types, even when it never runs', () => {
    const bad = (stop: number) => () => whileLoop(([i]: T[]) => i.lt(stop), ([i, v]: T[]) => [i.add(1), v.sum()], [i32(0), f64([1, 2])]);
    expectThrows(bad(2), fg.ShapeError, /whileLoop: argument 'bodyFn\(carry\)\[1\]' expected shape \[2\] \(as initVals\[1\]\), got \[\]/);
    expectThrows(bad(0), fg.ShapeError, /whileLoop: argument 'bodyFn\(carry\)\[1\]' expected shape \[2\]/);
  });
});

describe('whileLoop, traced', () => {
  it('becomes a whileLoop node with a cond and a body subgraph that runs like eager', () => {
    const g = fg.trace(doubleUntil, [s64([2]), s64([])]);
    const node = g.nodes.find((n) => n.op === 'whileLoop')!;
    expect(node.subgraphs.map((s) => s.name)).toEqual(['whileLoop_cond', 'whileLoop_body']);
    // the cond closes over limit: a captured operand after the carry, taken by both subgraphs
    expect(node.inputs.length).toBe(3);
    expect(node.inputs[2].name).toBe('limit');
    expectRoundTrip(g);
    for (const limit of [0, 5, 100]) expectGraphMatchesEager(g, doubleUntil, [f64([1, 2]), f64(limit)]);
  });

  it('runs with symbolic dims, under jit, and with a cond inside its body', () => {
    const f = (x: T, k: T) => whileLoop(([i]: T[]) => i.lt(k), ([i, v]: T[]) => [i.add(1), cond(v.sum().gt(10), (a: T) => a.sub(3), (a: T) => a.mul(2), v)], [i32(0), x]);
    const g = fg.trace(f, [s64(['n']), fg.spec([], 'int32')]);
    expectRoundTrip(g);
    for (const [x, k] of [[f64([1, 2, 3]), i32(6)], [f64([0.5]), i32(0)], [f64([4, 4, 4, 4]), i32(3)]]) expectGraphMatchesEager(g, f, [x, k]);
    const jitted = fg.jit(f);
    expectClose(jitted(f64([1, 2]), i32(5))[1].toArray(), f(f64([1, 2]), i32(5))[1].toArray(), 1e-12);
  });

  it('refuses reverse mode under trace with an error naming whileLoop and suggesting scan', () => {
    const loss = (x: T) => doubleUntil(x, f64(20))[1].sum();
    expectThrows(() => fg.jit(fg.grad(loss))(f64([1, 2])), fg.FlowgradError, /whileLoop: reverse-mode differentiation .* not supported.*fg\.scan/);
    expectThrows(() => fg.gradGraph(fg.trace(loss, [s64([2])])), fg.FlowgradError, /whileLoop: reverse-mode/);
    // jit on tensors that require grad replays the graph op by op on the tape instead (a graph break)
    const jitted = fg.jit(loss);
    const x = f64([1, 2]).requiresGrad_();
    const y = jitted(x);
    expect(y.item()).toBe(24);
    y.backward();
    expectClose(x.grad!.toArray(), [8, 8], 1e-12);
    expect(jitted.explain()).toMatch(/runs on the tape .*whileLoop: reverse-mode/);
    expect(fg.noGrad(() => jitted(f64([1, 2]).requiresGrad_())).item()).toBe(24);
    // eager reverse mode is fine
    expectClose(fg.grad(loss)(f64([1, 2])).toArray(), [8, 8], 1e-12);
  });
});

describe('whileLoop, bad input', () => {
  it('names the function, the carry leaf and what was expected', () => {
    expectThrows(() => whileLoop(3 as never, (c: T) => c, f64(1)), fg.ValueError, /whileLoop: argument 'condFn' expected a function/);
    expectThrows(() => whileLoop((c: T) => c.lt(2), null as never, f64(1)), fg.ValueError, /whileLoop: argument 'bodyFn' expected a function/);
    expectThrows(() => whileLoop((c: T) => c, (c: T) => c, f64(1)), fg.DTypeError, /whileLoop: argument 'condFn\(carry\)' expected dtype bool/);
    expectThrows(() => whileLoop((c: T) => c.lt(2), (c: T) => c, f64([1, 2])), fg.ShapeError, /whileLoop: argument 'condFn\(carry\)' expected shape \[\]/);
    expectThrows(() => whileLoop((c: T) => c.lt(2), (c: T) => fg.cast(c.add(1), 'float32'), f64(1)), fg.DTypeError, /whileLoop: argument 'bodyFn\(carry\)' expected dtype float64 \(as initVals\), got float32/);
    expectThrows(() => whileLoop(([c]: T[]) => c.lt(2), ([c]: T[]) => c.add(1), [f64(1)]), fg.ValueError, /expected the structure of initVals, \[T\], got T/);
    expectThrows(() => whileLoop((c: T) => c.lt(2), (c: T) => c, [3]), fg.ValueError, /whileLoop: argument 'initVals\[0\]' expected a Tensor/);
  });

  it('checks the same at trace time', () => {
    const f = (x: T) => whileLoop((c: T) => c.sum().lt(2), (c: T) => c.sum(), x);
    expectThrows(() => fg.trace(f, [s64([3])]), fg.ShapeError, /whileLoop: argument 'bodyFn\(carry\)' expected shape \[3\] \(as initVals\), got \[\]/);
    expectThrows(() => fg.trace((x: T) => whileLoop((c: T) => c.sum(), (c: T) => c, x), [s64([3])]), fg.DTypeError, /condFn\(carry\)' expected dtype bool/);
  });

  it('is verified: subgraph count, a bool scalar cond and a body that keeps the carry types', () => {
    const sub = (name: string, out: 'same' | 'f64' | 'bool') => {
      const b = new fg.GraphBuilder(name);
      const v = b.addInput({ shape: [], dtype: 'float64' });
      if (out === 'same') return b.build([b.addOp('neg', [v]).outputs[0]]);
      if (out === 'bool') return b.build([b.addOp('gt', [v, v]).outputs[0]]);
      return b.build([v]);
    };
    const graph = (subgraphs: fg.Graph[]) => {
      const b = new fg.GraphBuilder('g');
      const x = b.addInput({ shape: [], dtype: 'float64' }, 'x');
      const node = new fg.Node('whileLoop', [x], {}, undefined, undefined, [], subgraphs);
      node.outputs = [new fg.Value(1, { shape: [], dtype: 'float64' }, node)];
      return new fg.Graph('g', [x], [node], node.outputs);
    };
    fg.verifyGraph(graph([sub('c', 'bool'), sub('b', 'same')]));
    expect(() => fg.verifyGraph(graph([sub('b', 'same')]))).toThrow(/invalid whileLoop node: whileLoop: expected 2 subgraphs \(a cond and a body\), got 1/);
    expect(() => fg.verifyGraph(graph([sub('c', 'f64'), sub('b', 'same')]))).toThrow(/whileLoop: the cond subgraph returns \(f64\[\]\), expected \(bool\[\]\) \(one bool scalar\)/);
    expect(() => fg.verifyGraph(graph([sub('c', 'bool'), sub('b', 'bool')]))).toThrow(/whileLoop: the body returns \(bool\[\]\), expected \(f64\[\]\)/);
  });
});

describe('whileLoop in the executor: memory', () => {
  it('reuses the buffers of replaced carries, so a long loop allocates a handful of buffers', () => {
    const g = fg.trace((x: fg.Tensor) => fg.whileLoop(([i]: fg.Tensor[]) => i.lt(2000), ([i, y]: fg.Tensor[]) => [i.add(1), y.mul(0.999).add(0.001)], [fg.zeros([]), x]), [fg.spec([64])]);
    const exe = fg.compile(g);
    const x = fg.ones([64]);
    const [i, y] = exe.run(x);
    expect(i.item()).toBe(2000);
    expect(y.toArray()[0]).toBeCloseTo(1, 5);
    expect(exe.stats.buffersAllocated).toBeLessThan(20);
    // Live bytes never hold more than a few iterations' carries (64 float32 each).
    expect(exe.stats.peakBytes).toBeLessThan(20 * 64 * 4);
    // The eager loop agrees.
    const [ei, ey] = fg.whileLoop(([a]: fg.Tensor[]) => a.lt(2000), ([a, b]: fg.Tensor[]) => [a.add(1), b.mul(0.999).add(0.001)], [fg.zeros([]), x]) as fg.Tensor[];
    expect(ei.item()).toBe(2000);
    expect(y.toArray()).toEqual(ey.toArray());
  });
});
