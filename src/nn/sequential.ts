/** @file Sequential: a chain of modules, each fed the previous one's output. */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Runs its modules in order (PyTorch's nn.Sequential). They are registered under the names
 * '0', '1', …, so parameters are named '0.weight', '2.bias' and so on.
 *
 *     new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10))
 */
export class Sequential extends Module {
  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ValueError('Sequential', `layers[${i}]`, 'a Module', m);
      this.registerModule(String(i), m);
    });
  }

  /** The number of modules. */
  get length(): number {
    return [...this.children()].length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const layers = [...this.children()] as Module[];
    const i = Number.isInteger(index) && index < 0 ? index + layers.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= layers.length) throw new ValueError('Sequential.at', 'index', `an integer in [${-layers.length}, ${layers.length - 1}]`, index);
    return layers[i];
  }

  /** Appends a module; returns this. */
  append(layer: Module): this {
    if (!(layer instanceof Module)) throw new ValueError('Sequential.append', 'layer', 'a Module', layer);
    this.registerModule(String(this.length), layer);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return (this.children() as Generator<Module>)[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.children() as Generator<Module>) y = layer.call(y);
    return y;
  }
}
