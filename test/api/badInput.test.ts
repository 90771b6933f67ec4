/**
 * @file Bad input on every public entry point: undefined, a string or a ragged array where a
 * tensor (or a shape, a function, …) belongs must throw a FlowgradError subclass whose message
 * names the entry point — never a TypeError or RangeError from deep inside a kernel.
 *
 * Entry points still stubbed by their owners throw their "not implemented yet" FlowgradError;
 * those pass here and are listed as todo below, so the list shrinks as they land.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';

const BAD: readonly (readonly [string, unknown])[] = [
  ['undefined', undefined],
  ['a string', 'abc'],
  ['a ragged array', [[1, 2], [3]]],
];

const m = () => fg.tensor([[1, 2], [3, 4]]);
const v = () => fg.tensor([1, 2]);
const f64 = () => fg.tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
const image = () => fg.ones([1, 1, 4, 4]);
const idx = () => fg.tensor([[0, 1], [1, 0]], { dtype: 'int32' });

interface EntryPoint {
  /** How it is called, e.g. 'fg.add' or 'tensor.add'. */
  readonly label: string;
  /** The op name its errors must start with. */
  readonly op: string;
  readonly call: (...args: unknown[]) => unknown;
  /** Valid arguments. */
  readonly args: () => unknown[];
  /** Argument positions to replace with each bad value. */
  readonly positions: readonly number[];
  /** Positions of optional arguments, where undefined is fine (a default). */
  readonly optional?: readonly number[];
}

const free = (name: keyof typeof fg & string, args: () => unknown[], positions: readonly number[], op = name): EntryPoint => ({
  label: `fg.${name}`,
  op,
  call: (...a) => (fg[name] as (...x: unknown[]) => unknown)(...a),
  args,
  positions,
});
const method = (name: string, args: () => unknown[], op = name, self = m, positions = args().map((_, i) => i)): EntryPoint => ({
  label: `tensor.${name}`,
  op,
  call: (...a) => (self() as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a),
  args,
  positions,
});

const unary = ['neg', 'abs', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'sign', 'square', 'reciprocal', 'clone', 'contiguous', 'flatten', 'squeeze'] as const;
const binary = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'matmul'] as const;
const reductions = ['sum', 'mean', 'max', 'min', 'prod', 'argmax', 'argmin'] as const;
const inPlace = ['add_', 'sub_', 'mul_', 'div_', 'copy_'] as const;

const ENTRY_POINTS: EntryPoint[] = [
  // Creation: the data or shape argument.
  free('tensor', () => [[1, 2]], [0]),
  free('zeros', () => [[2, 3]], [0]),
  free('ones', () => [[2, 3]], [0]),
  free('full', () => [[2, 3], 1], [0, 1]),
  free('arange', () => [0, 5], [0]),
  free('eye', () => [3], [0]),
  free('linspace', () => [0, 1, 5], [0, 1, 2]),
  free('rand', () => [[2, 3]], [0]),
  free('randn', () => [[2, 3]], [0]),
  free('manualSeed', () => [1], [0]),
  free('zerosLike', () => [m()], [0]),
  free('onesLike', () => [m()], [0]),
  free('promoteTypes', () => ['float32', 'int32'], [0, 1]),
  // Elementwise, reductions, shape ops.
  ...unary.map((name) => free(name, () => [m()], [0])),
  ...binary.map((name) => free(name, () => [m(), m()], [0, 1])),
  free('clamp', () => [m(), 0, 1], [0]),
  free('where', () => [fg.tensor([[true, false], [false, true]]), m(), m()], [0, 1, 2]),
  free('cast', () => [m(), 'float64'], [0, 1]),
  ...reductions.map((name) => free(name, () => [m(), 0], [0])),
  free('reshape', () => [m(), [4]], [0, 1]),
  free('view', () => [m(), [4]], [0, 1]),
  free('expand', () => [v(), [2, 2]], [0, 1]),
  free('transpose', () => [m(), 0, 1], [0]),
  free('permute', () => [m(), [1, 0]], [0, 1]),
  free('unsqueeze', () => [m(), 0], [0, 1]),
  free('slice', () => [m(), 0, 0, 1], [0, 1]),
  free('concat', () => [[m(), m()], 0], [0]),
  free('stack', () => [[m(), m()], 0], [0]),
  free('gather', () => [m(), 1, idx()], [0, 2]),
  free('indexSelect', () => [m(), 0, fg.tensor([1, 0], { dtype: 'int32' })], [0, 2]),
  // nn.
  free('softmax', () => [m(), -1], [0]),
  free('logSoftmax', () => [m(), -1], [0]),
  free('crossEntropy', () => [m(), fg.tensor([0, 1], { dtype: 'int32' })], [0, 1]),
  free('conv2d', () => [image(), fg.ones([1, 1, 3, 3])], [0, 1]),
  free('maxPool2d', () => [image(), 2], [0, 1]),
  free('avgPool2d', () => [image(), 2], [0, 1]),
  free('batchNorm', () => [image(), fg.zeros([1]), fg.ones([1])], [0]),
  free('dropout', () => [m(), 0.5, true], [0]),
  // In place.
  ...inPlace.map((name) => free(name, () => [m(), m()], [0, 1])),
  free('fill_', () => [m(), 1], [0, 1]),
  free('zero_', () => [m()], [0]),
  // Autograd.
  free('noGrad', () => [() => 1], [0]),
  free('enableGrad', () => [() => 1], [0]),
  free('jvp', () => [(x: fg.Tensor) => x, [m()], [m()]], [0, 1, 2]),
  { label: 'fg.autograd.grad', op: 'autograd.grad', call: (...a) => fg.autograd.grad(...(a as [fg.Tensor, fg.Tensor])), args: () => { const x = f64(); return [x.sum(), x]; }, positions: [0, 1] },
  { label: 'fg.autograd.backward', op: 'backward', call: (...a) => fg.autograd.backward(...(a as [fg.Tensor])), args: () => [f64().sum()], positions: [0] },
  { label: 'fg.autograd.gradcheck', op: 'gradcheck', call: (...a) => fg.autograd.gradcheck(...(a as [(x: fg.Tensor) => fg.Tensor, fg.Tensor[]])), args: () => [(x: fg.Tensor) => x.exp(), [fg.tensor([1], { dtype: 'float64' })]], positions: [1] },
  // Methods that take a tensor or an operand.
  ...binary.map((name) => method(name, () => [m()])),
  ...inPlace.map((name) => method(name, () => [m()])),
  method('gather', () => [1, idx()]),
  method('indexSelect', () => [0, fg.tensor([1, 0], { dtype: 'int32' })]),
  method('reshape', () => [[4]]),
  method('expand', () => [[2, 2]], 'expand', v),
  { ...method('sum', () => [0]), optional: [0] },
  { ...method('softmax', () => [-1]), optional: [0] },
  ...reductions.map((name) => ({ ...free(name, () => [m(), 0], [1]), label: `fg.${name} (axis)`, optional: [1] })),
  method('backward', () => [fg.ones([2, 2], { dtype: 'float64' })], 'backward', () => f64().mul(2)),
];

