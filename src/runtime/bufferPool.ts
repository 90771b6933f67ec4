/**
 * @file BufferPool: the caching allocator of a compiled graph (PyTorch's CUDA caching
 * allocator, on the CPU). While an executor runs a graph it allocates every kernel output
 * from its pool; when a value dies (its last use ran) and nothing else alive shares its
 * buffer, the buffer goes back to the pool and a later node, or the next run, reuses it.
 *
 * Eager code cannot do this: a JS program never learns when a tensor dies (finalizers run
 * only between tasks, never inside a synchronous training loop). A graph run knows every
 * use in advance, so its intermediates are recycled exactly, and a step that runs many
 * times stops asking the OS for fresh memory (whose page faults and garbage collections
 * cost more than the arithmetic at small sizes).
 *
 * Safety rules: only buffers allocated by this pool during the current run are ever
 * recycled (never inputs, constants, or an earlier run's outputs, which the caller owns);
 * views alias their base's storage, so liveness is counted per buffer, not per value; and
 * whatever the run returns is handed over and forgotten.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import { type Allocator, currentAllocator, setAllocator } from '../tensor/storage.js';

const keyOf = (dtype: DType, length: number): string => `${dtype}:${length}`;

export class BufferPool implements Allocator {
  readonly name = 'pool';
  private readonly free = new Map<string, TypedArray[]>();
  /** Buffers handed out in the current run, with their dtype and the live values using each. */
  private readonly issued = new Map<TypedArray, { dtype: DType; users: number }>();
  private fallback: Allocator | null = null;
  /** Allocations served from the free lists / freshly, since the pool was made. */
  reused = 0;
  fresh = 0;

  allocate(dtype: DType, length: number, zeroed = true): TypedArray {
    const array = this.free.get(keyOf(dtype, length))?.pop();
    if (array) {
      this.reused++;
      if (zeroed) array.fill(0);
    }
    const out = array ?? this.allocateFresh(dtype, length, zeroed);
    this.issued.set(out, { dtype, users: 0 });
    return out;
  }

  private allocateFresh(dtype: DType, length: number, zeroed: boolean): TypedArray {
    this.fresh++;
    if (!this.fallback) throw new Error('BufferPool.allocate outside BufferPool.during');
    return this.fallback.allocate(dtype, length, zeroed);
  }

  /**
   * Runs `body` with new storages coming from this pool (nesting restores the outer
   * allocator; fresh buffers still come from it). Afterwards every buffer handed out
   * and not recycled belongs to the caller.
   */
  during<T>(body: () => T): T {
    const outer = this.fallback;
    this.fallback = currentAllocator();
    const previous = setAllocator(this);
    try {
      return body();
    } finally {
      setAllocator(previous);
      this.fallback = outer;
      this.issued.clear();
    }
  }

  /** One more live value uses `data` (no-op for buffers this run did not allocate). */
  retain(data: TypedArray): void {
    const entry = this.issued.get(data);
    if (entry) entry.users++;
  }

  /** A value using `data` died; the last one returns the buffer to the free list. */
  release(data: TypedArray): void {
    const entry = this.issued.get(data);
    if (!entry || --entry.users > 0) return;
    this.issued.delete(data);
    const key = keyOf(entry.dtype, data.length);
    // No cap needed: the free lists never hold more buffers than the graph once had alive.
    const list = this.free.get(key);
    if (list) list.push(data);
    else this.free.set(key, [data]);
  }

  /** Bytes held in free lists between runs (the graph's recycled working memory). */
  get freeBytes(): number {
    let bytes = 0;
    for (const list of this.free.values()) for (const a of list) bytes += a.byteLength;
    return bytes;
  }
}
