/**
 * @file Storage: the flat buffer that one or more tensor views read.
 *
 * Buffers come from an Allocator so that a faster backend can place them where its kernels
 * read without copying (a WebAssembly heap, a SharedArrayBuffer for worker threads). The
 * default allocator uses ordinary typed arrays, owned by the JS garbage collector.
 */
import { ARRAY_OF, type DType, type TypedArray } from './dtype.js';

export interface Allocator {
  readonly name: string;
  /**
   * A buffer of `length` elements. Zero-filled unless `zeroed` is false, which a caller that
   * writes every element passes so a recycling allocator can skip the fill.
   */
  allocate(dtype: DType, length: number, zeroed?: boolean): TypedArray;
}

export const heapAllocator: Allocator = {
  name: 'heap',
  allocate: (dtype, length) => new ARRAY_OF[dtype](length),
};

let current: Allocator = heapAllocator;

/** Replaces the allocator new storages come from; returns the previous one. */
export function setAllocator(allocator: Allocator): Allocator {
  const previous = current;
  current = allocator;
  return previous;
}

/** The allocator new storages come from now. */
export const currentAllocator = (): Allocator => current;

/** Whether new storages are plain heap typed arrays (so a kernel may hand over one it made itself). */
export const usesHeapAllocator = (): boolean => current === heapAllocator;

export class Storage {
  /** Bumped by every in-place write, so autograd can tell a saved tensor was modified. */
  version = 0;
  constructor(
    readonly data: TypedArray,
    readonly dtype: DType,
  ) {}

  static allocate(dtype: DType, length: number, zeroed = true): Storage {
    return new Storage(current.allocate(dtype, length, zeroed), dtype);
  }
}
