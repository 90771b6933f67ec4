/**
 * @file batchNorm over [N, C, ...]: per-channel statistics over every dim but 1. Composed from
 * mean, sub, mul, sqrt and reshape, so its gradients (of any order) follow from theirs.
 * Training mode also updates the running statistics in place, outside the tape (runningStat.ts).
 */
import { DTypeError, ShapeError, ValueError, given } from '../../errors.js';
import { isFloating } from '../../tensor/dtype.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensor } from '../convert.js';
import { runningStatUpdate } from './runningStat.js';
import { add, div, mul, sub } from '../elementwise/binary.js';
import { sqrt } from '../elementwise/unary.js';
import { reshape } from '../movement/reshape.js';
import { mean } from '../reduce/sum.js';

/** A per-channel argument: null/undefined, or a floating tensor of shape [C]. */
function channelArg(arg: string, t: unknown, channels: number): Tensor | null {
  if (t === null || t === undefined) return null;
  checkTensor('batchNorm', arg, t);
  const v = t as Tensor;
  if (v.ndim !== 1 || v.shape[0] !== channels) throw new ShapeError('batchNorm', arg, `[${channels}] (one value per channel of x)`, shapeStr(v.shape));
  if (!isFloating(v.dtype)) throw new DTypeError('batchNorm', arg, 'float32 or float64', v.dtype);
  return v;
}

function checkNumber(arg: string, v: unknown, expected: string, ok: (n: number) => boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ValueError('batchNorm', arg, expected, v);
  return v;
}


/**
 * Batch normalisation of `x` ([N, C, ...], at least 2-d) per channel (dim 1), PyTorch's
 * `F.batch_norm`. Training mode normalises with the batch mean and biased variance and
 * updates `runningMean`/`runningVar` (with the unbiased variance) in place; evaluation mode
 * normalises with the running statistics. `weight` and `bias` ([C]) are optional, and the
 * running statistics may be null in training mode.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  training = false,
  momentum = 0.1,
  eps = 1e-5,
): Tensor {
  checkTensor('batchNorm', 'x', x);
  if (x.ndim < 2) throw new ShapeError('batchNorm', 'x', '[N, C, ...] (at least 2-d)', shapeStr(x.shape));
  if (!isFloating(x.dtype)) throw new DTypeError('batchNorm', 'x', 'float32 or float64', x.dtype);
  const channels = x.shape[1];
  const rm = channelArg('runningMean', runningMean, channels);
  const rv = channelArg('runningVar', runningVar, channels);
  const w = channelArg('weight', weight, channels);
  const b = channelArg('bias', bias, channels);
  if (typeof training !== 'boolean') throw new ValueError('batchNorm', 'training', 'a boolean', training);
  checkNumber('momentum', momentum, 'a finite number', () => true);
  checkNumber('eps', eps, 'a finite number ≥ 0', (v) => v >= 0);
  // Per-channel tensors broadcast over x as [1, C, 1, …].
  const perChannel = (t: Tensor): Tensor => reshape(t, x.shape.map((d, i) => (i === 1 ? d : 1)));
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);

  let normalized: Tensor;
  if (training) {
    const count = x.size / channels;
    if (!x.trace && !(count > 1)) throw new ValueError('batchNorm', 'x', 'more than 1 value per channel in training mode', given(`shape ${shapeStr(x.shape)}`));
    const batchMean = mean(x, axes, true);
    const centered = sub(x, batchMean);
    const batchVar = mean(mul(centered, centered), axes, true);
    normalized = div(centered, sqrt(add(batchVar, eps)));
    // In place and off the tape, as in PyTorch; an op, so traced training steps keep doing it.
    // The running variance is unbiased (n − 1 in the divisor).
    if (rm) runningStatUpdate(rm, batchMean, x, momentum, false);
    if (rv) runningStatUpdate(rv, batchVar, x, momentum, true);
  } else {
    if (!rm || !rv) {
      throw new ValueError('batchNorm', rm ? 'runningVar' : 'runningMean', 'a tensor of running statistics in evaluation mode (training = false)', rm ? runningVar : runningMean);
    }
    normalized = div(sub(x, perChannel(rm)), sqrt(add(perChannel(rv), eps)));
  }
  if (w) normalized = mul(normalized, perChannel(w));
  if (b) normalized = add(normalized, perChannel(b));
  return normalized;
}
