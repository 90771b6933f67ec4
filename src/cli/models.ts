/**
 * @file The built-in models `flowgrad graph` draws: a small MLP and LeNet-5, written with fg
 * ops directly (parameters are graph inputs), traced to a loss graph, plus their gradient
 * graphs. Weights of the fully connected layers are [in, out], as `matmul(x, w)` reads them.
 */
import * as fg from '../index.js';
import { splitGradGraph } from '../autodiff/graph.js';
import type { DType } from '../tensor/dtype.js';

type Graph = fg.Graph;
type Tensor = fg.Tensor;

export const MODEL_NAMES = ['mlp', 'lenet'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

interface InputSpec {
  readonly name: string;
  readonly shape: readonly (number | 'B')[];
  readonly dtype?: DType;
}

interface ModelDef {
  readonly description: string;
  /** Data inputs first (`x`, `labels`), then the parameters. */
  readonly inputs: readonly InputSpec[];
  readonly dataInputs: number;
  readonly loss: (...args: Tensor[]) => Tensor;
}

const linear = (x: Tensor, w: Tensor, b: Tensor): Tensor => fg.add(fg.matmul(x, w), b);

function mlp(x: Tensor, labels: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  const hidden = fg.relu(linear(x, w1, b1));
  return fg.crossEntropy(linear(hidden, w2, b2), labels);
}

function lenet5(x: Tensor, labels: Tensor, c1w: Tensor, c1b: Tensor, c2w: Tensor, c2b: Tensor, ...fc: Tensor[]): Tensor {
  let h = fg.maxPool2d(fg.relu(fg.conv2d(x, c1w, c1b, { padding: 2 })), 2);
  h = fg.maxPool2d(fg.relu(fg.conv2d(h, c2w, c2b)), 2);
  h = fg.reshape(h, [-1, 16 * 5 * 5]);
  h = fg.relu(linear(h, fc[0], fc[1]));
  h = fg.relu(linear(h, fc[2], fc[3]));
  return fg.crossEntropy(linear(h, fc[4], fc[5]), labels);
}

const MODELS: Readonly<Record<ModelName, ModelDef>> = {
  mlp: {
    description: 'MLP 784-128-10 with ReLU and cross-entropy loss',
    dataInputs: 2,
    inputs: [
      { name: 'x', shape: ['B', 784] },
      { name: 'labels', shape: ['B'], dtype: 'int32' },
      { name: 'fc1.weight', shape: [784, 128] },
      { name: 'fc1.bias', shape: [128] },
      { name: 'fc2.weight', shape: [128, 10] },
      { name: 'fc2.bias', shape: [10] },
    ],
    loss: mlp,
  },
  lenet: {
    description: 'LeNet-5 (conv 6@5x5, pool, conv 16@5x5, pool, fc 120-84-10) with cross-entropy loss',
    dataInputs: 2,
    inputs: [
      { name: 'x', shape: ['B', 1, 28, 28] },
      { name: 'labels', shape: ['B'], dtype: 'int32' },
      { name: 'conv1.weight', shape: [6, 1, 5, 5] },
      { name: 'conv1.bias', shape: [6] },
      { name: 'conv2.weight', shape: [16, 6, 5, 5] },
      { name: 'conv2.bias', shape: [16] },
      { name: 'fc1.weight', shape: [400, 120] },
      { name: 'fc1.bias', shape: [120] },
      { name: 'fc2.weight', shape: [120, 84] },
      { name: 'fc2.bias', shape: [84] },
      { name: 'fc3.weight', shape: [84, 10] },
      { name: 'fc3.bias', shape: [10] },
    ],
    loss: lenet5,
  },
};

/** A model's graphs with names for their inputs and outputs. */
export interface ModelGraphs {
  readonly description: string;
  readonly forward: Graph;
  /** The gradient graph (loss, then one gradient per parameter), or with `split` the backward graph only. */
  readonly backward: Graph;
  readonly backwardOutputNames: readonly string[];
}

/**
 * Traces `name`'s loss for a batch of `batch` examples and differentiates it with respect to
 * the parameters. With `split`, returns the AOT-style forward (which also returns the values
 * the backward pass saves) and backward graphs instead of the loss graph and the joint one.
 */
export function modelGraphs(name: ModelName, batch: number | string, split = false): ModelGraphs {
  const def = MODELS[name];
  const specs = def.inputs.map((i) => fg.spec(i.shape.map((d) => (d === 'B' ? batch : d)), i.dtype));
  const names = def.inputs.map((i) => i.name);
  const params = names.slice(def.dataInputs);
  const wrt = params.map((_, k) => def.dataInputs + k);
  const loss = withInputNames(fg.trace(def.loss, specs), names);
  const gradNames = params.map((p) => `grad ${p}`);
  if (split) {
    const parts = splitGradGraph(loss, wrt);
    return { description: def.description, forward: withInputNames(parts.forward, names), backward: parts.backward, backwardOutputNames: gradNames };
  }
  return { description: def.description, forward: loss, backward: withInputNames(fg.gradGraph(loss, { wrt }), names), backwardOutputNames: ['loss', ...gradNames] };
}

/** A copy of `g` whose first inputs carry `names`, so the IR reads `%conv1.weight` rather than `%2`. */
function withInputNames(g: Graph, names: readonly string[]): Graph {
  const b = new fg.GraphBuilder(g.name);
  const map = new Map(g.inputs.map((v, i) => [v, b.addInput(v.type, names[i] ?? v.name)]));
  const copies = new Map<fg.Node, fg.Node>();
  for (const n of g.nodes) {
    const copy = b.addNode(
      n.op,
      n.inputs.map((v) => map.get(v)!),
      n.attrs,
      n.outputs.map((o) => o.type),
      { device: n.device, source: n.source, subgraphs: n.subgraphs, controlDeps: n.controlDeps.map((d) => copies.get(d)!) },
    );
    copies.set(n, copy);
    n.outputs.forEach((o, i) => map.set(o, copy.outputs[i]));
  }
  return b.build(g.outputs.map((v) => map.get(v)!));
}
