/**
 * @file The public surface promised by API.md's "Tensors" and "Eager autograd" sections:
 * every name is exported from the package root, and every method exists on a tensor.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';

/** Free functions API.md names explicitly. */
const FUNCTIONS = [
  'tensor', 'zeros', 'ones', 'full', 'arange', 'eye', 'linspace', 'rand', 'randn', 'manualSeed',
  'where', 'concat', 'stack',
  'softmax', 'logSoftmax', 'crossEntropy', 'conv2d', 'maxPool2d', 'avgPool2d', 'batchNorm', 'dropout',
  'noGrad', 'jvp',
] as const;

/** Tensor methods API.md names; "every method also exists as a free function" covers the ops among them. */
const OP_METHODS = [
  'add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'matmul',
  'sum', 'mean', 'max', 'min', 'prod', 'argmax', 'argmin',
  'reshape', 'view', 'transpose', 'permute', 'squeeze', 'unsqueeze', 'expand', 'flatten', 'contiguous', 'slice',
  'gather', 'indexSelect',
  'add_', 'sub_', 'mul_', 'div_', 'copy_', 'zero_', 'fill_', 'exp_', 'log_', 'sqrt_', 'tanh_', 'sigmoid_', 'relu_', 'neg_', 'abs_',
] as const;

/** Methods that are not ops: reading values and autograd. */
const OTHER_METHODS = ['toArray', 'item', 'dataSync', 'backward', 'detach', 'zeroGrad', 'requiresGrad_', 'retainGrad'] as const;

/** Properties every tensor has. */
const PROPERTIES = ['shape', 'dtype', 'device', 'ndim', 'size', 'grad', 'gradFn', 'isLeaf', 'requiresGrad'] as const;

const ERRORS = ['FlowgradError', 'ShapeError', 'DTypeError', 'AxisError', 'ValueError', 'AutogradError'] as const;

describe('package root exports', () => {
  it.each([...FUNCTIONS, ...OP_METHODS])('fg.%s is a function', (name) => {
    expect(typeof (fg as Record<string, unknown>)[name]).toBe('function');
  });

  it('fg.Tensor is the tensor class', () => {
    expect(fg.tensor([1])).toBeInstanceOf(fg.Tensor);
  });

  it('fg.autograd has grad, backward and Function', () => {
    expect(typeof fg.autograd.grad).toBe('function');
    expect(typeof fg.autograd.backward).toBe('function');
    expect(typeof fg.autograd.Function).toBe('function');
    expect(typeof fg.autograd.Function.apply).toBe('function');
  });

  it.each(ERRORS)('fg.%s is an error class below FlowgradError', (name) => {
    const E = fg[name] as unknown as new (...args: unknown[]) => Error;
    expect(E.prototype).toBeInstanceOf(Error);
    expect(E === fg.FlowgradError || E.prototype instanceof fg.FlowgradError).toBe(true);
  });

  it('errors carry their class name', () => {
    try {
      fg.tensor([1]).reshape([3]);
    } catch (e) {
      expect((e as Error).name).toBe('ShapeError');
      expect(e).toBeInstanceOf(fg.FlowgradError);
    }
  });
});

describe('tensor methods and properties', () => {
  const t = fg.tensor([[1, 2], [3, 4]], { requiresGrad: true });

  it.each([...OP_METHODS, ...OTHER_METHODS])('tensor.%s is a method', (name) => {
    expect(typeof (t as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(PROPERTIES)('tensor.%s is defined', (name) => {
    expect(name in t).toBe(true);
  });

  it('methods do not show up as own enumerable keys', () => {
    expect(Object.keys(t)).not.toContain('add');
  });
});
