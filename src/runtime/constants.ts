/**
 * @file What every executor does with `constant` nodes: hand out the tensor (refusing one its
 * owner disposed, whose buffer may serve another tensor now), and copy a literal constant that
 * the graph returns, so a caller writing into the result never changes later runs. (A captured
 * constant, `captured=true`, is returned as itself, as the traced function would return it.)
 */
import type { Node } from '../ir/node.js';
import { copyAs } from '../kernels/reference/copy.js';
import { type Tensor, disposedError } from '../tensor/tensor.js';

/** The tensor of a constant node. */
export function constantValue(node: Node): Tensor {
  const value = node.attrs.value as Tensor;
  if (value.disposed) throw disposedError('constant', 'value');
  return value;
}

/** Whether `producer` is a literal (not captured) constant. */
export const isLiteralConstant = (producer: Node | null | undefined): boolean => producer?.op === 'constant' && producer.attrs.captured !== true;

/** A graph output as the caller receives it: a copy if a literal constant made it. */
export const ownedOutput = (t: Tensor, producer: Node | null | undefined): Tensor => (isLiteralConstant(producer) ? copyAs(t, t.dtype) : t);
