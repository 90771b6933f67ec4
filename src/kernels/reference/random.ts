/**
 * @file Reference kernels of the random ops: rand, randn and dropoutMask. Each draws from the
 * one global generator (tensor/random.ts), so results repeat after manualSeed.
 */
import type { DType } from '../../tensor/dtype.js';
import { fillNormal, fillUniform, nextUniform } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';

export interface RandomAttrs {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: string;
}

export interface DropoutMaskAttrs {
  /** Probability of dropping an element, in [0, 1]. */
  readonly p: number;
}

// A 32-bit draw can round up to 1 in float32; 24 bits (the float32 mantissa) keep it below 1.
const FLOAT32_STEPS = 2 ** 24;

export const randKernel: Kernel<RandomAttrs> = (_inputs, { device }, [outType]) => {
  const out = Tensor.empty(outType.shape as number[], outType.dtype, device);
  const data = out.storage.data;
  if (outType.dtype === 'float32') for (let i = 0; i < data.length; i++) data[i] = Math.floor(nextUniform() * FLOAT32_STEPS) / FLOAT32_STEPS;
  else fillUniform(data);
  return [out];
};

export const randnKernel: Kernel<RandomAttrs> = (_inputs, { device }, [outType]) => {
  const out = Tensor.empty(outType.shape as number[], outType.dtype, device);
  fillNormal(out.storage.data);
  return [out];
};

/** A bool tensor shaped like the input: true (kept) with probability 1 − p. */
export const dropoutMaskKernel: Kernel<DropoutMaskAttrs> = ([x], { p }, [outType]) => {
  const out = Tensor.empty(outType.shape as number[], 'bool', x.device);
  const data = out.storage.data;
  for (let i = 0; i < data.length; i++) data[i] = nextUniform() >= p ? 1 : 0;
  return [out];
};
