/**
 * @file Tensor: a strided view over a Storage plus its autograd metadata.
 *
 * This layer knows nothing of ops: the arithmetic methods (`add`, `matmul`, …) are attached
 * by `ops/methods.ts`, so that dependencies point down (DESIGN.md, layers).
 */
import { AutogradError, DTypeError, TraceError, ValueError, given } from '../errors.js';
import { type DType, type TypedArray, ARRAY_OF, isFloating } from './dtype.js';
import { type Shape, contiguousStrides, sizeOf } from './shape.js';
import { Storage } from './storage.js';
import { cacheBuffer } from './recycler.js';

/** What the tape records for a non-leaf tensor; implemented in autodiff/tape.ts. */
export interface GradNode {
  readonly name: string;
}

/** Present on tensors that stand for values in a graph being traced (jit/trace.ts). */
export interface TraceHandle {
  /** The user's source line that created the value, for error messages. */
  readonly source: string | undefined;
  /** The user's source line running now (where a traced value is being misused). */
  currentLine(): string | undefined;
}

let nextId = 1;

export class Tensor {
  readonly id = nextId++;
  /** Whether the tape records ops on this tensor. Set it on leaves only. */
  private _requiresGrad = false;
  /** Gradient accumulated by backward() on a leaf (or on a tensor after retainGrad()). */
  grad: Tensor | null = null;
  /** The tape node that produced this tensor; null for leaves. */
  gradFn: GradNode | null = null;
  /** Which output of gradFn this tensor is. */
  outputIndex = 0;
  /** Set by retainGrad(): backward() also stores this non-leaf's gradient in `.grad`. */
  retainsGrad = false;
  /** Non-null while this tensor is a placeholder in a trace; it then has no storage data. */
  trace: TraceHandle | null = null;
  /** Set by dispose(): the tensor may no longer be read or used. */
  disposed = false;

  constructor(
    readonly storage: Storage,
    readonly shape: Shape,
    readonly strides: readonly number[],
    readonly offset: number,
    readonly dtype: DType,
    readonly device: string = 'cpu',
  ) {
    storage.views++;
  }

  /**
   * Releases this tensor early (optional: dropping it is enough). Once every tensor viewing
   * the same storage is disposed, a big buffer goes to the eager cache, where the next
   * allocation of its size takes it instead of fresh memory from the OS. Later use of a
   * disposed tensor is an error; disposing twice does nothing. `using t = …` calls it.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const s = this.storage;
    if (--s.views === 0 && s.recyclable && !this.trace) {
      s.pin();
      cacheBuffer(s.dtype, s.data);
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** A fresh contiguous tensor over `data` (which it takes ownership of). */
  static fromData(data: TypedArray, shape: Shape, dtype: DType, device = 'cpu'): Tensor {
    return new Tensor(new Storage(data, dtype), shape, contiguousStrides(shape), 0, dtype, device);
  }

  /** A fresh contiguous tensor of zeros (kernels may accumulate into it). */
  static empty(shape: Shape, dtype: DType, device = 'cpu'): Tensor {
    return new Tensor(Storage.allocate(dtype, sizeOf(shape)), shape, contiguousStrides(shape), 0, dtype, device);
  }

