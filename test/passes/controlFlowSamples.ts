/**
 * @file Graphs with cond and whileLoop for the lowering and dataflow tests: every traced
 * graph of test/control/ that uses them (same functions, same inputs), the examples of
 * REFERENCE.md, and cases the lowering must get right (nested loops, a loop that runs zero
 * times, a cond inside a loop and a loop inside a cond, constants and random draws inside
 * branches and bodies). Each comes with its eager reference.
 */
import * as fg from '../../src/index.js';
import { flatten, f64, i32, s64, tapeGrads } from '../control/helpers.js';
import { randomTensor } from '../helpers/tensors.js';

type T = fg.Tensor;

export interface ControlSample {
  readonly graph: () => fg.Graph;
  /** The outputs eager mode gives, flattened as the graph returns them. */
  readonly eager: (...inputs: T[]) => T[];
  readonly inputs: readonly (readonly T[])[];
  /** Draws random numbers: seed before each run. */
  readonly random?: boolean;
}

/** A sample from a function traced on specs; eager is the function itself. */
const traced = (f: (...xs: T[]) => unknown, specs: fg.Spec[], inputs: T[][], random = false): ControlSample => ({
  graph: () => fg.trace(f, specs),
  eager: (...xs) => flatten(f(...xs)),
  inputs,
  random,
});

// ---- test/control/cond.test.ts ----

const piecewise = (x: T, w: T): T => fg.cond(x.sum().gt(0), (a: T) => a.mul(a).mul(w).sum(), (a: T) => a.sin().sum(), x);
const c = f64([1, 10, 100]);
const nestedConds = (x: T, y: T) => fg.cond(x.sum().gt(0), (a: T) => fg.cond(y.gt(0), (b: T) => b.mul(y).add(c), (b: T) => b.sub(x), a), (a: T) => a.neg(), x);
const scalar = (x: T) => fg.cond(x.gt(0), (a: T) => a.pow(3), (a: T) => a.sin(), x);
const wParam = f64([1, 2, 3]).requiresGrad_();
const gradOfCapture = (x: T) => fg.autograd.grad(fg.cond(x.sum().gt(0), (a: T) => a.mul(wParam).sum(), (a: T) => a.sum(), x), [wParam])[0];
const dropoutBranch = (x: T) => fg.cond(x.sum().gt(0), (a: T) => fg.dropout(a, 0.5, true).sum(), (a: T) => a.sum(), x);

// ---- test/control/whileLoop.test.ts ----

const doubleUntil = (x: T, limit: T) => fg.whileLoop(([, v]: T[]) => v.sum().le(limit), ([k, v]: T[]) => [k.add(1), v.mul(2)], [fg.tensor(0, { dtype: 'int32' }), x]);
const loopWithCond = (x: T, k: T) =>
  fg.whileLoop(([i]: T[]) => i.lt(k), ([i, v]: T[]) => [i.add(1), fg.cond(v.sum().gt(10), (a: T) => a.sub(3), (a: T) => a.mul(2), v)], [i32(0), x]);
const objectCarry = (i: T, s: T) => fg.whileLoop((cv: { i: T; s: T }) => cv.i.lt(4), (cv: { i: T; s: T }) => ({ i: cv.i.add(1), s: cv.s.add(cv.i) }), { i, s });
const zeroTrips = (i: T, v: T) => fg.whileLoop(([k]: T[]) => k.lt(0), ([k, a]: T[]) => [k.add(1), a], [i, v]);
const tripleTo100 = (v: T) => fg.whileLoop((a: T) => a.lt(100), (a: T) => a.mul(3), v);
const sinLoop = (v: T) => fg.whileLoop(([i]: T[]) => i.lt(3), ([i, a]: T[]) => [i.add(1), a.sin().mul(v)], [i32(0), v])[1].sum();

// ---- test/control/scan.test.ts (conds inside scan bodies: scan is not lowered) ----

const scanWithCond = (xs: T, w: T) =>
  fg.scan(
    ([k, s]: T[], x: T) => {
      const next = fg.cond(x.sum().gt(0), (a: T) => a.add(x.mul(w)), (a: T) => a.sub(1), s);
      return [[k.add(1), next], { k, s: next.sum() }];
    },
    [i32(0), fg.zeros([2], { dtype: 'float64' })],
    xs,
    { reverse: true },
  );

