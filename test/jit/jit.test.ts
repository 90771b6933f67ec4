import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectClose, expectFlowgradError, randomTensor } from '../helpers/tensors.js';

const f64 = (d: fg.NestedArray) => fg.tensor(d, { dtype: 'float64' });
const classic = (x1: fg.Tensor, x2: fg.Tensor) => x1.log().add(x1.mul(x2)).sub(x2.sin());

describe('trace', () => {
  it('builds a graph once and runs it many times', () => {
    const g = fg.trace((x: fg.Tensor, w: fg.Tensor) => x.matmul(w).relu().sum(1), [fg.spec([null, 4]), fg.spec([4, 3])]);
    expect(g.nodes.map((n) => n.op)).toEqual(['matmul', 'relu', 'sum']);
    for (const batch of [1, 7]) {
      const x = fg.randn([batch, 4]);
      const w = fg.randn([4, 3]);
      const [y] = g.run(x, w);
      expectClose(y.toArray(), x.matmul(w).relu().sum(1).toArray(), 1e-6);
    }
  });

  it('records the user source line on each node', () => {
    const g = fg.trace((x: fg.Tensor) => x.exp(), [fg.spec([2])]);
    expect(g.nodes[0].source).toMatch(/test\/jit\/jit\.test\.ts:\d+/);
  });

  it('refuses to branch on a traced value, naming the line and the alternatives', () => {
    const f = (x: fg.Tensor) => (x.sum().item() > 0 ? x : x.neg());
    expect(() => fg.trace(f, [fg.spec([3])])).toThrow(fg.TraceError);
    expect(() => fg.trace(f, [fg.spec([3])])).toThrow(/cond.*whileLoop.*source/s);
    expect(() => fg.trace((x: fg.Tensor) => fg.tensor(+x), [fg.spec([1])])).toThrow(/valueOf/);
  });

  it('reports a traced value that escaped its trace', () => {
    let leaked: fg.Tensor | null = null;
    fg.trace((x: fg.Tensor) => (leaked = x.exp()), [fg.spec([2])]);
    expect(() => leaked!.add(1)).toThrow(/after its trace ended/);
  });

  it('captures concrete tensors as constants', () => {
    const w = f64([1, 2, 3]);
    const g = fg.trace((x: fg.Tensor) => x.mul(w), [fg.spec([3], 'float64')]);
    expect(g.nodes[0].op).toBe('constant');
    expectClose(g.run(f64([1, 1, 1]))[0].toArray(), [1, 2, 3]);
  });

  it('rejects bad specs', () => {
    expect(() => fg.spec([2, -1])).toThrow(/spec: argument 'shape\[1\]'/);
    expect(() => fg.spec([2], 'float16' as never)).toThrow(fg.ValueError);
    expect(() => fg.trace(42 as never, [])).toThrow(/trace: argument 'f' expected a function/);
  });
});

describe('jit', () => {
  it('gives the same numbers as the plain function and caches by signature', () => {
    const f = (a: fg.Tensor, b: fg.Tensor) => a.mul(b).add(a.exp()).sum(0);
    const jf = fg.jit(f);
    const a = randomTensor([3, 2], 1);
    const b = randomTensor([3, 2], 2);
    expectClose(jf(a, b).toArray(), f(a, b).toArray(), 1e-12);
    jf(randomTensor([3, 2], 3), b);
    expect(jf.traceCount).toBe(1);
    jf(randomTensor([5, 2], 3), randomTensor([5, 2], 4));
    expect(jf.traceCount).toBe(2);
    expect(jf.explain()).toMatch(/argument 0 changed from tensor float64\[3,2\]@cpu to tensor float64\[5,2\]@cpu/);
  });

  it('specialises on static arguments and handles pytrees', () => {
    const f = (p: { w: fg.Tensor; b: fg.Tensor }, x: fg.Tensor, scale: number) => ({ y: x.matmul(p.w).add(p.b).mul(scale), n: [x.sum()] });
    const jf = fg.jit(f);
    const p = { w: randomTensor([2, 3], 5), b: randomTensor([3], 6) };
    const x = randomTensor([4, 2], 7);
    const out = jf(p, x, 2);
    expectClose(out.y.toArray(), f(p, x, 2).y.toArray(), 1e-12);
    expectClose(out.n[0].item(), x.sum().item(), 1e-12);
    jf(p, x, 3);
    expect(jf.traceCount).toBe(2);
    expect(jf.explain()).toMatch(/argument 2 changed from 2 to 3/);
    expect(jf.graphFor(p, x, 2).nodes.some((n) => n.op === 'matmul')).toBe(true);
  });

  it('draws fresh random values on every run, reproducibly after manualSeed', () => {
    const jf = fg.jit((x: fg.Tensor) => x.add(fg.rand([3])));
    const x = fg.zeros([3]);
    fg.manualSeed(1);
    const a = jf(x).toArray();
    const b = jf(x).toArray();
    expect(a).not.toEqual(b);
    fg.manualSeed(1);
    expect(jf(x).toArray()).toEqual(a);
  });

  it('records one tape node so backward flows through it', () => {
    const x1 = f64(2).requiresGrad_();
    const x2 = f64(5).requiresGrad_();
    const y = fg.jit(classic)(x1, x2);
    expect(y.gradFn?.name).toBe('JitBackward');
    expectClose(y.item(), 11.652071455223084, 1e-12);
    y.backward();
    expectClose(x1.grad!.item(), 5.5, 1e-12);
    expectClose(x2.grad!.item(), 1.7163378145367738, 1e-12);
  });
});

