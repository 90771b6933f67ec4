/** @file Dim arguments of the movement ops: insertion points and permutations. */
import { AxisError, ValueError, describe, given } from '../../errors.js';
import { normalizeAxis } from '../../tensor/shape.js';

/**
 * Resolves the position of a new dim (unsqueeze, stack): one of the ndim + 1 slots of an
 * ndim-d tensor, so the valid range is [-ndim - 1, ndim], one wider than for an existing dim.
 */
export function normalizeNewDim(op: string, arg: string, dim: unknown, ndim: number): number {
  if (typeof dim === 'number' && Number.isInteger(dim) && dim >= -ndim - 1 && dim <= ndim) return dim < 0 ? dim + ndim + 1 : dim;
  const err = new AxisError(op, arg, dim, ndim + 1);
  err.message = `${op}: argument '${arg}' expected a dim in [${-ndim - 1}, ${ndim}] (a new dim's position in a ${ndim}-d tensor), got ${describe(dim)}`;
  throw err;
}

/** Resolves a user permutation (negative dims allowed) to non-negative dims, checking it is one. */
export function normalizePermutation(op: string, arg: string, dims: unknown, ndim: number): number[] {
  if (!Array.isArray(dims)) throw new ValueError(op, arg, `a list of ${ndim} dims`, dims);
  if (dims.length !== ndim) throw new ValueError(op, arg, `a permutation of ${ndim} dims (one per dim of the ${ndim}-d input)`, given(`[${dims.join(', ')}]`));
  const out = dims.map((d) => normalizeAxis(op, arg, d, ndim));
  if (new Set(out).size !== out.length) throw new ValueError(op, arg, 'each dim exactly once', given(`[${dims.join(', ')}]`));
  return out;
}
