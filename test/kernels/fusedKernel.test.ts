/**
 * @file The generated fused kernels against the reference kernels: every template on special
 * values (bit for bit, float32 rounding included), chains, broadcasting, strided and empty
 * inputs, and the program validation that keeps generated code safe.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { type FusedProgram, fusedSource, validateProgram } from '../../src/kernels/fused/codegen.js';
import { FusedKernel } from '../../src/kernels/fused/kernel.js';
import { canFuseOp, fusableOps, fusedTemplateOf } from '../../src/kernels/fused/templates.js';
import { kernelOf } from '../../src/kernels/registry.js';
import { contiguous } from '../../src/kernels/reference/copy.js';
import { schemaOf } from '../../src/ops/schema.js';
import { expectFlowgradError, randomTensor } from '../helpers/tensors.js';
import { expectSameBits } from '../passes/fusionHelpers.js';

const DTYPES: fg.DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Values that find rounding, overflow, NaN and signed-zero differences. */
const SPECIALS: Record<fg.DType, number[]> = {
  float32: [0, -0, 1, -1, 0.5, -2.5, 3, 0.1, 1e-30, 1e-40, 1e30, 3.4e38, 88.8, -104, 16777217, Infinity, -Infinity, NaN],
  float64: [0, -0, 1, -1, 0.5, -2.5, 3, 0.1, 1e-300, 5e-324, 1e300, 700, -745, 2 ** 53 + 1, Infinity, -Infinity, NaN],
  int32: [0, 1, -1, 2, -7, 7, 3, 65536, 46341, -46341, 2147483647, -2147483648],
  bool: [0, 1],
};

/** The specials of `dtype` laid along dim `axis` of a rank-`rank` tensor (others size 1), so operands broadcast to all pairs. */
function along(dtype: fg.DType, axis: number, rank: number): fg.Tensor {
  const values = SPECIALS[dtype];
  const shape = Array.from({ length: rank }, (_, d) => (d === axis ? values.length : 1));
  const t = dtype === 'bool' ? fg.tensor(values.map((v) => v !== 0)) : fg.tensor(values, { dtype });
  return t.reshape(shape);
}

/** The specials of `dtype`, rotated left by k (same-shape operands that pair different values). */
function rotated(dtype: fg.DType, k: number): fg.Tensor {
  const values = SPECIALS[dtype];
  const r = [...values.slice(k), ...values.slice(0, k)];
  return dtype === 'bool' ? fg.tensor(r.map((v) => v !== 0)) : fg.tensor(r, { dtype });
}

/** The reference kernel's result of `op` on `inputs`. */
function reference(op: string, inputs: fg.Tensor[], attrs: Record<string, unknown> = {}): fg.Tensor {
  const entry = kernelOf(op, 'reference')!;
  return entry.kernel(entry.contiguousInputs ? inputs.map(contiguous) : inputs, attrs, schemaOf(op)!.infer(inputs, attrs))[0];
}

/** A one-step program of `op` over inputs of these dtypes. */
const oneStep = (op: string, inputs: fg.DType[], dtype: fg.DType): FusedProgram => ({ inputs, steps: [{ op, args: inputs.map((_, i) => i), dtype }], outputs: [inputs.length] });

/** Operand dtype lists the op's schema accepts (all operands of one dtype; where takes a bool condition). */
function operandDtypes(op: string): fg.DType[][] {
  const arity = op === 'where' ? 3 : op === 'addN' ? 3 : schemaOf(op)!.inputs.length;
  return DTYPES.map((d) => (op === 'where' ? ['bool', d, d] : Array.from({ length: arity }, () => d)) as fg.DType[]);
}

describe('every template equals its reference kernel, bit for bit', () => {
  for (const op of fusableOps().filter((o) => o !== 'cast')) {
    it(op, () => {
      let tested = 0;
      for (const dtypes of operandDtypes(op)) {
        // addN takes same-shape operands; the others broadcast the specials against each other.
        const inputs = op === 'addN' ? dtypes.map((d, k) => rotated(d, k)) : dtypes.map((d, k) => along(d, k, dtypes.length));
        let outType: fg.DType;
        try {
          outType = schemaOf(op)!.infer(inputs, {})[0].dtype;
        } catch {
          continue;
        }
        if (!canFuseOp(op, dtypes, outType)) {
          // Only addN of bools (a byte-wrapping sum) is left to its own kernel.
          expect([op, dtypes[0]]).toEqual(['addN', 'bool']);
          continue;
        }
        const fused = new FusedKernel(oneStep(op, dtypes, outType)).run(inputs);
        expectSameBits(fused, [reference(op, inputs)], `${op}(${dtypes.join(', ')})`);
        tested++;
      }
      expect(tested).toBeGreaterThan(0);
    });
  }

  it('cast, between every pair of dtypes', () => {
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        const x = along(from, 0, 1);
        const fused = new FusedKernel(oneStep('cast', [from], to)).run([x]);
        expectSameBits(fused, [reference('cast', [x], { dtype: to })], `cast ${from} → ${to}`);
      }
    }
  });
});

