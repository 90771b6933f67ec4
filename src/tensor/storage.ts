/**
 * @file Storage: the flat buffer that one or more tensor views read.
 *
 * Buffers come from an Allocator so that a faster backend can place them where its kernels
 * read without copying (a WebAssembly heap, a SharedArrayBuffer for worker threads). The
 * default allocator uses ordinary typed arrays, owned by the JS garbage collector.
 */
import { ARRAY_OF, BYTES_PER_ELEMENT, type DType, type TypedArray } from './dtype.js';
import { MIN_CACHED_BYTES, takeCached } from './recycler.js';

export interface Allocator {
  readonly name: string;
  /**
   * A buffer of `length` elements. Zero-filled unless `zeroed` is false, which a caller that
   * writes every element passes so a recycling allocator can skip the fill.
   */
  allocate(dtype: DType, length: number, zeroed?: boolean): TypedArray;
}

/** Ordinary typed arrays; big buffers of disposed tensors are reused (recycler.ts). */
export const heapAllocator: Allocator = {
  name: 'heap',
  allocate(dtype, length, zeroed = true) {
    const cached = length * BYTES_PER_ELEMENT[dtype] >= MIN_CACHED_BYTES ? takeCached(dtype, length) : undefined;
    if (!cached) return new ARRAY_OF[dtype](length);
    if (zeroed) cached.fill(0);
    return cached;
  },
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

let nextStorageId = 1;

export class Storage {
  /** Increases with each storage made, so tracing can tell buffers older than a trace (captured) from new ones. */
  readonly id = nextStorageId++;
  /** Bumped by every in-place write, so autograd can tell a saved tensor was modified. */
  version = 0;
  /** Tensors made over this storage and not disposed (views share a storage). */
  views = 0;
  /**
   * Whether the buffer may go back to the eager cache once every view is disposed: only
   * buffers the heap allocator made (never a user's array given to Tensor.fromData), and
   * never once autograd saved a view. (A graph that captured a disposed tensor refuses to
   * run: the executors check constants.)
   */
  recyclable = false;
  constructor(
    readonly data: TypedArray,
    readonly dtype: DType,
  ) {}

  static allocate(dtype: DType, length: number, zeroed = true): Storage {
    const storage = new Storage(current.allocate(dtype, length, zeroed), dtype);
    storage.recyclable = current === heapAllocator;
    return storage;
  }

  /** Keeps the buffer out of the eager cache for good (autograd saved it). */
  pin(): void {
    this.recyclable = false;
  }
}
