/**
 * @file Function nodes: what the tape records for each differentiable op call.
 *
 * A node holds the tensors its rule needs (saved inputs and outputs, checked against
 * in-place modification by storage version) and one edge per input: to the node that
 * made that input, or to the leaf whose `.grad` receives it.
 */
import { AutogradError } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { GradNode, Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';

export interface Edge {
  /** The producer of the input, or null for a leaf (then `leaf` is set). */
  readonly node: FunctionNode | null;
  readonly outputIndex: number;
  readonly leaf: Tensor | null;
}

export abstract class FunctionNode implements GradNode {
  /** Edges per input; null where the input needs no gradient. */
  readonly next: readonly (Edge | null)[];
  /** Types of the outputs, to make zero gradients for outputs nobody used. */
  readonly outputTypes: readonly TensorType[];
  private released = false;
  private savedVersions: number[] = [];
  private savedList: Tensor[] = [];

  constructor(
    readonly name: string,
    inputs: readonly Tensor[],
    outputTypes: readonly TensorType[],
  ) {
    this.next = inputs.map(edgeTo);
    this.outputTypes = outputTypes;
  }

  /** Keeps tensors for backward and remembers their storage versions. */
  protected save(tensors: readonly Tensor[]): void {
    // A saved buffer must outlive any dispose() of its tensors until backward has run.
    for (const t of tensors) t.storage.pin();
    this.savedList = [...tensors];
    this.savedVersions = tensors.map((t) => t.storage.version);
  }

  /** The saved tensors, after checking none was freed or modified in place. */
  protected savedTensors(): Tensor[] {
    if (this.released) {
      throw new AutogradError(
        `${this.name}: trying to backward through the graph a second time (or to read saved tensors after they were freed). ` +
          'Pass { retainGraph: true } to the first backward() to keep the graph.',
      );
    }
    this.savedList.forEach((t, i) => {
      if (t.storage.version !== this.savedVersions[i]) {
        throw new AutogradError(
          `${this.name}: a tensor of shape [${t.shape.join(', ')}] needed for the gradient was modified by an in-place op ` +
            `(version ${t.storage.version}, saved at ${this.savedVersions[i]}); use the out-of-place op instead`,
        );
      }
    });
    return this.savedList;
  }

  /** Frees saved tensors once backward no longer needs them (unless retainGraph). */
  release(): void {
    this.released = true;
    this.savedList = [];
  }

  /** One gradient per output in, one per input out (null where none). */
  abstract apply(grads: readonly Tensor[]): readonly (Tensor | null)[];
}

function edgeTo(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  if (t.gradFn) return { node: t.gradFn as FunctionNode, outputIndex: t.outputIndex, leaf: null };
  return { node: null, outputIndex: 0, leaf: t };
}

/** Marks `outputs` as made by `node`. */
export function attachOutputs(node: FunctionNode, outputs: readonly Tensor[]): void {
  outputs.forEach((o, i) => {
    // Every output keeps its position (backward gets one gradient per output), but only
    // floating ones join the tape: int and bool outputs (indices, masks) carry no gradient.
    if (!isFloating(o.dtype)) return;
    o.gradFn = node;
    o.outputIndex = i;
    o.setRequiresGradUnchecked(true);
  });
}
