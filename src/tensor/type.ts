/** @file TensorType: the static part of a tensor (shape and dtype), shared by eager ops and graph values. */
import { type DType, SHORT_NAME } from './dtype.js';
import type { SymShape } from './shape.js';

export interface TensorType {
  readonly shape: SymShape;
  readonly dtype: DType;
}

/** `f32[2,3]`, the form the IR printer uses. */
export const typeStr = (t: TensorType): string => `${SHORT_NAME[t.dtype]}[${t.shape.join(',')}]`;
