/**
 * @file Attaches the op methods (`x.add(y)`, `x.sum(1)`, `x.backward()`) to Tensor.
 *
 * Tensor lives in the bottom layer and cannot import ops; this top-level module adds the
 * methods to its prototype and declares their types by module augmentation.
 */
import { backward } from './autodiff/api.js';
import { retainGrad } from './autodiff/backward.js';
import { makeView } from './kernels/reference/views.js';
import * as b from './ops/elementwise/binary.js';
import { cast } from './ops/elementwise/cast.js';
import * as c from './ops/elementwise/compare.js';
import * as u from './ops/elementwise/unary.js';
import * as ip from './ops/inplace.js';
import { matmul } from './ops/linalg/matmul.js';
import { clone, contiguous } from './ops/movement/clone.js';
import { concat } from './ops/movement/concat.js';
import { expand } from './ops/movement/expand.js';
import { gather, indexSelect } from './ops/movement/gather.js';
import { indexAdd, scatterAdd } from './ops/movement/scatterAdd.js';
import { permute, transpose } from './ops/movement/permute.js';
import { flatten, reshape, view } from './ops/movement/reshape.js';
import { slice } from './ops/movement/slice.js';
import { squeeze, unsqueeze } from './ops/movement/squeeze.js';
import { logSoftmax, softmax } from './ops/nn/softmax.js';
import { argmax, argmin, max, min } from './ops/reduce/minmax.js';
import { prod } from './ops/reduce/prod.js';
import { mean, sum } from './ops/reduce/sum.js';
import type { BackwardOptions } from './autodiff/backward.js';
import type { DType } from './tensor/dtype.js';
import { Tensor } from './tensor/tensor.js';

type Operand = Tensor | number;
type Axis = number | number[];

