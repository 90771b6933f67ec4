/**
 * @file Forward mode: JVP by dual numbers, as a dispatch key.
 *
 * Each `jvp` call opens a level holding tangents for the tensors of that call. When an op
 * has an input with a tangent at some level, the key runs the op and the op's JVP rule with
 * only the levels below it visible, so the rule's own ops are seen (and differentiated) by
 * enclosing levels: nested `jvp` gives higher derivatives, as in JAX.
 */
import { FlowgradError, ShapeError, ValueError } from '../errors.js';
import { type DispatchKey, applyOp, registerDispatchKey } from '../ops/dispatch.js';
import { zeros } from '../tensor/create.js';
import { isFloating } from '../tensor/dtype.js';
import { shapesEqual, shapeStr } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { makeView } from '../kernels/reference/views.js';

const levels: WeakMap<Tensor, Tensor>[] = [];
/** How many levels (from the outermost) the op now being dispatched can see. */
let visible = 0;

function innermostLevelOf(inputs: readonly Tensor[]): number {
  for (let k = visible - 1; k >= 0; k--) for (const t of inputs) if (levels[k].has(t)) return k;
  return -1;
}

const forwardKey: DispatchKey = {
  name: 'forwardAD',
  priority: 100,
  wants: (_schema, inputs) => visible > 0 && innermostLevelOf(inputs) >= 0,
  call(schema, inputs, attrs) {
    const k = innermostLevelOf(inputs);
    const tangents = levels[k];
    const saved = visible;
    visible = k;
    try {
      const outputs = applyOp(schema.name, inputs, attrs);
      if (!outputs.some((o) => isFloating(o.dtype))) return outputs;
      if (!schema.jvp) throw new FlowgradError(`jvp: op '${schema.name}' has no forward-mode (JVP) rule`);
      const tin = inputs.map((t) => tangents.get(t) ?? zeros(t.shape as number[], { dtype: t.dtype, device: t.device }));
      const tout = schema.jvp({ inputs, outputs, attrs }, tin);
      outputs.forEach((o, i) => {
        if (isFloating(o.dtype) && tout[i]) tangents.set(o, tout[i]);
      });
      return outputs;
    } finally {
      visible = saved;
    }
  },
};
registerDispatchKey(forwardKey);

/** Whether `t` carries a tangent that the op now being dispatched can see (graph-only ops without a JVP rule refuse those). */
export const hasTangent = (t: Tensor): boolean => visible > 0 && innermostLevelOf([t]) >= 0;

type Tensors = Tensor | Tensor[];

/**
 * Evaluates `f(...primals)` and its directional derivative along `tangents` in one pass:
 * returns `[outputs, outputTangents]`.
 */
export function jvp<T extends Tensors>(f: (...xs: Tensor[]) => T, primals: Tensor[], tangents: Tensor[]): [T, T] {
  if (typeof f !== 'function') throw new ValueError('jvp', 'f', 'a function', f);
  if (!Array.isArray(primals)) throw new ValueError('jvp', 'primals', 'an array of tensors', primals);
  if (!Array.isArray(tangents) || tangents.length !== primals.length) {
    throw new ValueError('jvp', 'tangents', `an array of ${primals.length} tensors (one per primal)`, tangents);
  }
  const level = new WeakMap<Tensor, Tensor>();
  const seen = new Set<Tensor>();
  const inputs = primals.map((p, i) => {
    if (!(p instanceof Tensor)) throw new ValueError('jvp', `primals[${i}]`, 'a Tensor', p);
    const t = tangents[i];
    if (!(t instanceof Tensor)) throw new ValueError('jvp', `tangents[${i}]`, 'a Tensor', t);
    if (!shapesEqual(t.shape, p.shape)) throw new ShapeError('jvp', `tangents[${i}]`, shapeStr(p.shape), shapeStr(t.shape));
    // A tensor passed twice gets a detached alias the second time, so it can carry its own tangent.
    const x = seen.has(p) ? makeView(p, p.shape, p.strides) : p;
    seen.add(p);
    level.set(x, t);
    return x;
  });
  levels.push(level);
  const saved = visible;
  visible = levels.length;
  try {
    const out = f(...inputs);
    const list = Array.isArray(out) ? out : [out];
    const touts = list.map((o, i) => {
      if (!(o instanceof Tensor)) throw new ValueError('jvp', `f's output ${i}`, 'a Tensor', o);
      return level.get(o) ?? zeros(o.shape as number[], { dtype: o.dtype, device: o.device });
    });
    return [out, (Array.isArray(out) ? touts : touts[0]) as T];
  } finally {
    visible = saved;
    levels.pop();
  }
}
