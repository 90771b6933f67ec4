/**
 * @file Custom autograd Functions (PyTorch's torch.autograd.Function):
 *
 *     class MyReLU extends fg.autograd.Function {
 *       static forward(ctx, x) { ctx.saveForBackward(x); return x.relu(); }
 *       static backward(ctx, g) { const [x] = ctx.savedTensors; return g.mul(x.gt(0)); }
 *     }
 *     MyReLU.apply(x);
 */
import { AutogradError, ShapeError, ValueError } from '../errors.js';
import { makeView } from '../kernels/reference/views.js';
import { cast } from '../ops/elementwise/cast.js';
import { isFloating } from '../tensor/dtype.js';
import { shapesEqual, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled, noGrad } from '../ops/gradMode.js';
import { FunctionNode, attachOutputs } from './node.js';

/** The `ctx` a custom Function's forward and backward share. */
export class FunctionCtx {
  private saved: readonly Tensor[] = [];
  private node: CustomNode | null = null;
  /** For each forward argument: whether it is a tensor that requires grad. */
  needsInputGrad: readonly boolean[] = [];
  [key: string]: unknown;

  /** Keeps tensors for backward (checked against later in-place changes). */
  saveForBackward(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ValueError('saveForBackward', `tensors[${i}]`, 'a Tensor', t);
    });
    this.saved = tensors;
  }

  get savedTensors(): readonly Tensor[] {
    return this.node ? this.node.saved() : this.saved;
  }

  /** @internal */
  bind(node: CustomNode): readonly Tensor[] {
    this.node = node;
    return this.saved;
  }
}

class CustomNode extends FunctionNode {
  constructor(
    name: string,
    private readonly fn: typeof Function,
    private readonly ctx: FunctionCtx,
    private readonly tensorArgs: readonly Tensor[],
    private readonly argIsTensor: readonly boolean[],
    outputs: readonly Tensor[],
  ) {
    super(name, tensorArgs, outputs);
    this.save(ctx.bind(this));
  }

  saved(): Tensor[] {
    return this.savedTensors();
  }

  apply(grads: readonly Tensor[]): readonly (Tensor | null)[] {
    this.savedTensors(); // throws if released
    const raw = this.fn.backward(this.ctx, ...grads);
    const list = Array.isArray(raw) ? raw : [raw];
    // backward returns one entry per forward argument; keep those of tensor arguments.
    const perArg = list.length === this.argIsTensor.length ? list : list.length === this.tensorArgs.length ? null : undefined;
    if (perArg === undefined) {
      throw new AutogradError(`${this.name}: backward returned ${list.length} gradients, expected one per forward argument (${this.argIsTensor.length})`);
    }
    const grads2 = perArg ? perArg.filter((_, i) => this.argIsTensor[i]) : list;
    return grads2.map((g, i) => {
      if (g === null || g === undefined) return null;
      if (!(g instanceof Tensor)) throw new ValueError(this.name, `gradient ${i}`, 'a Tensor or null', g);
      const x = this.tensorArgs[i];
      if (!shapesEqual(g.shape, x.shape)) throw new ShapeError(this.name, `gradient ${i}`, `${shapeStr(x.shape)} (the input's shape)`, shapeStr(g.shape));
      // A gradient takes its input's dtype (as PyTorch casts it), whatever dtype backward computed in.
      return g.dtype === x.dtype || !isFloating(x.dtype) ? g : cast(g, x.dtype);
    });
  }
}

/** Base class of custom differentiable functions; subclasses define static forward and backward. */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: any[]): Tensor | Tensor[] {
    throw new AutogradError(`${this.name}: a custom Function must define static forward(ctx, ...args)`);
  }
  static backward(_ctx: FunctionCtx, ..._grads: Tensor[]): Tensor | null | (Tensor | null)[] {
    throw new AutogradError(`${this.name}: a custom Function must define static backward(ctx, ...grads) to be differentiated`);
  }

  /** Runs forward without recording, then records one node whose backward is this class's. */
  static apply(...args: any[]): any {
    const ctx = new FunctionCtx();
    const argIsTensor = args.map((a) => a instanceof Tensor);
    const tensorArgs = args.filter((a): a is Tensor => a instanceof Tensor);
    ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const raw = noGrad(() => this.forward(ctx, ...args));
    const single = !Array.isArray(raw);
    const outs = (single ? [raw] : raw).map((o, i) => {
      if (!(o instanceof Tensor)) throw new ValueError(`${this.name}.forward`, `output ${i}`, 'a Tensor', o);
      // An input returned as is must not have its gradFn overwritten: give out an alias.
      return tensorArgs.includes(o) ? makeView(o, o.shape, o.strides) : o;
    });
    if (isGradEnabled() && tensorArgs.some((t) => t.requiresGrad)) {
      const node = new CustomNode(`${this.name}Backward`, this, ctx, tensorArgs, argIsTensor, outs);
      attachOutputs(node, outs);
    }
    return single ? outs[0] : outs;
  }
}
