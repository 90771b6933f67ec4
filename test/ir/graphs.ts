/** @file Hand-built graphs shared by the IR and runtime tests, each with inputs to run it on. */
import * as fg from '../../src/index.js';
import { type Graph, GraphBuilder } from '../../src/ir/graph.js';
import { randomTensor } from '../helpers/tensors.js';

export interface Sample {
  readonly graph: Graph;
  /** Concrete inputs, and the same computation done eagerly. */
  readonly inputs: () => fg.Tensor[];
  readonly eager: (...xs: fg.Tensor[]) => fg.Tensor[];
}

/** f(x1, x2) = ln(x1) + x1*x2 − sin(x2) (DESIGN.md's worked example). */
export function lnMulSin(): Sample {
  const b = new GraphBuilder('f');
  const x1 = b.addInput({ shape: [], dtype: 'float64' }, 'x1');
  const x2 = b.addInput({ shape: [], dtype: 'float64' }, 'x2');
  const v1 = b.addOp('log', [x1], {}, { source: 'f.ts:1' }).outputs[0];
  const v2 = b.addOp('mul', [x1, x2], {}, { source: 'f.ts:1' }).outputs[0];
  const v3 = b.addOp('sin', [x2], {}, { source: 'f.ts:1' }).outputs[0];
  const v4 = b.addOp('add', [v1, v2]).outputs[0];
  const v5 = b.addOp('sub', [v4, v3]).outputs[0];
  return {
    graph: b.build([v5]),
    inputs: () => [fg.tensor(2, { dtype: 'float64' }), fg.tensor(5, { dtype: 'float64' })],
    eager: (a, c) => [fg.sub(fg.add(fg.log(a), fg.mul(a, c)), fg.sin(c))],
  };
}

/** A small MLP over a symbolic batch: matmul, add (broadcast bias), relu, sum. */
export function mlp(): Sample {
  const b = new GraphBuilder('mlp');
  const x = b.addInput({ shape: ['batch', 4], dtype: 'float32' }, 'x');
  const w = b.addInput({ shape: [4, 3], dtype: 'float32' }, 'w');
  const bias = b.addInput({ shape: [3], dtype: 'float32' }, 'b');
  const h = b.addOp('matmul', [x, w], {}, { source: 'mlp.ts:12' }).outputs[0];
  const z = b.addOp('add', [h, bias], {}, { source: 'mlp.ts:12' }).outputs[0];
  const r = b.addOp('relu', [z], {}, { source: 'mlp.ts:13' }).outputs[0];
  const s = b.addOp('sum', [r], { axes: [1], keepDim: false }, { source: 'mlp.ts:14' }).outputs[0];
  return {
    graph: b.build([s, r]),
    inputs: () => [randomTensor([2, 4], 1, -1, 1, 'float32'), randomTensor([4, 3], 2, -1, 1, 'float32'), randomTensor([3], 3, -1, 1, 'float32')],
    eager: (xv, wv, bv) => {
      const rv = fg.relu(fg.add(fg.matmul(xv, wv), bv));
      return [fg.sum(rv, 1), rv];
    },
  };
}

/** Constants (small literal and large base64), reshape, cast, where, exp, expand, clone and a control dep. */
export function constantsAndMovement(): Sample {
  const b = new GraphBuilder('consts');
  const x = b.addInput({ shape: [2, 3], dtype: 'float32' }, 'x');
  const small = b.addConstant(fg.tensor([1.5, -2, 0.1], { dtype: 'float32' }));
  const big = b.addConstant(fg.arange(0, 24, { dtype: 'float32' }).reshape([4, 6]));
  const flag = b.addConstant(fg.tensor([true, false, true]));
  const y = b.addOp('mul', [x, small]).outputs[0];
  const e = b.addOp('exp', [y]).outputs[0];
  const flat = b.addOp('reshape', [big], { shape: [2, -1] }).outputs[0];
  const first = b.addOp('sum', [flat], { axes: [0], keepDim: true }).outputs[0];
  const picked = b.addOp('where', [flag, e, y]).outputs[0];
  const asInt = b.addOp('cast', [picked], { dtype: 'int32' }).outputs[0];
  const wide = b.addOp('expand', [small], { shape: [2, 3] }).outputs[0];
  const copy = b.addOp('clone', [wide], {}, { controlDeps: [asInt.producer!], device: 'cpu:0' }).outputs[0];
  return {
    graph: b.build([picked, asInt, first, copy]),
    inputs: () => [randomTensor([2, 3], 4, -1, 1, 'float32')],
    eager: (xv) => {
      const s = fg.tensor([1.5, -2, 0.1], { dtype: 'float32' });
      const yv = fg.mul(xv, s);
      const pv = fg.where(fg.tensor([true, false, true]), fg.exp(yv), yv);
      const bigv = fg.arange(0, 24, { dtype: 'float32' }).reshape([2, 12]);
      return [pv, fg.cast(pv, 'int32'), fg.sum(bigv, 0, true), fg.clone(fg.expand(s, [2, 3]))];
    },
  };
}

/** Names that print bare (`%fc1.weight`) and quoted (`%"my input"`), a symbolic batch, two reductions of one value. */
export function namedInputs(): Sample {
  const b = new GraphBuilder('names');
  const x = b.addInput({ shape: ['batch', 3], dtype: 'float64' }, 'fc1.weight');
  const y = b.addInput({ shape: ['batch', 3], dtype: 'float64' }, 'my input');
  const z = b.addOp('maximum', [x, y]).outputs[0];
  const m = b.addOp('max', [z], { axes: [1], keepDim: false }).outputs[0];
  const i = b.addOp('argmax', [z], { axes: [1], keepDim: false }).outputs[0];
  return {
    graph: b.build([m, i]),
    inputs: () => [randomTensor([5, 3], 7), randomTensor([5, 3], 8)],
    eager: (xv, yv) => {
      const zv = fg.maximum(xv, yv);
      return [fg.max(zv, 1), fg.argmax(zv, 1)];
    },
  };
}

export const allSamples = (): Record<string, Sample> => ({ lnMulSin: lnMulSin(), mlp: mlp(), constantsAndMovement: constantsAndMovement(), namedInputs: namedInputs() });
