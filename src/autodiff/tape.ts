/**
 * @file The eager tape: the autograd dispatch key that records one Function node per
 * differentiable op call whose inputs require grad.
 */
import { internal } from '../errors.js';
import { type DispatchKey, type Next, registerDispatchKey } from '../ops/dispatch.js';
import type { OpSchema, RuleContext } from '../ops/schema.js';
import { isFloating } from '../tensor/dtype.js';
import { shapesEqual, shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { isGradEnabled } from '../ops/gradMode.js';
import { FunctionNode, attachOutputs } from './node.js';

const backwardName = (op: string): string => `${op[0].toUpperCase()}${op.slice(1)}Backward`;

/** A node whose backward is the op schema's VJP rule. */
class OpNode extends FunctionNode {
  private readonly inputCount: number;
  constructor(
    private readonly schema: OpSchema<any>,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    private readonly attrs: unknown,
    outTypes: readonly TensorType[],
  ) {
    super(backwardName(schema.name), inputs, outTypes);
    this.inputCount = inputs.length;
    this.save([...inputs, ...outputs]);
  }

  apply(grads: readonly Tensor[]): readonly (Tensor | null)[] {
    const saved = this.savedTensors();
    const ctx: RuleContext<any> = {
      inputs: saved.slice(0, this.inputCount),
      outputs: saved.slice(this.inputCount),
      attrs: this.attrs,
      needsGrad: this.next.map((e) => e !== null),
    };
    const result = this.schema.vjp!(ctx, grads);
    result.forEach((g, i) => {
      const x = ctx.inputs[i];
      if (g && !shapesEqual(g.shape, x.shape)) {
        throw internal(`vjp of '${this.schema.name}' gave input ${i} a gradient of shape ${shapeStr(g.shape)}, input has ${shapeStr(x.shape)}`);
      }
    });
    return result;
  }
}

export const autogradKey: DispatchKey = {
  name: 'autograd',
  priority: 50,
  wants(schema, inputs) {
    if (schema.vjp === undefined || !isGradEnabled()) return false;
    for (const t of inputs) if (t.requiresGrad) return true;
    return false;
  },
  call(schema, inputs, attrs, outTypes, next: Next) {
    const outputs = next(inputs);
    if (!outputs.some((o) => isFloating(o.dtype))) return outputs;
    attachOutputs(new OpNode(schema, inputs, outputs, attrs, outTypes), outputs);
    return outputs;
  },
};

registerDispatchKey(autogradKey);
