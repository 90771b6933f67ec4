/**
 * @file runningStatUpdate: batch norm's running statistics, updated in place as an op.
 *
 * running ← (1 − momentum)·running + momentum·scale·batchStat, where scale turns the biased
 * batch variance into the unbiased one (n / (n − 1), n read from x's shape at run time, so a
 * graph with a symbolic batch works). Being an op, it is recorded by tracing: a jitted training
 * step with BatchNorm updates the captured running statistics on every run, as eager code does.
 * Flagged sideEffecting, so passes keep it although nothing reads its output.
 */
import { ShapeError, ValueError } from '../../errors.js';
import { contiguous } from '../../kernels/reference/copy.js';
import { registerKernel } from '../../kernels/registry.js';
import { shapeStr } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { apply1 } from '../dispatch.js';
import { defineOp } from '../schema.js';
import { mul } from '../elementwise/binary.js';

declare module '../schema.js' {
  interface OpAttrMap {
    runningStatUpdate: { momentum: number; unbiased: boolean };
  }
}

defineOp({
  name: 'runningStatUpdate',
  inputs: ['running', 'batchStat', 'x'],
  infer: ([running, batchStat, x], { momentum, unbiased }) => {
    if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new ValueError('runningStatUpdate', 'momentum', 'a finite number', momentum);
    if (typeof unbiased !== 'boolean') throw new ValueError('runningStatUpdate', 'unbiased', 'a boolean', unbiased);
    const c = running.shape[0];
    if (running.shape.length !== 1 || x.shape.length < 2 || x.shape[1] !== c || batchStat.shape.length !== x.shape.length) {
      throw new ShapeError('runningStatUpdate', 'running', `[C] with x [N, C, ...] and batchStat [1, C, 1, ...]`, `${shapeStr(running.shape)}, ${shapeStr(x.shape)}, ${shapeStr(batchStat.shape)}`);
    }
    return [{ shape: running.shape, dtype: running.dtype }];
  },
  // Not differentiable (the tape never sees the statistics); the tangent of the output is zero.
  jvp: ({ outputs: [y] }) => [mul(y, 0)],
  fusion: 'opaque',
  flags: { sideEffecting: true },
});

registerKernel('runningStatUpdate', {
  backend: 'reference',
  kernel: ([running, batchStat, x], { momentum, unbiased }) => {
    const c = running.shape[0];
    const count = x.size / c;
    const scale = unbiased ? count / (count - 1) : 1;
    const stat = contiguous(batchStat);
    const dst = running.storage.data;
    const src = stat.storage.data;
    for (let i = 0; i < c; i++) {
      const at = running.offset + i * running.strides[0];
      dst[at] = (1 - momentum) * dst[at] + momentum * scale * src[stat.offset + i];
    }
    running.storage.version++;
    return [new Tensor(running.storage, running.shape, running.strides, running.offset, running.dtype, running.device)];
  },
});

/** Updates `running` in place from a batch statistic of x (shape [1, C, 1, ...]); returns it. */
export function runningStatUpdate(running: Tensor, batchStat: Tensor, x: Tensor, momentum: number, unbiased: boolean): Tensor {
  return apply1('runningStatUpdate', [running, batchStat, x], { momentum, unbiased });
}
