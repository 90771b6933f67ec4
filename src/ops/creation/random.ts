/**
 * @file rand and randn: random ops with no inputs. They are flagged `random`, so a traced
 * graph keeps them as nodes that draw fresh values on every run (CSE and constant folding
 * leave them alone), and their kernels read the global generator (reproducible after manualSeed).
 */
import { DTypeError, ValueError } from '../../errors.js';
import { randKernel, randnKernel, type RandomAttrs } from '../../kernels/reference/random.js';
import { registerKernel } from '../../kernels/registry.js';
import { type TensorOptions, checkDevice } from '../../tensor/create.js';
import { checkDType, isFloating } from '../../tensor/dtype.js';
import { checkShapeArg } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TensorType } from '../../tensor/type.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';

declare module '../schema.js' {
  interface OpAttrMap {
    rand: RandomAttrs;
    randn: RandomAttrs;
  }
}

/** Validates the attrs of rand/randn (graph files are untrusted) and gives the output type. */
function inferRandom(op: string, { shape, dtype, device }: RandomAttrs): TensorType[] {
  checkShapeArg(op, 'shape', shape);
  if (!isFloating(checkDType(op, 'dtype', dtype))) throw new DTypeError(op, 'dtype', 'float32 or float64', dtype);
  checkDevice(op, device);
  return [{ shape: [...shape], dtype }];
}

for (const [name, kernel] of [['rand', randKernel], ['randn', randnKernel]] as const) {
  defineOp({ name, inputs: [], infer: (_ins, attrs) => inferRandom(name, attrs), fusion: 'opaque', flags: { random: true } });
  registerKernel(name, { backend: 'reference', kernel });
}

function random(op: 'rand' | 'randn', shape: readonly number[], opts: TensorOptions | undefined): Tensor {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) {
    throw new ValueError(op, 'opts', 'an options object { dtype?, requiresGrad?, device? }', opts);
  }
  const attrs: RandomAttrs = { shape: [...checkShapeArg(op, 'shape', shape)], dtype: opts?.dtype ?? 'float32', device: checkDevice(op, opts?.device) };
  const out = apply1(op, [], attrs);
  if (opts?.requiresGrad) out.requiresGrad = true;
  return out;
}

/** Uniform draws in [0, 1) of `shape` (float32 unless `opts.dtype` says float64). */
export function rand(shape: readonly number[], opts?: TensorOptions): Tensor {
  return random('rand', shape, opts);
}

/** Standard normal draws (mean 0, std 1) of `shape` (float32 unless `opts.dtype` says float64). */
export function randn(shape: readonly number[], opts?: TensorOptions): Tensor {
  return random('randn', shape, opts);
}
