/**
 * @file The dispatcher: every op call passes through here.
 *
 * Dispatch keys wrap the backend call in priority order (PyTorch's design): forward-mode AD,
 * then the autograd tape, then tracing, then the backend kernel chosen by device and dtype.
 * Each key decides from the inputs whether it applies and calls `next` to reach the keys
 * below it; the autograd and tracing keys live in autodiff/ and jit/ and register here, so
 * this layer does not depend on them. Tracing sits below autograd so that the tape records
 * over traced values too: that is what makes `jit(grad(f))` work.
 */
import { FlowgradError, internal } from '../errors.js';
import { findKernel } from '../kernels/registry.js';
import { type Tensor, disposedError } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { shapesEqual } from '../tensor/shape.js';
import { contiguous } from '../kernels/reference/copy.js';
import { type OpAttrMap, type OpName, type OpSchema, schemaOf } from './schema.js';

export type Next = (inputs: readonly Tensor[]) => Tensor[];

export interface DispatchKey {
  readonly name: string;
  /** Higher runs first. */
  readonly priority: number;
  /** Whether this key handles a call with these inputs (cheap: runs on every op). */
  wants(schema: OpSchema<any>, inputs: readonly Tensor[], outTypes: readonly TensorType[]): boolean;
  call(schema: OpSchema<any>, inputs: readonly Tensor[], attrs: any, outTypes: readonly TensorType[], next: Next): Tensor[];
}

let keys: DispatchKey[] = [];

export function registerDispatchKey(key: DispatchKey): void {
  keys = [...keys.filter((k) => k.name !== key.name), key].sort((a, b) => b.priority - a.priority);
}

/** Runs an op through every dispatch key. Inputs must already be tensors of the right dtypes. */
export function applyOp<K extends OpName>(name: K, inputs: readonly Tensor[], attrs: OpAttrMap[K]): Tensor[] {
  const schema = schemaOf(name);
  if (!schema) throw internal(`no schema for op '${name}'`);
  for (let i = 0; i < inputs.length; i++) if (inputs[i].disposed) throw disposedError(name, schema.inputs[i] ?? `input ${i}`);
  const outTypes = schema.infer(inputs, attrs);
  return callFrom(0, schema, inputs, attrs, outTypes);
}

/** applyOp for the common single-output case. */
export function apply1<K extends OpName>(name: K, inputs: readonly Tensor[], attrs: OpAttrMap[K]): Tensor {
  return applyOp(name, inputs, attrs)[0];
}

function callFrom(level: number, schema: OpSchema<any>, inputs: readonly Tensor[], attrs: unknown, outTypes: readonly TensorType[]): Tensor[] {
  for (let i = level; i < keys.length; i++) {
    const key = keys[i];
    if (key.wants(schema, inputs, outTypes)) {
      return key.call(schema, inputs, attrs, outTypes, (ins) => callFrom(i + 1, schema, ins, attrs, outTypes));
    }
  }
  return runKernel(schema, inputs, attrs, outTypes);
}

/**
 * Runs a single-output op straight into `into` (a contiguous tensor of the output's type,
 * which may be input 0 itself: in-place ops) when no dispatch key applies and the kernel
 * can write into a given tensor. Returns false, having done nothing, otherwise; the caller
 * then computes out of place and copies.
 */
export function tryApplyInto<K extends OpName>(name: K, inputs: readonly Tensor[], attrs: OpAttrMap[K], into: Tensor): boolean {
  const schema = schemaOf(name);
  if (!schema) throw internal(`no schema for op '${name}'`);
  const outTypes = schema.infer(inputs, attrs);
  if (outTypes.length !== 1 || outTypes[0].dtype !== into.dtype || !shapesEqual(outTypes[0].shape, into.shape) || !into.isContiguous()) return false;
  if (keys.some((k) => k.wants(schema, inputs, outTypes))) return false;
  const first = inputs[0];
  const entry = findKernel(schema.name, first.device, first.dtype, inputs, attrs);
  if (!entry?.writesInto || entry.contiguousInputs) return false;
  const [out] = entry.kernel(inputs, attrs, outTypes, into);
  if (out !== into) throw internal(`kernel ${entry.backend}/${schema.name} did not write into the given tensor`);
  return true;
}

/** The backend: looks up the kernel for the inputs' device and dtype and runs it. */
export function runKernel(schema: OpSchema<any>, inputs: readonly Tensor[], attrs: unknown, outTypes: readonly TensorType[]): Tensor[] {
  const first = inputs[0];
  const device = first ? first.device : ((attrs as { device?: string }).device ?? 'cpu');
  const dtype = first ? first.dtype : outTypes[0].dtype;
  const entry = findKernel(schema.name, device, dtype, inputs, attrs);
  if (!entry) throw new FlowgradError(`${schema.name}: no kernel for device '${device}' and dtype ${dtype}`);
  const args = entry.contiguousInputs ? inputs.map(contiguous) : inputs;
  const outs = entry.kernel(args, attrs, outTypes);
  if (outs.length !== outTypes.length || outs.some((o, i) => !shapesEqual(o.shape, outTypes[i].shape) || o.dtype !== outTypes[i].dtype)) {
    throw internal(
      `kernel ${entry.backend}/${schema.name} returned ${outs.map((o) => `${o.dtype}[${o.shape}]`).join(', ')}, ` +
        `schema inferred ${outTypes.map((o) => `${o.dtype}[${o.shape}]`).join(', ')}`,
    );
  }
  return outs;
}