const isStubError = (e: unknown) => e instanceof fg.FlowgradError && /not implemented yet/.test(e.message);

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  return undefined;
}

const stubbed = ENTRY_POINTS.filter((p) => isStubError(thrownBy(() => p.call(...p.args()))));

describe('valid arguments work', () => {
  it.each(ENTRY_POINTS.filter((p) => !stubbed.includes(p)).map((p) => [p.label, p] as const))('%s', (_label, p) => {
    expect(thrownBy(() => p.call(...p.args()))).toBeUndefined();
  });
});

describe.each(ENTRY_POINTS.map((p) => [p.label, p] as const))('%s', (_label, p) => {
  for (const pos of p.positions) {
    for (const [badLabel, bad] of BAD) {
      if (bad === undefined && p.optional?.includes(pos)) continue;
      it(`argument ${pos} as ${badLabel} throws a FlowgradError naming ${p.op}`, () => {
        const args = p.args();
        args[pos] = bad;
        const e = thrownBy(() => p.call(...args));
        expect(e, `${p.label} accepted ${badLabel} as argument ${pos}`).toBeDefined();
        expect(e, `${p.label} threw ${String(e)}`).toBeInstanceOf(fg.FlowgradError);
        if (!isStubError(e)) expect((e as Error).message.startsWith(`${p.op}: `), (e as Error).message).toBe(true);
      });
    }
  }
});

describe('entry points still stubbed by other issues', () => {
  for (const p of stubbed) it.todo(`${p.label} is not implemented yet`);
  it('the list above is what remains', () => expect(stubbed.length).toBeGreaterThanOrEqual(0));
});

describe('each class of bad input gets its own error class', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['shape mismatch in broadcasting', () => fg.add(fg.ones([2, 3]), fg.ones([4])), fg.ShapeError, /^add: argument 'other' expected shape/],
    ['shape mismatch in matmul', () => fg.matmul(fg.ones([2, 3]), fg.ones([4, 5])), fg.ShapeError, /^matmul: /],
    ['shape mismatch in reshape', () => fg.reshape(fg.ones([2, 3]), [4]), fg.ShapeError, /^reshape: argument 'shape'/],
    ['axis out of range in a reduction', () => fg.sum(fg.ones([2, 3]), 2), fg.AxisError, /^sum: argument 'axis' expected a dim in \[-2, 1\] for a 2-d tensor, got 2/],
    ['axis out of range in softmax', () => fg.softmax(fg.ones([2, 3]), -3), fg.AxisError, /^softmax: argument 'dim'/],
    ['axis out of range in transpose', () => fg.transpose(fg.ones([2, 3]), 0, 2), fg.AxisError, /^transpose: /],
    ['dtype misuse: arithmetic on bool', () => fg.neg(fg.tensor([true])), fg.DTypeError, /^neg: .*expected dtype a numeric dtype, got bool/],
    ['dtype misuse: float index', () => fg.gather(fg.ones([2, 2]), 1, fg.zeros([2, 2])), fg.DTypeError, /^gather: /],
    ['dtype misuse: requiresGrad on int32', () => fg.zeros([2], { dtype: 'int32', requiresGrad: true }), fg.DTypeError, /^requiresGrad: /],
    ['ragged data', () => fg.tensor([[1, 2], [3]]), fg.ValueError, /^tensor: argument 'data' expected a rectangular nested array/],
    ['NaN in a shape', () => fg.zeros([NaN, 2]), fg.ValueError, /^zeros: argument 'shape'/],
    ['NaN in a reshape target', () => fg.reshape(fg.ones([2]), [NaN]), fg.ValueError, /^reshape: argument 'shape'/],
    ['a string where a tensor belongs', () => fg.exp('x' as never), fg.ValueError, /^exp: argument 'self' expected a Tensor, got "x"/],
  ];
  it.each(cases)('%s', (_label, call, ErrorClass, message) => {
    const e = thrownBy(call);
    expect(e).toBeInstanceOf(ErrorClass);
    expect((e as Error).message).toMatch(message);
  });
});
