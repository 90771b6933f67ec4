/** @file Linear: y = x·Wᵀ + b over the last dim (PyTorch's nn.Linear). */
import { ShapeError, ValueError } from '../errors.js';
import { add } from '../ops/elementwise/binary.js';
import { matmul } from '../ops/linalg/matmul.js';
import { permute } from '../ops/movement/permute.js';
import { zeros } from '../tensor/create.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultLayerInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { type FloatDType, checkFloatDType, checkPositiveInt } from './checks.js';

export interface LinearOptions {
  /** Whether to learn an additive bias (default true). */
  bias?: boolean;
  /** The parameters' dtype (default float32). */
  dtype?: FloatDType;
}

/**
 * A fully connected layer: `weight` [outFeatures, inFeatures] and `bias` [outFeatures],
 * initialised as PyTorch does (U(±1/√inFeatures) for both). Input [..., inFeatures],
 * output [..., outFeatures].
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, { bias = true, dtype = 'float32' }: LinearOptions = {}) {
    super();
    this.inFeatures = checkPositiveInt('Linear', 'inFeatures', inFeatures, 0);
    this.outFeatures = checkPositiveInt('Linear', 'outFeatures', outFeatures, 0);
    if (typeof bias !== 'boolean') throw new ValueError('Linear', 'bias', 'a boolean', bias);
    checkFloatDType('Linear', dtype);
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = bias ? new Parameter(zeros([outFeatures], { dtype })) : null;
    defaultLayerInit(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    const last = x.shape[x.ndim - 1];
    if (x.ndim === 0 || (typeof last === 'number' && last !== this.inFeatures)) {
      throw new ShapeError('Linear', 'input', `[..., ${this.inFeatures}] (last dim = inFeatures)`, shapeStr(x.shape));
    }
    const y = matmul(x, permute(this.weight, [1, 0]));
    return this.bias ? add(y, this.bias) : y;
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
