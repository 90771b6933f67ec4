/**
 * @file defaultCollate: turns a list of samples into one batch of the same structure
 * (PyTorch's default_collate): tensors stack along a new dim 0, numbers become a 1-d
 * tensor, arrays and plain objects collate element by element.
 */
import { ValueError, given } from '../errors.js';
import { stack } from '../ops/movement/concat.js';
import { tensor } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';

/** Collates `samples` (all of one structure) into a batch. Integer numbers give int32, others float32. */
export function defaultCollate<T>(samples: readonly T[]): T {
  if (samples.length === 0) throw new ValueError('defaultCollate', 'samples', 'a non-empty list of samples', samples);
  return collate(samples as readonly unknown[], 'sample') as T;
}

function collate(items: readonly unknown[], path: string): unknown {
  const first = items[0];
  const mismatch = (i: number, expected: string): never => {
    throw new ValueError('defaultCollate', `samples[${i}]`, `${expected} at ${path} (as samples[0] has)`, given(`a different structure`));
  };
  if (first instanceof Tensor) {
    items.forEach((x, i) => x instanceof Tensor || mismatch(i, 'a Tensor'));
    return stack(items as Tensor[], 0);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    items.forEach((x, i) => typeof x === typeof first || mismatch(i, `a ${typeof first}`));
    if (typeof first === 'boolean') return tensor(items as boolean[]);
    const allInt = (items as number[]).every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31);
    return tensor(items as number[], { dtype: allInt ? 'int32' : 'float32' });
  }
  if (Array.isArray(first)) {
    items.forEach((x, i) => (Array.isArray(x) && x.length === first.length) || mismatch(i, `an array of length ${first.length}`));
    return first.map((_, k) => collate(items.map((x) => (x as unknown[])[k]), `${path}[${k}]`));
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const keys = Object.keys(first);
    items.forEach((x, i) => (x !== null && typeof x === 'object' && keys.every((k) => k in x)) || mismatch(i, `an object with keys ${keys.join(', ')}`));
    return Object.fromEntries(keys.map((k) => [k, collate(items.map((x) => (x as Record<string, unknown>)[k]), `${path}.${k}`)]));
  }
  throw new ValueError('defaultCollate', 'samples[0]', 'tensors, numbers, booleans, or arrays / plain objects of them', given(`${path} is ${first === null ? 'null' : typeof first}`));
}
