/**
 * @file FusedKernel: runs a FusedProgram over tensors. The output shape is the broadcast of
 * the inputs'; each input is read through broadcast strides computed once per call (a
 * transposed or broadcast input is never copied), dims that every operand walks
 * contiguously are merged, and the generated row function runs once per remaining row:
 * once in all for same-shape contiguous inputs and scalars.
 */
import { FlowgradError } from '../../errors.js';
import { broadcastShapes, broadcastStrides } from '../../tensor/broadcast.js';
import type { DType } from '../../tensor/dtype.js';
import { collapseDims, contiguousStrides, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { type AccessPattern, type FusedProgram, type RowFunction, generateRowFunction, slotDtypes, validateProgram } from './codegen.js';


export class FusedKernel {
  private readonly rows = new Map<AccessPattern, RowFunction>();
  private readonly outDtypes: DType[];

  constructor(readonly program: FusedProgram) {
    validateProgram(program);
    const dtypes = slotDtypes(program);
    this.outDtypes = program.outputs.map((slot) => dtypes[slot]);
  }

  /** The row function for an access pattern, generated on first use. */
  private rowFor(pattern: AccessPattern): RowFunction {
    let row = this.rows.get(pattern);
    if (!row) this.rows.set(pattern, (row = generateRowFunction(this.program, pattern)));
    return row;
  }

  /** The program's outputs for these inputs (fresh contiguous tensors, from the current allocator). */
  run(inputs: readonly Tensor[]): Tensor[] {
    const { program } = this;
    if (inputs.length !== program.inputs.length) throw new FlowgradError(`fused kernel: expected ${program.inputs.length} inputs, got ${inputs.length}`);
    inputs.forEach((t, i) => {
      if (t.dtype !== program.inputs[i]) throw new FlowgradError(`fused kernel: input ${i} expected dtype ${program.inputs[i]}, got ${t.dtype}`);
    });
    let shape: number[] = [...inputs[0].shape];
    for (let i = 1; i < inputs.length; i++) shape = broadcastShapes('fused', shape, inputs[i].shape, `input ${i}`) as number[];
    // Uninitialized: every element is written, and a recycling allocator need not clear the buffer.
    const outs = this.outDtypes.map((dtype) => Tensor.uninitialized(shape, dtype, inputs[0].device));
    const n = sizeOf(shape);
    if (n === 0) return outs;
    const data = inputs.map((t) => t.storage.data);
    const outData = outs.map((t) => t.storage.data);
    const inputStrides = inputs.map((t) => broadcastStrides(t.shape, t.strides, shape));
    const [dims, strides] = collapseDims(shape, [...inputStrides, contiguousStrides(shape)]);
    strides.pop();
    const inner = dims.length - 1;
    const innerStrides = strides.map((s) => s[inner] ?? 0);
    const pattern = innerStrides.map((s) => (s === 0 ? 'c' : s === 1 ? 'u' : 's')).join('');
    const row = this.rowFor(pattern);
    const offsets = inputs.map((t) => t.offset);
    const count = dims[inner];
    if (inner === 0) {
      row(data, offsets, innerStrides, outData, 0, count);
      return outs;
    }
    // Outer dims walked like an odometer, one row call per step.
    const index = new Array<number>(inner).fill(0);
    for (let pos = 0; pos < n; pos += count) {
      row(data, offsets, innerStrides, outData, pos, count);
      for (let d = inner - 1; d >= 0; d--) {
        index[d]++;
        for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
        if (index[d] < dims[d]) break;
        for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * dims[d];
        index[d] = 0;
      }
    }
    return outs;
  }
}