declare module './tensor/tensor.js' {
  interface Tensor {
    add(other: Operand): Tensor;
    sub(other: Operand): Tensor;
    mul(other: Operand): Tensor;
    div(other: Operand): Tensor;
    pow(other: Operand): Tensor;
    maximum(other: Operand): Tensor;
    minimum(other: Operand): Tensor;
    clamp(lo?: number | null, hi?: number | null): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    sign(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    eq(other: Operand): Tensor;
    ne(other: Operand): Tensor;
    lt(other: Operand): Tensor;
    le(other: Operand): Tensor;
    gt(other: Operand): Tensor;
    ge(other: Operand): Tensor;
    matmul(other: Tensor): Tensor;
    sum(axis?: Axis, keepDim?: boolean): Tensor;
    mean(axis?: Axis, keepDim?: boolean): Tensor;
    max(axis?: Axis, keepDim?: boolean): Tensor;
    min(axis?: Axis, keepDim?: boolean): Tensor;
    prod(axis?: Axis, keepDim?: boolean): Tensor;
    argmax(axis?: number, keepDim?: boolean): Tensor;
    argmin(axis?: number, keepDim?: boolean): Tensor;
    reshape(shape: readonly number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor;
    permute(...dims: number[]): Tensor;
    squeeze(dim?: number | number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    expand(shape: readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    concat(others: Tensor[], dim?: number): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(dim?: number): Tensor;
    /** A copy in another dtype (itself if it already has it). */
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    bool(): Tensor;
    add_(other: Operand): Tensor;
    sub_(other: Operand): Tensor;
    mul_(other: Operand): Tensor;
    div_(other: Operand): Tensor;
    copy_(src: Tensor): Tensor;
    zero_(): Tensor;
    fill_(value: number | boolean): Tensor;
    /** Unary ops in place: straight into this tensor's memory where the kernel can (see ops/inplace.ts). */
    exp_(): Tensor;
    log_(): Tensor;
    sqrt_(): Tensor;
    tanh_(): Tensor;
    sigmoid_(): Tensor;
    relu_(): Tensor;
    neg_(): Tensor;
    abs_(): Tensor;
    /** Gradients of this tensor with respect to every leaf, accumulated into `.grad`. */
    backward(gradient?: Tensor | BackwardOptions | null, opts?: BackwardOptions): void;
    /** A tensor sharing this one's storage, cut from the tape (a new leaf). */
    detach(): Tensor;
    retainGrad(): Tensor;
  }
}

const methods: Partial<Record<keyof Tensor, (this: Tensor, ...args: any[]) => unknown>> = {
  add(o) { return b.add(this, o); },
  sub(o) { return b.sub(this, o); },
  mul(o) { return b.mul(this, o); },
  div(o) { return b.div(this, o); },
  pow(o) { return b.pow(this, o); },
  maximum(o) { return b.maximum(this, o); },
  minimum(o) { return b.minimum(this, o); },
  clamp(lo, hi) { return b.clamp(this, lo, hi); },
  neg() { return u.neg(this); },
  abs() { return u.abs(this); },
  exp() { return u.exp(this); },
  log() { return u.log(this); },
  sqrt() { return u.sqrt(this); },
  sin() { return u.sin(this); },
  cos() { return u.cos(this); },
  tanh() { return u.tanh(this); },
  sigmoid() { return u.sigmoid(this); },
  relu() { return u.relu(this); },
  sign() { return u.sign(this); },
  square() { return u.square(this); },
  reciprocal() { return u.reciprocal(this); },
  eq(o) { return c.eq(this, o); },
  ne(o) { return c.ne(this, o); },
  lt(o) { return c.lt(this, o); },
  le(o) { return c.le(this, o); },
  gt(o) { return c.gt(this, o); },
  ge(o) { return c.ge(this, o); },
  matmul(o) { return matmul(this, o); },
  sum(a, k) { return sum(this, a, k); },
  mean(a, k) { return mean(this, a, k); },
  max(a, k) { return max(this, a, k); },
  min(a, k) { return min(this, a, k); },
  prod(a, k) { return prod(this, a, k); },
  argmax(a, k) { return argmax(this, a, k); },
  argmin(a, k) { return argmin(this, a, k); },
  reshape(s) { return reshape(this, s); },
  view(s) { return view(this, s); },
  transpose(d0, d1) { return transpose(this, d0, d1); },
  permute(...dims) { return permute(this, dims); },
  squeeze(d) { return squeeze(this, d); },
  unsqueeze(d) { return unsqueeze(this, d); },
  expand(s) { return expand(this, s); },
  flatten(s, e) { return flatten(this, s, e); },
  contiguous() { return contiguous(this); },
  clone() { return clone(this); },
  slice(d, s, e, st) { return slice(this, d, s, e, st); },
  gather(d, i) { return gather(this, d, i); },
  indexSelect(d, i) { return indexSelect(this, d, i); },
  scatterAdd(d, i, s) { return scatterAdd(this, d, i, s); },
  indexAdd(d, i, s) { return indexAdd(this, d, i, s); },
  concat(others, d) { return concat([this, ...others], d); },
  softmax(d) { return softmax(this, d); },
  logSoftmax(d) { return logSoftmax(this, d); },
  to(dtype) { return cast(this, dtype); },
  float() { return cast(this, 'float32'); },
  double() { return cast(this, 'float64'); },
  int() { return cast(this, 'int32'); },
  bool() { return cast(this, 'bool'); },
  add_(o) { return ip.add_(this, o); },
  sub_(o) { return ip.sub_(this, o); },
  mul_(o) { return ip.mul_(this, o); },
  div_(o) { return ip.div_(this, o); },
  copy_(s) { return ip.copy_(this, s); },
  zero_() { return ip.zero_(this); },
  fill_(v) { return ip.fill_(this, v); },
  exp_() { return ip.exp_(this); },
  log_() { return ip.log_(this); },
  sqrt_() { return ip.sqrt_(this); },
  tanh_() { return ip.tanh_(this); },
  sigmoid_() { return ip.sigmoid_(this); },
  relu_() { return ip.relu_(this); },
  neg_() { return ip.neg_(this); },
  abs_() { return ip.abs_(this); },
  backward(g, o) { return backward(this, g, o); },
  detach() { return makeView(this, this.shape, this.strides); },
  retainGrad() { retainGrad(this); return this; },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
