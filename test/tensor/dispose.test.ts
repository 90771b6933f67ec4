/**
 * @file Optional early release: dispose() and `using`. A big buffer goes back to the eager
 * cache only when every view of it is disposed and nothing else may still read it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { cachedBufferBytes, emptyCache, MIN_CACHED_BYTES } from '../../src/tensor/recycler.js';
import { expectFlowgradError } from '../helpers/tensors.js';

/** Elements of a float32 tensor big enough for the cache. */
const BIG = MIN_CACHED_BYTES / 4;

describe('dispose', () => {
  afterEach(() => emptyCache());

  it('hands a big buffer to the next allocation of its size, zero-filled', () => {
    const x = fg.ones([BIG]);
    const buffer = x.storage.data;
    x.dispose();
    expect(cachedBufferBytes()).toBe(MIN_CACHED_BYTES);
    const z = fg.zeros([BIG]);
    expect(z.storage.data).toBe(buffer);
    expect(z.sum().item()).toBe(0);
    expect(cachedBufferBytes()).toBe(0);
  });

  it('recycles an op result for the next result (exp into the buffer of the last exp)', () => {
    const x = fg.rand([BIG]);
    const first = fg.exp(x);
    const buffer = first.storage.data;
    const expected = first.toArray();
    first.dispose();
    const second = fg.exp(x);
    expect(second.storage.data).toBe(buffer);
    expect(second.toArray()).toEqual(expected);
  });

  it('`using` disposes at the end of the block', () => {
    let buffer: unknown;
    {
      using y = fg.ones([BIG]);
      buffer = y.storage.data;
    }
    expect(fg.zeros([BIG]).storage.data).toBe(buffer);
  });

  it('waits for every view of the storage', () => {
    const x = fg.ones([BIG]);
    const v = x.reshape([2, BIG / 2]);
    x.dispose();
    expect(cachedBufferBytes()).toBe(0);
    expect(v.sum().item()).toBe(BIG);
    v.dispose();
    expect(cachedBufferBytes()).toBe(MIN_CACHED_BYTES);
  });

  it('never recycles a view that was simply dropped, small buffers, or a user array', () => {
    const x = fg.ones([BIG]);
    x.reshape([BIG / 2, 2]); // a view nobody disposes: the buffer stays with the garbage collector
    x.dispose();
    expect(cachedBufferBytes()).toBe(0);
    fg.ones([16]).dispose();
    expect(cachedBufferBytes()).toBe(0);
    const data = new Float32Array(BIG);
    fg.Tensor.fromData(data, [BIG], 'float32').dispose();
    expect(cachedBufferBytes()).toBe(0);
  });

  it('keeps buffers autograd saved: backward still reads them', () => {
    const w = fg.rand([BIG], { requiresGrad: true });
    const y = fg.exp(w); // exp saves its output for backward
    const expected = y.toArray();
    y.dispose();
    expect(cachedBufferBytes()).toBe(0);
    fg.ones([BIG]); // would take the buffer if it had been cached
    expect(() => y.sum()).toThrow(fg.ValueError);
    const again = fg.exp(w);
    again.sum().backward();
    expect(w.grad!.toArray()).toEqual(expected);
  });

  it('makes later use a clear error; a second dispose does nothing', () => {
    const x = fg.ones([3]);
    x.dispose();
    x.dispose();
    expectFlowgradError(() => x.toArray(), /^toArray: argument 'self' expected a tensor that has not been disposed, got a disposed tensor/);
    expectFlowgradError(() => x.item(), /^item: argument 'self' expected a tensor that has not been disposed/);
    expectFlowgradError(() => fg.add(fg.ones([3]), x), /^add: argument '\w+' expected a tensor that has not been disposed/);
    expectFlowgradError(() => x.exp_(), /^exp_: argument 'self' expected a tensor that has not been disposed/);
    expectFlowgradError(() => fg.exp(x), /^exp: argument 'self' expected a tensor that has not been disposed/);
  });

  it('a jitted function that captured a tensor refuses to run once it is disposed', () => {
    const w = fg.ones([BIG]);
    const f = fg.jit((x: fg.Tensor) => fg.add(x, w));
    expect(f(fg.ones([BIG])).sum().item()).toBe(2 * BIG);
    w.dispose();
    fg.zeros([BIG]); // takes w's buffer
    expectFlowgradError(() => f(fg.ones([BIG])), /^constant: argument 'value' expected a tensor that has not been disposed/);
  });

  it('emptyCache drops what the cache holds', () => {
    fg.ones([BIG]).dispose();
    expect(cachedBufferBytes()).toBe(MIN_CACHED_BYTES);
    fg.emptyCache();
    expect(cachedBufferBytes()).toBe(0);
  });
});