describe('functional transforms compose with jit', () => {
  const x1 = () => f64(2);
  const x2 = () => f64(5);
  const expected = [5.5, 1.7163378145367738];
  const check = (gs: fg.Tensor[]) => gs.forEach((g, i) => expectClose(g.item(), expected[i], 1e-12));

  it('grad, jit(grad), grad(jit) and the tape agree on the classic example', () => {
    check(fg.grad(classic, { argnums: [0, 1] })(x1(), x2()));
    check(fg.jit(fg.grad(classic, { argnums: [0, 1] }))(x1(), x2()));
    check(fg.grad(fg.jit(classic), { argnums: [0, 1] })(x1(), x2()));
    const [v, gs] = fg.valueAndGrad(classic, { argnums: [0, 1] })(x1(), x2());
    expectClose(v.item(), 11.652071455223084, 1e-12);
    check(gs as fg.Tensor[]);
  });

  it('grad(grad(f)) and jit of it give second derivatives', () => {
    const cube = (x: fg.Tensor) => x.pow(3).sum();
    const d2 = fg.grad((x: fg.Tensor) => fg.grad(cube)(x).sum());
    expectClose(d2(f64([2, -1])).toArray(), [12, -6], 1e-12);
    expectClose(fg.jit(d2)(f64([2, -1])).toArray(), [12, -6], 1e-12);
    expectClose(fg.grad((x: fg.Tensor) => fg.grad(fg.jit(cube))(x).sum())(f64([2, -1])).toArray(), [12, -6], 1e-12);
  });

  it('hessian of sum(x^3) is diag(6x)', () => {
    const h = fg.hessian((x: fg.Tensor) => x.pow(3).sum())(f64([1, 2, 3]));
    expectClose(h.toArray(), [[6, 0, 0], [0, 12, 0], [0, 0, 18]], 1e-12);
  });

  it('vjp gives the pullback', () => {
    const [out, pull] = fg.vjp((x: fg.Tensor) => x.mul(x), f64([1, 2]));
    expectClose(out.toArray(), [1, 4]);
    expectClose(pull(f64([1, 10]))[0].toArray(), [2, 40]);
  });

  it('an MLP gradient agrees between tape, grad, jit(grad) and grad(jit)', () => {
    const mlp = (w1: fg.Tensor, w2: fg.Tensor, x: fg.Tensor) => x.matmul(w1).tanh().matmul(w2).pow(2).mean();
    const w1 = randomTensor([4, 5], 11);
    const w2 = randomTensor([5, 2], 12);
    const x = randomTensor([3, 4], 13);
    const a = w1.detach().requiresGrad_();
    const b = w2.detach().requiresGrad_();
    mlp(a, b, x).backward();
    for (const h of [fg.grad(mlp, { argnums: [0, 1] }), fg.jit(fg.grad(mlp, { argnums: [0, 1] })), fg.grad(fg.jit(mlp), { argnums: [0, 1] })]) {
      const [g1, g2] = h(w1, w2, x) as fg.Tensor[];
      expectClose(g1.toArray(), a.grad!.toArray(), 1e-10);
      expectClose(g2.toArray(), b.grad!.toArray(), 1e-10);
    }
  });

  it('rejects bad arguments', () => {
    expect(() => fg.grad((x: fg.Tensor) => x)(f64([1, 2]))).toThrow(/grad: argument 'f' expected a function returning a one-element tensor/);
    expect(() => fg.grad((x: fg.Tensor) => x.sum(), { argnums: 3 })(f64([1]))).toThrow(/argnums/);
    expect(() => fg.grad((x: fg.Tensor) => x.sum())(fg.tensor([1], { dtype: 'int32' }))).toThrow(/float32 or float64/);
  });
});