describe('fused chains', () => {
  // (x·y + 1)·exp(x) − sqrt(|y|), with float32 rounding after every op, as the unfused kernels round.
  const program = (dtype: fg.DType): FusedProgram => ({
    inputs: [dtype, dtype, dtype],
    steps: [
      { op: 'mul', args: [0, 1], dtype },
      { op: 'add', args: [3, 2], dtype },
      { op: 'exp', args: [0], dtype },
      { op: 'mul', args: [4, 5], dtype },
      { op: 'abs', args: [1], dtype },
      { op: 'sqrt', args: [7], dtype },
      { op: 'sub', args: [6, 8], dtype },
    ],
    outputs: [9, 3],
  });
  const unfused = (x: fg.Tensor, y: fg.Tensor, one: fg.Tensor): fg.Tensor[] => {
    const xy = reference('mul', [x, y]);
    return [reference('sub', [reference('mul', [reference('add', [xy, one]), reference('exp', [x])]), reference('sqrt', [reference('abs', [y])])]), xy];
  };

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: every result equals the op-by-op reference bit for bit, broadcasting a scalar`, () => {
      const x = randomTensor([7, 33], 1, -3, 3, dtype);
      const y = randomTensor([7, 33], 2, -3, 3, dtype);
      const one = fg.tensor(1, { dtype });
      expectSameBits(new FusedKernel(program(dtype)).run([x, y, one]), unfused(x, y, one));
    });
  }

  it('reads broadcast, transposed and offset views without copying them', () => {
    const kernel = new FusedKernel(program('float32'));
    const base = randomTensor([6, 40], 3, -2, 2, 'float32');
    const cases: [string, fg.Tensor, fg.Tensor, fg.Tensor][] = [
      ['row and column', randomTensor([5, 1], 4, -2, 2, 'float32'), randomTensor([1, 9], 5, -2, 2, 'float32'), fg.tensor([1], { dtype: 'float32' })],
      ['transposed', randomTensor([9, 5], 6, -2, 2, 'float32').transpose(0, 1), randomTensor([5, 9], 7, -2, 2, 'float32'), fg.tensor(1, { dtype: 'float32' })],
      ['sliced with an offset', base.slice(0, 1, 5).slice(1, 3, 40, 3), randomTensor([13], 8, -2, 2, 'float32'), fg.tensor(1, { dtype: 'float32' })],
      ['rank 4', randomTensor([2, 1, 3, 1], 9, -2, 2, 'float32'), randomTensor([4, 1, 5], 10, -2, 2, 'float32'), randomTensor([1, 1, 1, 5], 11, -2, 2, 'float32')],
      ['expanded', randomTensor([3], 12, -2, 2, 'float32').expand([4, 3]), randomTensor([4, 3], 13, -2, 2, 'float32'), fg.tensor(1, { dtype: 'float32' })],
    ];
    for (const [what, x, y, one] of cases) {
      expectSameBits(kernel.run([x, y, one]), unfused(x, y, one), what);
    }
  });

  it('handles empty and 0-d tensors, NaN and infinities', () => {
    const kernel = new FusedKernel(program('float64'));
    const [empty] = kernel.run([fg.zeros([0, 3], { dtype: 'float64' }), fg.zeros([1, 3], { dtype: 'float64' }), fg.tensor(1, { dtype: 'float64' })]);
    expect(empty.shape).toEqual([0, 3]);
    const x = fg.tensor([NaN, Infinity, -Infinity, 0, -0, 1e308], { dtype: 'float64' });
    const y = fg.tensor([1, 0, -Infinity, NaN, -0, 1e308], { dtype: 'float64' });
    const one = fg.tensor(1, { dtype: 'float64' });
    expectSameBits(kernel.run([x, y, one]), unfused(x, y, one));
    const scalar = kernel.run([fg.tensor(0.5, { dtype: 'float64' }), fg.tensor(-2, { dtype: 'float64' }), one]);
    expect(scalar[0].shape).toEqual([]);
    expectSameBits(scalar, unfused(fg.tensor(0.5, { dtype: 'float64' }), fg.tensor(-2, { dtype: 'float64' }), one));
  });

  it('int32 and bool steps wrap and select as the reference kernels do', () => {
    // where(x > y, x·y, x / y) over int32, then cast to float32: overflow wraps, division truncates.
    const p: FusedProgram = {
      inputs: ['int32', 'int32'],
      steps: [
        { op: 'gt', args: [0, 1], dtype: 'bool' },
        { op: 'mul', args: [0, 1], dtype: 'int32' },
        { op: 'div', args: [0, 1], dtype: 'int32' },
        { op: 'where', args: [2, 3, 4], dtype: 'int32' },
        { op: 'cast', args: [5], dtype: 'float32' },
      ],
      outputs: [6, 2],
    };
    const x = along('int32', 0, 2);
    const y = along('int32', 1, 2);
    const cmp = reference('gt', [x, y]);
    const picked = reference('where', [cmp, reference('mul', [x, y]), reference('div', [x, y])]);
    expectSameBits(new FusedKernel(p).run([x, y]), [reference('cast', [picked], { dtype: 'float32' }), cmp]);
  });

  it('computes loop-invariant steps once, before the loop', () => {
    const p: FusedProgram = { inputs: ['float32', 'float32', 'float32'], steps: [{ op: 'sub', args: [1, 2], dtype: 'float32' }, { op: 'mul', args: [0, 3], dtype: 'float32' }], outputs: [4] };
    const source = fusedSource(p, 'ucc');
    expect(source.indexOf('const v0')).toBeLessThan(source.indexOf('for ('));
    expect(source.indexOf('const v1')).toBeGreaterThan(source.indexOf('for ('));
    const x = randomTensor([10], 3, -1, 1, 'float32');
    const [a, b] = [fg.tensor(0.3, { dtype: 'float32' }), fg.tensor(0.1, { dtype: 'float32' })];
    expectSameBits(new FusedKernel(p).run([x, a, b]), [reference('mul', [x, reference('sub', [a, b])])]);
  });
});

describe('program validation (what may reach generated code)', () => {
  const ok: FusedProgram = { inputs: ['float32'], steps: [{ op: 'neg', args: [0], dtype: 'float32' }], outputs: [1] };

  it('accepts only ops with a template, integer operands of earlier slots and known dtypes', () => {
    expect(() => validateProgram(ok)).not.toThrow();
    for (const op of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'matmul', 'neg); globalThis.pwned = 1; (', '']) {
      expectFlowgradError(() => validateProgram({ ...ok, steps: [{ op, args: [0], dtype: 'float32' }] }), /has no fused template/);
    }
    for (const args of [[1], [-1], [0.5], [NaN], ['0'], ['a0); x(']] as unknown as number[][]) {
      expectFlowgradError(() => validateProgram({ ...ok, steps: [{ op: 'neg', args, dtype: 'float32' }] }), /operands must be earlier slots/);
    }
    expectFlowgradError(() => validateProgram({ ...ok, inputs: ['float16' as fg.DType] }), /input 0 has unknown dtype float16/);
    expectFlowgradError(() => validateProgram({ ...ok, steps: [{ op: 'neg', args: [0], dtype: 'x")' as fg.DType }] }), /unknown result dtype/);
    expectFlowgradError(() => validateProgram({ ...ok, outputs: [0] }), /output 0 must be a step's result/);
    expectFlowgradError(() => validateProgram({ ...ok, steps: [{ op: 'exp', args: [0], dtype: 'float32' }], inputs: ['int32'] }), /exp of int32 giving float32 has no fused template/);
    expectFlowgradError(() => fusedSource(ok, 'x'), /bad access pattern/);
  });

  it('generated source holds only template code, generated names and integers', () => {
    const known = new Set(['const', 'let', 'for', 'data', 'offsets', 'strides', 'outs', 'pos', 'n', 'i', 'Math', 'Infinity', 'fround', 'trunc', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'abs', 'sign', 'pow']);
    for (const op of fusableOps()) {
      const t = fusedTemplateOf(op)!;
      const arity = t.arity === 'variadic' ? 3 : t.arity;
      for (const dtype of DTYPES) {
        const inputs = Array.from({ length: arity }, (_, i) => (op === 'where' && i === 0 ? 'bool' : dtype)) as fg.DType[];
        const out = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op) ? 'bool' : dtype;
        if (!canFuseOp(op, inputs, out)) continue;
        for (const pattern of ['c', 'u', 's'].map((k) => k.repeat(arity))) {
          const words = fusedSource(oneStep(op, inputs, out), pattern).match(/[A-Za-z_$][\w$]*/g)!;
          expect(words.filter((w) => !known.has(w) && !/^[adopsvr]\d+$/.test(w)), `${op} ${dtype} ${pattern}`).toEqual([]);
        }
      }
    }
  });
});
