/**
 * @file Weight initialisers in PyTorch's conventions (torch.nn.init): each fills a floating
 * tensor in place, outside the tape, from the global generator (reproducible after
 * manualSeed), and returns it.
 */
import { DTypeError, ValueError, given } from '../errors.js';
import { add, mul } from '../ops/elementwise/binary.js';
import { rand, randn } from '../ops/creation/random.js';
import { noGrad } from '../ops/gradMode.js';
import { copy_, fill_ } from '../ops/inplace.js';
import { checkTensor } from '../ops/convert.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Nonlinearities `calculateGain` knows (PyTorch's names in camelCase). */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Whether a Kaiming initialiser preserves the variance of the forward ('fanIn') or backward ('fanOut') pass. */
export type FanMode = 'fanIn' | 'fanOut';

/**
 * The recommended gain for a nonlinearity (PyTorch's table): 1 for linear, conv and
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leakyRelu (slope = `param`,
 * default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new ValueError('calculateGain', 'param', 'a finite negative slope', slope);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError('calculateGain', 'nonlinearity', "one of 'linear', 'conv1d', 'conv2d', 'conv3d', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'", nonlinearity);
  }
}

/**
 * [fanIn, fanOut] of a weight: dim 1 and dim 0 times the receptive field (the product of
 * the dims after the first two), so a Linear weight [out, in] has fanIn = in and a Conv2d
 * weight [out, in/groups, kH, kW] has fanIn = in/groups·kH·kW.
 */
export function calculateFans(op: string, t: Tensor): [number, number] {
  if (t.ndim < 2) throw new ValueError(op, 'tensor', 'a tensor with at least 2 dims (fan in and fan out need [out, in, ...])', given(`shape ${shapeStr(t.shape)}`));
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function checkFloatTensor(op: string, t: unknown): Tensor {
  const x = checkTensor(op, 'tensor', t);
  if (!isFloating(x.dtype)) throw new DTypeError(op, 'tensor', 'float32 or float64', x.dtype);
  return x;
}

function checkFinite(op: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(op, arg, 'a finite number', v);
  return v;
}

/** Fills `t` with draws from U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  checkFloatTensor('uniform_', t);
  checkFinite('uniform_', 'a', a);
  checkFinite('uniform_', 'b', b);
  if (b < a) throw new ValueError('uniform_', 'b', `a bound ≥ a = ${a}`, b);
  return noGrad(() => copy_(t, add(mul(rand(t.shape, { dtype: t.dtype }), b - a), a)));
}

/** Fills `t` with draws from N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  checkFloatTensor('normal_', t);
  checkFinite('normal_', 'mean', mean);
  if (checkFinite('normal_', 'std', std) < 0) throw new ValueError('normal_', 'std', 'a number ≥ 0', std);
  return noGrad(() => copy_(t, add(mul(randn(t.shape, { dtype: t.dtype }), std), mean)));
}

/** Fills `t` with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  checkFloatTensor('constant_', t);
  checkFinite('constant_', 'value', value);
  return noGrad(() => fill_(t, value));
}

/** Fills `t` with zeros. */
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
/** Fills `t` with ones. */
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export interface KaimingOptions {
  /** The negative slope of the leakyRelu that follows (default 0; √5 gives PyTorch's Linear/Conv default). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' }: KaimingOptions): number {
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(op, 'mode', "'fanIn' or 'fanOut'", mode);
  const [fanIn, fanOut] = calculateFans(op, t);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * He et al. (2015) uniform: U(−bound, bound) with bound = gain·√(3 / fan), gain from
 * `nonlinearity` and `a` (PyTorch's kaiming_uniform_, defaults a = 0, fanIn, leakyRelu).
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  checkFloatTensor('kaimingUniform_', t);
  if (t.size === 0) return t;
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, opts);
  return uniform_(t, -bound, bound);
}

/** He et al. (2015) normal: N(0, std²) with std = gain / √fan (PyTorch's kaiming_normal_). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  checkFloatTensor('kaimingNormal_', t);
  if (t.size === 0) return t;
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, opts));
}

const xavierStd = (op: string, t: Tensor, gain: number): number => {
  const [fanIn, fanOut] = calculateFans(op, t);
  return checkFinite(op, 'gain', gain) * Math.sqrt(2 / (fanIn + fanOut));
};

/** Glorot & Bengio (2010) uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  checkFloatTensor('xavierUniform_', t);
  if (t.size === 0) return t;
  const bound = Math.sqrt(3) * xavierStd('xavierUniform_', t, gain);
  return uniform_(t, -bound, bound);
}

/** Glorot & Bengio (2010) normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  checkFloatTensor('xavierNormal_', t);
  if (t.size === 0) return t;
  return normal_(t, 0, xavierStd('xavierNormal_', t, gain));
}

/**
 * PyTorch's default for Linear and Conv layers: weight from kaimingUniform_(a = √5), i.e.
 * U(±1/√fanIn), and bias from U(±1/√fanIn) with the weight's fanIn.
 */
export function defaultLayerInit(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias === null) return;
  const [fanIn] = calculateFans('defaultLayerInit', weight);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniform_(bias, -bound, bound);
}
