/**
 * @file jit's source mode: `if`, `while` and `?:` on traced tensors become fg.cond and
 * fg.whileLoop, so one graph serves inputs that take different paths (plain tracing bakes
 * in the path of the first call). JS conditions still run as JS (unrolled by tracing).
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { expectFlowgradError, expectThrows } from '../helpers/tensors.js';

// A local alias: test files are transformed, and the rebuilt function sees only what `scope` gives it.
const F = fg;
const f64 = (v: number[]) => fg.tensor(v, { dtype: 'float64' });

function branchy(x: fg.Tensor, y: fg.Tensor): fg.Tensor {
  let s;
  if (x.sum().item() > y.sum().item()) {
    s = x.add(y);
  } else {
    s = y.mul(2);
  }
  return s;
}

describe('source mode: if', () => {
  it('one graph takes either branch, as eager JS does', () => {
    const jitted = fg.jit(branchy, { mode: 'source' });
    for (const [x, y] of [[f64([3, 4]), f64([1, 1])], [f64([0, 1]), f64([5, 6])]]) {
      const eager = x.sum().item() > y.sum().item() ? x.add(y) : y.mul(2);
      expect(jitted(x, y).toArray()).toEqual(eager.toArray());
    }
    expect(jitted.traceCount).toBe(1);
    expect(jitted.explain()).toMatch(/mode source → source/);
    expect(jitted.explain()).toMatch(/converted if at line \d+ \(carries s\)/);
    expect(jitted.graphFor(f64([1, 1]), f64([1, 1])).toString()).toMatch(/cond/);
  });

  it('plain tracing cannot read a traced condition and says to use source mode', () => {
    expectThrows(() => fg.jit(branchy)(f64([3, 4]), f64([1, 1])), fg.TraceError, /item at .*traced value with no concrete data.*mode: 'source'/);
  });

  it('if without else, nested ifs, and a variable assigned in one branch that had a value', () => {
    const f = (x: fg.Tensor) => {
      let y = x;
      if (x.sum().item() > 0) {
        y = x.mul(10);
        if (x.max().item() > 5 && x.min().item() >= 1) y = y.neg();
      }
      return y;
    };
    const jitted = fg.jit(f, { mode: 'source' });
    for (const v of [[1, 2], [1, 9], [-3, 1], [0.5, 9]]) expect(jitted(f64(v)).toArray()).toEqual(f(f64(v)).toArray());
    expect(jitted.traceCount).toBe(1);
  });

  it('both branches returning, and ?:', () => {
    const f = (x: fg.Tensor) => {
      if (x.sum().item() > 0) {
        const doubled = x.mul(2);
        return doubled.add(1);
      } else {
        return x.neg();
      }
    };
    const g = (x: fg.Tensor) => (!(x.sum().item() >= 0) ? x.abs() : x.exp());
    const jf = fg.jit(f, { mode: 'source' });
    const jg = fg.jit(g, { mode: 'source' });
    for (const v of [[1, 2], [-1, -2]]) {
      expect(jf(f64(v)).toArray()).toEqual(f(f64(v)).toArray());
      expect(jg(f64(v)).toArray()).toEqual(g(f64(v)).toArray());
    }
    expect(jf.traceCount + jg.traceCount).toBe(2);
  });

  it('a one-element tensor condition counts by its value (plain JS would call any object true)', () => {
    const f = (x: fg.Tensor) => {
      let y = x;
      if (x.sum().gt(0)) y = x.neg();
      return y;
    };
    const jitted = fg.jit(f, { mode: 'source' });
    expect(jitted(f64([1, 2])).toArray()).toEqual([-1, -2]);
    expect(jitted(f64([-1, -2])).toArray()).toEqual([-1, -2]);
  });

  it('JS conditions stay JS: a flag argument specialises the graph', () => {
    const f = (x: fg.Tensor, square: boolean) => {
      let y = x;
      if (square) y = x.mul(x);
      return y;
    };
    const jitted = fg.jit(f, { mode: 'source' });
    expect(jitted(f64([3]), true).toArray()).toEqual([9]);
    expect(jitted(f64([3]), false).toArray()).toEqual([3]);
    expect(jitted.graphFor(f64([3]), false).toString()).not.toMatch(/cond/);
  });

  it('uses free variables from scope, and says which are missing', () => {
    const w = f64([2, 2]);
    const f = (x: fg.Tensor) => {
      let y = x;
      if (x.sum().item() > 0) y = F.mul(x, w);
      return y;
    };
    expect(fg.jit(f, { mode: 'source', scope: { F, w } })(f64([1, 3])).toArray()).toEqual([2, 6]);
    expectFlowgradError(() => fg.jit(f, { mode: 'source', scope: { F } }), /jit \(source mode\): the function uses 'w' from outside; .* scope: \{ w \}/);
    // 'auto' falls back to tracing the original function (with its closure) and says why.
    const g = (x: fg.Tensor, flag: boolean) => {
      let y = x;
      if (flag) y = F.mul(x, w);
      return y;
    };
    const auto = fg.jit(g, { mode: 'auto' });
    expect(auto(f64([1, 3]), true).toArray()).toEqual([2, 6]);
    expect(auto.explain()).toMatch(/mode auto → trace/);
    expect(auto.explain()).toMatch(/source conversion failed, tracing instead: .*'F', 'w'/);
  });
});

describe('source mode: while', () => {
  it('a data-dependent loop is one whileLoop node, right for every trip count', () => {
    const halve = (x: fg.Tensor) => {
      let y = x;
      let steps = F.zeros([]);
      while (y.sum().item() > 1) {
        y = y.mul(0.5);
        steps = steps.add(1);
      }
      return [y, steps];
    };
    const jitted = fg.jit(halve, { mode: 'source', scope: { F } });
    for (const v of [[0.25, 0.25], [3, 5], [100, 28]]) {
      const [y, steps] = jitted(f64(v)) as fg.Tensor[];
      let expected = v.reduce((a, b) => a + b);
      let n = 0;
      while (expected > 1) {
        expected /= 2;
        n++;
      }
      expect(y.sum().item()).toBeCloseTo(expected, 12);
      expect(steps.item()).toBe(n);
    }
    expect(jitted.traceCount).toBe(1);
    expect(jitted.graphFor(f64([1, 1])).toString()).toMatch(/whileLoop/);
  });

  it('a loop on a JS counter is unrolled by tracing', () => {
    const f = (x: fg.Tensor) => {
      let y = x;
      let i = 0;
      while (i < 3) {
        y = y.add(1);
        i++;
      }
      return y;
    };
    const jitted = fg.jit(f, { mode: 'source' });
    expect(jitted(f64([0])).toArray()).toEqual([3]);
    expect(jitted.graphFor(f64([0])).toString()).not.toMatch(/whileLoop/);
  });
});

describe('source mode: what it refuses, clearly', () => {
  const refuse = (f: (...args: never[]) => unknown, pattern: RegExp) => expectFlowgradError(() => fg.jit(f as never, { mode: 'source' }), pattern);
  it('returns on some paths only, break and continue, do…while', () => {
    refuse((x: fg.Tensor) => {
      if (x.sum().item() > 0) return x;
      return x.neg();
    }, /returns from only some of its paths/);
    refuse((x: fg.Tensor) => {
      let y = x;
      while (y.sum().item() > 1) {
        y = y.mul(0.5);
        if (y.max().item() > 3) break;
      }
      return y;
    }, /break at line \d+ inside/);
    refuse((x: fg.Tensor) => {
      let y = x;
      do y = y.mul(0.5);
      while (y.sum().item() > 1);
      return y;
    }, /do…while at line \d+ is not supported/);
  });

  it('var inside a converted block, and free variables in parameter defaults', () => {
    refuse(new Function('x', 'if (x.sum().item() > 0) { var y = x; } return x;') as never, /var at line \d+ inside a converted if or while is not supported/);
    const K = 3;
    const f = (x: fg.Tensor, k = K) => (x.sum().item() > 0 ? x.mul(k) : x);
    expectFlowgradError(() => fg.jit(f, { mode: 'source' }), /uses 'K' from outside/);
    expect(fg.jit(f, { mode: 'source', scope: { K } })(f64([1])).toArray()).toEqual([3]);
  });

  it('functions without usable source, and bad options', () => {
    refuse(Math.max as never, /has no JS source/);
    refuse(branchy.bind(null) as never, /has no JS source/);
    refuse((async (x: fg.Tensor) => x) as never, /async or a generator/);
    expectFlowgradError(() => fg.jit(branchy, { mode: 'source', scope: 3 as never }), /jit: argument 'scope' expected an object/);
  });

  it('an if on a traced tensor that assigns nothing is an error when traced', () => {
    const f = (x: fg.Tensor) => {
      if (x.sum().item() > 0) console.log('positive');
      return x;
    };
    expectFlowgradError(() => fg.jit(f, { mode: 'source' })(f64([1])), /assigns no variable, so it has no effect in a graph/);
  });
});

describe('source mode: gradients', () => {
  it('fg.grad flows through a converted if, matching finite differences', () => {
    const f = (x: fg.Tensor) => {
      let y;
      if (x.sum().item() > 0) {
        y = x.mul(x).sum();
      } else {
        y = x.sin().sum();
      }
      return y;
    };
    const g = fg.grad(fg.jit(f, { mode: 'source' }));
    for (const v of [[0.5, 1.5], [-2, 0.25]]) {
      const expected = v[0] + v[1] > 0 ? v.map((a) => 2 * a) : v.map(Math.cos);
      const got = (g(f64(v)) as fg.Tensor).toArray() as number[];
      got.forEach((a, i) => expect(a).toBeCloseTo(expected[i], 10));
    }
  });
});

describe('source mode: a while loop on the gradient path', () => {
  it('runs on the tape (graph autodiff cannot differentiate whileLoop), with eager gradients', () => {
    const f = (x: fg.Tensor, w: fg.Tensor) => {
      let y = x;
      while (y.sum().item() > 1) {
        y = y.mul(w.sigmoid());
      }
      return y.sum();
    };
    const jitted = fg.jit(f, { mode: 'source' });
    const x = f64([3, 5]);
    const w = f64([0.5, -1]).requiresGrad_();
    const loss = jitted(x, w);
    loss.backward();
    const w2 = f64([0.5, -1]).requiresGrad_();
    const eager = f(x, w2);
    eager.backward();
    expect(loss.item()).toBeCloseTo(eager.item(), 12);
    expect(w.grad!.toArray()).toEqual(w2.grad!.toArray().map((v: number) => expect.closeTo(v, 12)));
    expect(jitted.explain()).toMatch(/runs on the tape when inputs 1 require grad \(graph autodiff refused: whileLoop: reverse-mode/);
    // Without grad the same call runs the compiled graph.
    fg.noGrad(() => expect(jitted(x, w).item()).toBeCloseTo(eager.item(), 12));
    expect(jitted.lastStats).not.toBeNull();
  });
});

describe('source mode: closures in converted blocks', () => {
  it('a variable a closure in a branch assigns is carried out of the branch', () => {
    const f = (x: fg.Tensor, parts: fg.Tensor[]) => {
      let total = x;
      if (x.sum().item() > 0) {
        parts.forEach((p) => {
          total = total.add(p);
        });
      }
      return total;
    };
    const jitted = fg.jit(f, { mode: 'source' });
    const parts = [f64([1, 1]), f64([2, 2])];
    expect(jitted(f64([1, 2]), parts).toArray()).toEqual([4, 5]);
    expect(jitted(f64([-1, -2]), parts).toArray()).toEqual([-1, -2]);
    expect(jitted.explain()).toMatch(/carries total/);
  });
});
