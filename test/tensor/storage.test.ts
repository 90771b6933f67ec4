/** @file Storage: the allocator seam (for wasm and worker-shared memory) and the version counter. */
import { afterEach, describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { ARRAY_OF } from '../../src/tensor/dtype.js';
import { type Allocator, heapAllocator, setAllocator } from '../../src/tensor/storage.js';

describe('allocator', () => {
  afterEach(() => void setAllocator(heapAllocator));

  it('new storages come from the current allocator, e.g. shared memory for worker threads', () => {
    const shared: Allocator = {
      name: 'shared',
      allocate: (dtype, length) => new ARRAY_OF[dtype](new SharedArrayBuffer(Math.max(1, length) * ARRAY_OF[dtype].BYTES_PER_ELEMENT) as unknown as ArrayBuffer, 0, length),
    };
    const previous = setAllocator(shared);
    expect(previous).toBe(heapAllocator);
    const z = fg.zeros([2, 3]);
    expect(z.storage.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const y = z.add(1);
    expect(y.storage.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(y.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it('the heap allocator gives ordinary typed arrays of the dtype', () => {
    expect(fg.zeros([2], { dtype: 'int32' }).storage.data).toBeInstanceOf(Int32Array);
    expect(fg.zeros([2], { dtype: 'bool' }).storage.data).toBeInstanceOf(Uint8Array);
  });
});

describe('version counter', () => {
  it('in-place ops bump the storage version shared by every view', () => {
    const t = fg.zeros([4]);
    const v = t.reshape([2, 2]);
    expect(t.storage.version).toBe(0);
    v.add_(1);
    expect(t.storage.version).toBe(1);
    t.zero_();
    expect(v.storage.version).toBe(2);
  });

  it('out-of-place ops leave it alone', () => {
    const t = fg.zeros([4]);
    t.add(1);
    t.reshape([2, 2]);
    expect(t.storage.version).toBe(0);
  });
});