// ---- REFERENCE.md §2.5 / §2.11 ----

/** foo1: `if x < y: s = x + y else: s = y²`. */
const foo1 = (x: T, y: T) => fg.cond(x.lt(y), (a: T, b: T) => a.add(b), (_a: T, b: T) => b.square(), x, y);
/** foo2: `for i in range(10): s += i` (45 from s = 0). */
const foo2 = (s: T) => fg.whileLoop(([i]: T[]) => i.lt(10), ([i, acc]: T[]) => [i.add(1), acc.add(fg.cast(i, 'float64'))], [i32(0), s])[1];
/** `i = 0; while i < 10: i += 1` → 10. */
const countTo10 = (i: T) => fg.whileLoop((k: T) => k.lt(10), (k: T) => k.add(1), i);
/** The nested variant: for i < 3, for j < 4, n += i + j (n = 30 from 0). */
const nestedLoops = (n: T) =>
  fg.whileLoop(
    ([i]: T[]) => i.lt(3),
    ([i, acc]: T[]) => {
      const [, inner] = fg.whileLoop(([j]: T[]) => j.lt(4), ([j, a]: T[]) => [j.add(1), a.add(i).add(j)], [i32(0), acc]);
      return [i.add(1), inner];
    },
    [i32(0), n],
  )[1];

// ---- what the lowering must get right ----

/** A loop in a branch: when not taken, its frame runs on dead values only. */
const loopInCond = (x: T, n: T) => fg.cond(x.sum().gt(0), (a: T) => fg.whileLoop(([i]: T[]) => i.lt(n), ([i, v]: T[]) => [i.add(1), v.mul(1.5)], [i32(0), a])[1], (a: T) => a.neg(), x);
/** A branch returning a constant: the other branch's Merge input must stay the live one. */
const constantBranch = (p: T, x: T) => fg.cond(p, () => f64([7, 8]), (a: T) => a.exp(), x);
/** A random draw with no inputs in a loop body: one draw per iteration, none after the last. */
const drawInLoop = (x: T) => fg.whileLoop(([i]: T[]) => i.lt(3), ([i, v]: T[]) => [i.add(1), v.add(fg.rand([2], { dtype: 'float64' }))], [i32(0), x])[1];

/** A loop in a branch in a loop, the branch picked by a captured predicate. */
const loopCondLoop = (x: T, flag: T) =>
  fg.whileLoop(
    ([i]: T[]) => i.lt(3),
    ([i, v]: T[]) => [i.add(1), fg.cond(flag, (a: T) => fg.whileLoop(([j]: T[]) => j.lt(i), ([j, b]: T[]) => [j.add(1), b.add(1)], [i32(0), a])[1], (a: T) => a.mul(2), v)],
    [i32(0), x],
  )[1];
/** A body whose new carry is a captured value, and a branch returning its operand unchanged. */
const resetToCapture = (x: T, w: T) => fg.whileLoop(([i]: T[]) => i.lt(2), ([i]: T[]) => [i.add(1), w], [i32(0), x])[1];
const passThrough = (p: T, x: T) => fg.cond(p, (a: T) => a, (a: T) => a.neg(), x);
/** A random draw with no inputs in a branch: drawn only when the branch is taken. */
const drawInBranch = (p: T, x: T) => fg.cond(p, (a: T) => a.add(fg.rand([2], { dtype: 'float64' })), (a: T) => a, x).add(fg.rand([2], { dtype: 'float64' }));