  /**
   * A fresh contiguous tensor whose contents are unspecified: for kernels that write every
   * element, so a recycling allocator (graph runs) hands over a used buffer without clearing it.
   */
  static uninitialized(shape: Shape, dtype: DType, device = 'cpu'): Tensor {
    return new Tensor(Storage.allocate(dtype, sizeOf(shape), false), shape, contiguousStrides(shape), 0, dtype, device);
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(value: boolean) {
    if (value && !this.isLeaf) {
      throw new AutogradError('requiresGrad: can only be set on leaf tensors; use detach() to make a new leaf');
    }
    if (value && !isFloating(this.dtype)) {
      throw new DTypeError('requiresGrad', 'self', 'float32 or float64 (only floating tensors have gradients)', this.dtype);
    }
    this._requiresGrad = value;
  }
  /** Sets requiresGrad on a leaf and returns it, as PyTorch's `requires_grad_()`. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }
  /** Marks a tensor made by the tape itself (bypasses the leaf check). */
  setRequiresGradUnchecked(value: boolean): void {
    this._requiresGrad = value;
  }

  /** Clears the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== expected) return false;
      expected *= this.shape[i];
    }
    return true;
  }

  /** The elements in row-major order as a new TypedArray (a copy). */
  dataSync(): TypedArray {
    this.assertConcrete('dataSync');
    const n = this.size;
    if (this.isContiguous()) return this.storage.data.slice(this.offset, this.offset + n) as TypedArray;
    const out = new ARRAY_OF[this.dtype](n);
    const src = this.storage.data;
    const { shape, strides } = this;
    const nd = shape.length;
    const index = new Array<number>(nd).fill(0);
    let pos = this.offset;
    for (let i = 0; i < n; i++) {
      out[i] = src[pos];
      for (let d = nd - 1; d >= 0; d--) {
        index[d]++;
        pos += strides[d];
        if (index[d] < shape[d]) break;
        pos -= strides[d] * shape[d];
        index[d] = 0;
      }
    }
    return out;
  }

  /** Nested JS arrays (a number or boolean for a 0-d tensor). */
  toArray(): any {
    this.assertConcrete('toArray');
    const data = this.dataSync();
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    if (this.ndim === 0) return conv(data[0]);
    const build = (dim: number, start: number): any[] => {
      const n = this.shape[dim];
      const out = new Array(n);
      if (dim === this.ndim - 1) {
        for (let i = 0; i < n; i++) out[i] = conv(data[start + i]);
        return out;
      }
      const step = sizeOf(this.shape.slice(dim + 1));
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, start + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor as a JS number (or boolean for bool). */
  item(): number {
    this.assertConcrete('item');
    if (this.size !== 1) {
      throw new ValueError('item', 'self', 'a tensor with one element', given(`a tensor of shape [${this.shape.join(', ')}]`));
    }
    const v = this.storage.data[this.offset];
    return (this.dtype === 'bool' ? v !== 0 : v) as number;
  }

  valueOf(): number {
    this.assertConcrete('valueOf');
    if (this.size !== 1) {
      throw new ValueError('valueOf', 'self', 'a one-element tensor (only those convert to a JS number)', given(`shape [${this.shape.join(', ')}]`));
    }
    return Number(this.item());
  }

  toString(): string {
    if (this.trace) return `Tensor(traced, shape=[${this.shape.join(', ')}], dtype=${this.dtype})`;
    // Not JSON.stringify: it would print NaN and ±Infinity as null.
    const body = this.size <= 64 ? formatNested(this.toArray()) : `<${this.size} elements>`;
    return `Tensor(${body}, shape=[${this.shape.join(', ')}], dtype=${this.dtype}${this.gradFn ? `, gradFn=${this.gradFn.name}` : this.requiresGrad ? ', requiresGrad=true' : ''})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  private assertConcrete(what: string): void {
    if (this.trace) throw traceConcretizationError(what, this.trace.source, this.trace.currentLine());
    if (this.disposed) throw disposedError(what, 'self');
  }
}

function formatNested(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(formatNested).join(',')}]` : Object.is(value, -0) ? '-0' : String(value);
}

/** The error for a disposed tensor used again. */
export function disposedError(op: string, arg: string): ValueError {
  return new ValueError(op, arg, 'a tensor that has not been disposed', given('a disposed tensor (dispose() was called on it, or on it through `using`)'));
}

/** The error for a traced value used where JS needs a concrete one (a branch, a print). */
export function traceConcretizationError(what: string, source: string | undefined, usedAt?: string): TraceError {
  return new TraceError(
    `${what}${usedAt ? ` at ${usedAt}` : ''}: this tensor is a traced value with no concrete data${source ? ` (created at ${source})` : ''}. ` +
      'Tracing records ops and cannot branch on tensor values: use fg.cond / fg.whileLoop for data-dependent ' +
      "control flow, or fg.jit(f, { mode: 'source' }) to convert if/while statements.",
  );
}
