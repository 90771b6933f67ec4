/**
 * @file Running a body subgraph through the dispatcher (eager evaluation of a recorded node,
 * and re-tracing it inside another body), and its adjoint, which the VJP rules build on.
 */
import { internal } from '../errors.js';
import { emitAdjoint, replay } from '../autodiff/graph.js';
import { Graph } from '../ir/graph.js';
import { cast } from '../ops/elementwise/cast.js';
import { mul } from '../ops/elementwise/binary.js';
import { shapeStr, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** `body`'s results on `inputs`, each op applied through the dispatcher (so the tape or a trace sees it). */
export function runBody(body: Graph, inputs: readonly Tensor[]): Tensor[] {
  const env = replay(body, inputs);
  return body.outputs.map((v) => env.get(v)!);
}

/**
 * The VJP of `body` at `inputs`: the gradients of the body inputs `wrt` given cotangents for
 * its outputs `outIdx` (zeros where no gradient flows). The forward is replayed here, so the
 * caller needs only the body's inputs (the body is rematerialised rather than its values saved).
 */
export function bodyVjp(body: Graph, inputs: readonly Tensor[], cotangents: readonly Tensor[], outIdx: readonly number[], wrt: readonly number[]): Tensor[] {
  const env = replay(body, inputs);
  const cut = new Graph(body.name, body.inputs, body.nodes, outIdx.map((k) => body.outputs[k]));
  const grads = emitAdjoint(cut, env, cotangents, wrt.map((i) => body.inputs[i]));
  return grads.map((g, j) => gradientFor(g, inputs[wrt[j]]));
}

/** `g` as the gradient of `x`: zeros when none flows, in x's dtype. */
export function gradientFor(g: Tensor | null, x: Tensor): Tensor {
  if (g === null) return mul(x, 0);
  if (!shapesEqual(g.shape, x.shape)) throw internal(`a gradient of shape ${shapeStr(g.shape)} for an input of shape ${shapeStr(x.shape)}`);
  return g.dtype === x.dtype ? g : cast(g, x.dtype);
}
