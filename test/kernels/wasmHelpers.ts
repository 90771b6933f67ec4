/**
 * @file Shared by the wasm kernel tests: random float32 tensors and views of them, and a
 * comparison of a wasm kernel with the reference kernel of the same op on the same inputs.
 */
import { expect } from 'vitest';
import '../../src/index.js';
import { contiguous } from '../../src/kernels/reference/copy.js';
import { kernelOf } from '../../src/kernels/registry.js';
import { registerWasmKernels } from '../../src/kernels/wasm/index.js';
import { schemaOf } from '../../src/ops/schema.js';
import { Tensor } from '../../src/tensor/tensor.js';

registerWasmKernels();

/** A seeded generator of uniform values in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A contiguous float32 tensor with values in [lo, hi). */
export function randomF32(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const next = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + next() * (hi - lo);
  return Tensor.fromData(data, shape, 'float32');
}

/** A float32 tensor holding exactly `values`. */
export const f32 = (values: number[], shape = [values.length]): Tensor => Tensor.fromData(Float32Array.from(values), shape, 'float32');

/** The view of `t` with dims permuted (no copy). */
export function permuted(t: Tensor, order: number[]): Tensor {
  return new Tensor(t.storage, order.map((d) => t.shape[d]), order.map((d) => t.strides[d]), t.offset, t.dtype);
}

/** The transpose of the last two dims, as a view. */
export function transposed(t: Tensor): Tensor {
  const order = t.shape.map((_, i) => i);
  [order[t.ndim - 2], order[t.ndim - 1]] = [order[t.ndim - 1], order[t.ndim - 2]];
  return permuted(t, order);
}

/** The view t[start[0]:start[0]+size[0], …] (no copy). */
export function sliced(t: Tensor, start: number[], size: number[]): Tensor {
  const offset = start.reduce((o, s, d) => o + s * t.strides[d], t.offset);
  return new Tensor(t.storage, size, t.strides, offset, t.dtype);
}

/** A view of `t` broadcast to `shape` with stride 0 on new and size-1 dims (no copy). */
export function expanded(t: Tensor, shape: number[]): Tensor {
  const lead = shape.length - t.ndim;
  const strides = shape.map((d, i) => (i < lead || t.shape[i - lead] === 1 ? 0 : t.strides[i - lead]));
  return new Tensor(t.storage, shape, strides, t.offset, t.dtype);
}

export interface Tolerance {
  /** Relative to the reference value. */
  readonly rtol: number;
  /** Absolute, on top of rtol. */
  readonly atol: number;
}

/**
 * Runs op's wasm kernel and its reference kernel on `inputs`, checks the wasm kernel claimed
 * them, and compares elementwise. Returns the wasm output.
 */
export function expectMatchesReference(op: string, inputs: Tensor[], attrs: object, tol: Tolerance): Tensor {
  const schema = schemaOf(op);
  expect(schema, `schema of ${op}`).toBeDefined();
  const outTypes = schema!.infer(inputs, attrs as never);
  const fast = kernelOf(op, 'wasm');
  const ref = kernelOf(op, 'reference');
  expect(fast, `wasm kernel of ${op}`).toBeDefined();
  expect(ref, `reference kernel of ${op}`).toBeDefined();
  expect(fast!.accepts ? fast!.accepts(inputs, attrs) : true, `wasm ${op} accepts its inputs`).toBe(true);
  const [expected] = ref!.kernel(ref!.contiguousInputs ? inputs.map(contiguous) : inputs, attrs, outTypes);
  const [actual] = fast!.kernel(inputs, attrs, outTypes);
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = -1;
  for (let i = 0; i < e.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : a[i] === e[i] || Math.abs(a[i] - e[i]) <= tol.atol + tol.rtol * Math.abs(e[i]);
    if (!ok && worst < 0) worst = i;
  }
  if (worst >= 0) {
    expect.fail(`${op} [${inputs.map((t) => `[${t.shape}]/[${t.strides}]`).join(', ')}]: element ${worst} is ${a[worst]}, reference ${e[worst]}`);
  }
  return actual;
}

/** The shapes tests sweep: odd sizes, 1 and 0. */
export const ODD_SIZES = [1, 3, 17, 65, 127];
