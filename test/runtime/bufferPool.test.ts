/** @file The executor's caching allocator: exact reuse of dead intermediates, never of anything the caller owns. */
import { describe, expect, test } from 'vitest';
import * as fg from '../../src/index.js';
import { GraphBuilder } from '../../src/ir/graph.js';
import { BufferPool } from '../../src/runtime/bufferPool.js';
import { compile } from '../../src/runtime/compile.js';
import { currentAllocator, heapAllocator } from '../../src/tensor/storage.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { expectFlowgradError, randomTensor } from '../helpers/tensors.js';
import { allSamples } from '../ir/graphs.js';

const values = (ts: fg.Tensor[]) => ts.map((t) => ({ dtype: t.dtype, shape: t.shape, data: t.toArray() }));
const f32 = { shape: [64], dtype: 'float32' } as const;

/** x → exp → neg → tanh → (mul by x): three same-size intermediates die one after another. */
function chain() {
  const b = new GraphBuilder('chain');
  const x = b.addInput(f32, 'x');
  const e = b.addNode('exp', [x], {}, [f32]).outputs[0];
  const n = b.addNode('neg', [e], {}, [f32]).outputs[0];
  const t = b.addNode('tanh', [n], {}, [f32]).outputs[0];
  const y = b.addNode('mul', [t, x], {}, [f32]).outputs[0];
  return b.build([y]);
}
const eagerChain = (x: fg.Tensor) => fg.mul(fg.tanh(fg.neg(fg.exp(x))), x);

describe('BufferPool', () => {
  test('a released buffer is handed out again: zero-filled by default, as is when the caller overwrites it', () => {
    const pool = new BufferPool();
    pool.during(() => {
      expect(currentAllocator()).toBe(pool);
      const a = Tensor.empty([8], 'float32');
      a.storage.data.fill(7);
      pool.retain(a.storage.data);
      pool.release(a.storage.data);
      const b = Tensor.empty([8], 'float32');
      expect(b.storage.data).toBe(a.storage.data);
      expect([...b.storage.data]).toEqual(new Array(8).fill(0));
      b.storage.data.fill(5);
      pool.retain(b.storage.data);
      pool.release(b.storage.data);
      const c = Tensor.uninitialized([8], 'float32');
      expect(c.storage.data).toBe(a.storage.data);
      expect(c.storage.data[0]).toBe(5);
      // Another dtype or length never gets it.
      pool.retain(c.storage.data);
      pool.release(c.storage.data);
      expect(Tensor.empty([8], 'int32').storage.data).not.toBe(a.storage.data);
      expect(Tensor.empty([9], 'float32').storage.data).not.toBe(a.storage.data);
    });
    expect(currentAllocator()).toBe(heapAllocator);
    expect(pool.reused).toBe(2);
  });

  test('a buffer shared by two live values returns only when both died', () => {
    const pool = new BufferPool();
    pool.during(() => {
      const a = Tensor.empty([4], 'float32');
      pool.retain(a.storage.data);
      pool.retain(a.storage.data);
      pool.release(a.storage.data);
      expect(Tensor.empty([4], 'float32').storage.data).not.toBe(a.storage.data);
      pool.release(a.storage.data);
      expect(Tensor.empty([4], 'float32').storage.data).toBe(a.storage.data);
    });
  });

  test('buffers it did not allocate in the current run are never recycled', () => {
    const pool = new BufferPool();
    const outside = Tensor.empty([4], 'float32');
    let previousRun: Tensor | undefined;
    pool.during(() => {
      pool.retain(outside.storage.data);
      pool.release(outside.storage.data);
      previousRun = Tensor.empty([4], 'float32');
    });
    pool.during(() => {
      pool.retain(previousRun!.storage.data);
      pool.release(previousRun!.storage.data);
      const fresh = Tensor.empty([4], 'float32').storage.data;
      expect(fresh).not.toBe(outside.storage.data);
      expect(fresh).not.toBe(previousRun!.storage.data);
    });
  });
});

