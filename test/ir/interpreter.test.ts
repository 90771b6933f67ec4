import { describe, expect, test } from 'vitest';
import { DTypeError, FlowgradError, ShapeError, ValueError } from '../../src/errors.js';
import { GraphBuilder } from '../../src/ir/graph.js';
import { inferOutputTypes } from '../../src/ir/graphOps.js';
import { GraphInterpreter } from '../../src/ir/interpreter.js';
import type { Node } from '../../src/ir/node.js';
import type { TensorType } from '../../src/tensor/type.js';
import { mlp } from './graphs.js';

/** Shape propagation as an interpreter (torch.fx's ShapeProp): values are concrete types. */
class ShapeProp extends GraphInterpreter<TensorType> {
  protected evalNode(node: Node, inputs: readonly TensorType[]): TensorType[] {
    return inferOutputTypes(node.op, inputs, this.concreteAttrs(node), node.subgraphs);
  }
}

const f32 = (...shape: number[]): TensorType => ({ shape, dtype: 'float32' });

describe('GraphInterpreter', () => {
  test('a subclass overriding evalNode propagates concrete shapes, binding batch from the inputs', () => {
    const g = mlp().graph;
    expect(new ShapeProp().run(g, [f32(5, 4), f32(4, 3), f32(3)])).toEqual([f32(5), f32(5, 3)]);
    expect(new ShapeProp().run(g, [f32(1, 4), f32(4, 3), f32(3)])).toEqual([f32(1), f32(1, 3)]);
  });

  test('input count, dtype and shape are checked, naming the input', () => {
    const g = mlp().graph;
    const run = (...ins: TensorType[]) => () => new ShapeProp().run(g, ins);
    expect(run(f32(5, 4))).toThrow(new FlowgradError('graph mlp: expected 3 input(s) (%x, %w, %b), got 1'));
    expect(run(f32(5, 4), { shape: [4, 3], dtype: 'float64' }, f32(3))).toThrow(DTypeError);
    expect(run(f32(5, 4), { shape: [4, 3], dtype: 'float64' }, f32(3))).toThrow("graph mlp: argument '%w' expected dtype float32, got float64");
    expect(run(f32(5, 4), f32(4, 2), f32(3))).toThrow("graph mlp: argument '%w' expected shape [4, 3], got [4, 2]");
    expect(run(f32(5, 4, 1), f32(4, 3), f32(3))).toThrow("graph mlp: argument '%x' expected shape [batch, 4] (2 dims), got [5, 4, 1]");
  });

  test('a symbolic dim must take one size across inputs', () => {
    const b = new GraphBuilder('pair');
    const x = b.addInput({ shape: ['batch', 3], dtype: 'float32' }, 'x');
    const y = b.addInput({ shape: ['batch', 3], dtype: 'float32' }, 'y');
    const g = b.build([b.addOp('add', [x, y]).outputs[0]]);
    expect(new ShapeProp().run(g, [f32(7, 3), f32(7, 3)])).toEqual([f32(7, 3)]);
    const bad = () => new ShapeProp().run(g, [f32(1, 3), f32(7, 3)]);
    expect(bad).toThrow(ShapeError);
    expect(bad).toThrow("graph pair: argument '%y' expected shape [batch, 3] with batch = 1 (set by %x dim 0), got [7, 3]");
  });

  test('strings in a shape attr are replaced by the bound sizes, products included', () => {
    const b = new GraphBuilder('r');
    const x = b.addInput({ shape: ['batch', 2, 3], dtype: 'float32' }, 'x');
    const y = b.addOp('expand', [x], { shape: [4, 'batch', 2, 3] }).outputs[0];
    const g = b.build([y]);
    expect(new ShapeProp().run(g, [f32(5, 2, 3)])).toEqual([f32(4, 5, 2, 3)]);
    const b2 = new GraphBuilder('r2');
    const x2 = b2.addInput({ shape: ['batch*6'], dtype: 'float32' }, 'x');
    const e2 = b2.addOp('expand', [x2], { shape: [2, 'batch*6'] }).outputs[0];
    // batch*6 is checked only when batch is bound by some input; here nothing binds batch.
    expect(() => new ShapeProp().run(b2.build([e2]), [f32(12)])).toThrow("expand: attribute shape uses symbolic dim 'batch*6', which no graph input binds");
  });

  test('errors from evalNode keep their class and gain the node line', () => {
    class Failing extends GraphInterpreter<TensorType> {
      protected evalNode(node: Node): TensorType[] {
        throw new ValueError(node.op, 'x', 'something else', 3);
      }
    }
    let thrown: unknown;
    try {
      new Failing().run(mlp().graph, [f32(2, 4), f32(4, 3), f32(3)]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValueError);
    expect((thrown as Error).message).toBe("matmul: argument 'x' expected something else, got 3\n  while running %3: f32[batch,3] = matmul %x, %w  # mlp.ts:12");
  });
});
