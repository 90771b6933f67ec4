/**
 * @file The eager buffer cache: buffers of tensors the user disposed (`t.dispose()`, `using`)
 * wait here for the next allocation of the same dtype and length.
 *
 * Only big buffers are kept: a fresh one of many megabytes costs the OS a page fault per 4 KiB
 * (see docs/memory.md), while V8 and malloc recycle small ones cheaply themselves. Nothing
 * is ever required to go through here: a tensor that is simply dropped is freed by the
 * garbage collector as usual.
 */
import type { DType, TypedArray } from './dtype.js';

/** Buffers below this size are left to the garbage collector. */
export const MIN_CACHED_BYTES = 1 << 20;
/** The cache never holds more than this; later releases are left to the garbage collector. */
const MAX_CACHED_BYTES = 256 << 20;

const free = new Map<string, TypedArray[]>();
let cachedBytes = 0;

const keyOf = (dtype: DType, length: number): string => `${dtype}:${length}`;

/** A cached buffer of this dtype and length, if one waits (its contents are stale). */
export function takeCached(dtype: DType, length: number): TypedArray | undefined {
  const list = free.get(keyOf(dtype, length));
  const array = list?.pop();
  if (array) cachedBytes -= array.byteLength;
  return array;
}

/** Keeps a buffer nobody references any more for a later allocation; false if it was not kept. */
export function cacheBuffer(dtype: DType, array: TypedArray): boolean {
  if (array.byteLength < MIN_CACHED_BYTES || cachedBytes + array.byteLength > MAX_CACHED_BYTES) return false;
  const key = keyOf(dtype, array.length);
  const list = free.get(key);
  if (list) list.push(array);
  else free.set(key, [array]);
  cachedBytes += array.byteLength;
  return true;
}

/** Bytes held by the cache now. */
export const cachedBufferBytes = (): number => cachedBytes;

/** Drops every cached buffer (the garbage collector frees them), as torch.cuda.empty_cache(). */
export function emptyCache(): void {
  free.clear();
  cachedBytes = 0;
}