describe('buffer recycling in compiled graphs', () => {
  test('the second run of a chain allocates only its output; every run equals eager', () => {
    const exe = compile(chain());
    const runs = [1, 2, 3].map((seed) => randomTensor([64], seed, -1, 1, 'float32'));
    const outputs = runs.map((x) => exe.run(x)[0]);
    expect(exe.stats.buffersAllocated).toBe(1);
    expect(exe.stats.buffersReused).toBe(3);
    // Earlier outputs belong to the caller: later runs never wrote into them.
    outputs.forEach((y, i) => expect(y.toArray()).toEqual(eagerChain(runs[i]).toArray()));
    expect(runs[0].toArray()).toEqual(randomTensor([64], 1, -1, 1, 'float32').toArray());
  });

  test('an intermediate whose view is an output is never recycled', () => {
    const b = new GraphBuilder('view');
    const x = b.addInput(f32, 'x');
    const e = b.addNode('exp', [x], {}, [f32]).outputs[0];
    const r = b.addNode('reshape', [e], { shape: [8, 8] }, [{ shape: [8, 8], dtype: 'float32' }]).outputs[0];
    const n = b.addNode('neg', [e], {}, [f32]).outputs[0];
    const t = b.addNode('tanh', [n], {}, [f32]).outputs[0];
    const exe = compile(b.build([r, t]));
    const x1 = randomTensor([64], 1, -1, 1, 'float32');
    const [r1, t1] = exe.run(x1);
    exe.run(randomTensor([64], 2, -1, 1, 'float32'));
    exe.run(randomTensor([64], 3, -1, 1, 'float32'));
    expect(r1.reshape([64]).toArray()).toEqual(fg.exp(x1).toArray());
    expect(t1.toArray()).toEqual(fg.tanh(fg.neg(fg.exp(x1))).toArray());
  });

  test.each(Object.entries(allSamples()))('%s: three recycled runs give the eager results, earlier outputs untouched', (_name, sample) => {
    const exe = compile(sample.graph);
    const inputs = sample.inputs();
    const first = exe.run(...inputs);
    const expected = values(sample.eager(...inputs));
    exe.run(...sample.inputs());
    expect(values(exe.run(...inputs))).toEqual(expected);
    expect(values(first)).toEqual(expected);
  });

  test('recycleBuffers: false allocates every result; a non-boolean is refused', () => {
    const exe = compile(chain(), { recycleBuffers: false });
    exe.run(fg.ones([64]));
    exe.run(fg.ones([64]));
    expect(exe.stats.buffersReused).toBe(0);
    expect(exe.stats.buffersAllocated).toBe(0);
    expectFlowgradError(() => compile(chain(), { recycleBuffers: 'yes' as never }), /compile.*recycleBuffers.*a boolean/);
  });

  test('a jitted training step reuses its intermediates from the second call on', () => {
    const w = randomTensor([16, 8], 4, -1, 1, 'float32');
    const step = fg.jit((x: fg.Tensor, w: fg.Tensor) => {
      const [loss, [g]] = fg.valueAndGrad((w: fg.Tensor) => fg.tanh(fg.matmul(x, w)).square().mean(), { argnums: [0] })(w) as [fg.Tensor, fg.Tensor[]];
      return [loss, fg.sub(w, fg.mul(g, 0.1))];
    });
    const x = randomTensor([32, 16], 5, -1, 1, 'float32');
    let params = w;
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [loss, next] = step(x, params) as fg.Tensor[];
      losses.push(loss.item());
      params = next;
    }
    expect(step.lastStats!.buffersReused).toBeGreaterThan(5);
    // Fresh buffers: the two outputs, plus kernel temporaries that are not node results.
    expect(step.lastStats!.buffersAllocated).toBeLessThan(step.lastStats!.buffersReused);
    // Same losses as the eager loop.
    let eagerW = w;
    for (let i = 0; i < 4; i++) {
      const v = eagerW.detach().requiresGrad_();
      const loss = fg.tanh(fg.matmul(x, v)).square().mean();
      loss.backward();
      expect(loss.item()).toBeCloseTo(losses[i], 6);
      eagerW = fg.sub(v.detach(), fg.mul(v.grad!, 0.1));
    }
  });
});