describe('jit on the tape, edge cases', () => {
  it('an output that is an input or a captured constant keeps that tensor untouched', () => {
    const c = fg.tensor([1, 2], { dtype: 'float64' });
    const x = fg.tensor([3, 4], { dtype: 'float64' }).requiresGrad_();
    const [same, constant, y] = fg.jit((a: fg.Tensor) => [a, c, a.mul(2)])(x);
    expect(x.isLeaf).toBe(true);
    expect(c.gradFn).toBe(null);
    expect(same.gradFn?.name).toBe('JitBackward');
    same.sum().add(y.sum()).add(constant.sum()).backward();
    expectClose(x.grad!.toArray(), [3, 3], 1e-12);
  });
});

describe('captured tensors', () => {
  it('ops on a captured tensor run every call, so in-place updates between calls are seen', () => {
    const w = f64([1, 2, 3]);
    const f = fg.jit((x: fg.Tensor) => x.mul(w.mul(2)).add(w.square().sum()));
    const x = f64([1, 1, 1]);
    expect(f(x).toArray()).toEqual([16, 18, 20]);
    fg.noGrad(() => w.mul_(2));
    expect(f(x).toArray()).toEqual([60, 64, 68]);
    expect(f.traceCount).toBe(1);
  });
});

describe('jit with graph passes', () => {
  it('optimizes each traced graph when asked, with the same results, forward and backward', () => {
    const f = (x: fg.Tensor, w: fg.Tensor) => x.mul(w).add(x.mul(w)).exp().mul(2).add(1).sum();
    const plain = fg.jit(f);
    const optimized = fg.jit(f, { passes: true });
    const x = f64([0.1, 0.2, 0.3]);
    const w = f64([1, -1, 2]);
    expect(optimized(x, w).item()).toBe(plain(x, w).item());
    const g = optimized.graphFor(x, w);
    expect(g.nodes.filter((n) => n.op === 'mul').length).toBeLessThan(plain.graphFor(x, w).nodes.filter((n) => n.op === 'mul').length);
    expect(g.nodes.some((n) => n.op === 'fused')).toBe(true);
    const wa = w.detach().requiresGrad_();
    const wb = w.detach().requiresGrad_();
    optimized(x, wa).backward();
    plain(x, wb).backward();
    expect(wa.grad!.toArray()).toEqual(wb.grad!.toArray());
    expect(fg.jit(f, { passes: ['cse'] }).graphFor(x, w).nodes.some((n) => n.op === 'fused')).toBe(false);
    expectFlowgradError(() => fg.jit(f, { passes: ['nope'] }), /jit: unknown pass "nope"; available: /);
    expectFlowgradError(() => fg.jit(f, { passes: 'cse' as never }), /jit: argument 'passes' expected an array of pass names/);
  });
});

describe('jit modes', () => {
  it("'auto' traces a function with no control flow to convert; unknown modes are rejected (source mode: source.test.ts)", () => {
    const f = (x: fg.Tensor) => x.exp();
    const auto = fg.jit(f, { mode: 'auto' });
    expectClose(auto(f64([0, 1])).toArray(), [1, Math.E], 1e-12);
    expect(auto.explain()).toMatch(/mode auto → trace \(no if, while or \?: to convert\)/);
    expect(() => fg.jit(f, { mode: 'fast' as never })).toThrow(/jit: argument 'mode' expected 'trace', 'source' or 'auto', got "fast"/);
  });
});

describe('jit with an integer output before a floating one', () => {
  it('routes the gradient to the right output', () => {
    const x = fg.tensor([1, 3, 2], { dtype: 'float64' }).requiresGrad_();
    const [index, y] = fg.jit((a: fg.Tensor) => [a.argmax(), a.mul(a)])(x);
    expect(index.requiresGrad).toBe(false);
    y.sum().backward();
    expectClose(x.grad!.toArray(), [2, 6, 4], 1e-12);
  });
});