export const controlSamples = (): Record<string, ControlSample> => ({
  piecewise: traced(piecewise, [s64([3]), s64([])], [[f64([1, 2, 3]), f64(2)], [f64([-1, -2, 0.5]), f64(2)]]),
  nestedConds: traced(nestedConds, [s64([3]), s64([])], [[f64([1, 2, 3]), f64(2)], [f64([1, 2, 3]), f64(-2)], [f64([-1, -2, 0]), f64(1)]]),
  piecewiseGradGraph: {
    graph: () => fg.gradGraph(fg.trace(piecewise, [s64([3]), s64([])])),
    eager: (x, w) => [piecewise(x, w), ...tapeGrads(piecewise, [x, w])],
    inputs: [5, 6, 7].map((seed) => [randomTensor([3], seed), randomTensor([], seed + 1)]),
  },
  secondOrder: traced(fg.grad(fg.grad(scalar)), [s64([])], [[f64(1.5)], [f64(-0.7)]]),
  // d/dw of sum(x·w) is x when that branch is taken, else w is unused (zeros)
  gradOfCapture: { ...traced(gradOfCapture, [s64([3])], [[f64([1, 4, 2])], [f64([-1, -4, 2])]]), eager: (x) => [x.sum().item() > 0 ? x : fg.zerosLike(x)] },
  numericPred: traced((p: T, a: T) => fg.cond(p, (b: T) => b.mul(2), (b: T) => b.neg(), a), [fg.spec([], 'int32'), s64([3])], [[i32(-3), f64([1, -2, 3])], [i32(0), f64([1, -2, 3])]]),
  dropoutBranch: traced(dropoutBranch, [s64([4])], [[f64([1, 2, 3, 4])], [f64([-1, -2, -3, -4])]], true),
  doubleUntil: traced(doubleUntil, [s64([2]), s64([])], [0, 5, 100].map((limit) => [f64([1, 2]), f64(limit)])),
  loopWithCond: traced(loopWithCond, [s64(['n']), fg.spec([], 'int32')], [[f64([1, 2, 3]), i32(6)], [f64([0.5]), i32(0)], [f64([4, 4, 4, 4]), i32(3)]]),
  doubleUntilSum: traced((x: T) => doubleUntil(x, f64(20))[1].sum(), [s64([2])], [[f64([1, 2])]]),
  objectCarry: traced(objectCarry, [fg.spec([], 'int32'), fg.spec([], 'int32')], [[i32(0), i32(0)], [i32(2), i32(5)]]),
  zeroTrips: traced(zeroTrips, [fg.spec([], 'int32'), s64([1])], [[i32(5), f64([1])]]),
  tripleTo100: traced(tripleTo100, [s64([])], [[f64(1)], [f64(200)]]),
  sinLoop: traced(sinLoop, [s64([3])], [[f64([0.3, -1.2, 0.8])]]),
  scanWithCond: traced(scanWithCond, [s64(['n', 2]), s64([2])], [[randomTensor([5, 2], 1), randomTensor([2], 10)], [fg.zeros([0, 2], { dtype: 'float64' }), f64([1, 2])]]),
  foo1: traced(foo1, [s64([]), s64([])], [[f64(1), f64(2)], [f64(3), f64(2)]]),
  foo2: traced(foo2, [s64([])], [[f64(0)], [f64(-5)]]),
  countTo10: traced(countTo10, [fg.spec([], 'int32')], [[i32(0)], [i32(12)]]),
  nestedLoops: traced(nestedLoops, [fg.spec([], 'int32')], [[i32(0)], [i32(100)]]),
  loopInCond: traced(loopInCond, [s64([2]), fg.spec([], 'int32')], [[f64([1, 2]), i32(3)], [f64([-1, -2]), i32(3)], [f64([1, 2]), i32(0)]]),
  constantBranch: traced(constantBranch, [fg.spec([], 'bool'), s64([2])], [[fg.tensor(true), f64([1, 2])], [fg.tensor(false), f64([1, 2])]]),
  drawInLoop: traced(drawInLoop, [s64([2])], [[f64([0, 10])]], true),
  loopCondLoop: traced(loopCondLoop, [s64([2]), fg.spec([], 'bool')], [[f64([1, 2]), fg.tensor(true)], [f64([1, 2]), fg.tensor(false)]]),
  resetToCapture: traced(resetToCapture, [s64([]), s64([])], [[f64(1), f64(5)]]),
  passThrough: traced(passThrough, [fg.spec([], 'bool'), s64([2])], [[fg.tensor(true), f64([1, 2])], [fg.tensor(false), f64([1, 2])]]),
  drawInBranch: traced(drawInBranch, [fg.spec([], 'bool'), s64([2])], [[fg.tensor(true), f64([1, 2])], [fg.tensor(false), f64([1, 2])]], true),
});
