/**
 * @file Reference nllLoss: the per-sample negative log-likelihood −logProbs[i, labels[i]].
 * Labels are checked here too, because a graph file can carry labels no user function saw.
 */
import { ValueError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Kernel } from '../registry.js';

/** Throws a ValueError naming `op`, 'labels', the range and the first bad value. */
export function checkLabels(op: string, labels: Tensor, classes: number): void {
  const data = labels.dataSync();
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v >= classes) throw new ValueError(op, 'labels', `class indices in [0, ${classes}) (labels[${i}])`, v);
  }
}

export const nllLossKernel: Kernel = ([logProbs, labels], _attrs, [outType]) => {
  const [n, classes] = logProbs.shape;
  checkLabels('nllLoss', labels, classes);
  const out = Tensor.empty(outType.shape as number[], outType.dtype, logProbs.device);
  const src = logProbs.storage.data;
  const idx = labels.storage.data;
  // Inputs are contiguous (the dispatcher copies them): row i starts at i·C.
  for (let i = 0; i < n; i++) out.storage.data[i] = -src[i * classes + idx[i]];
  return [out];
};
