/** @file Conv2d: 2-d convolution over NCHW input with learned filters (PyTorch's nn.Conv2d). */
import { ShapeError, ValueError } from '../errors.js';
import { conv2d } from '../ops/nn/conv2d.js';
import { zeros } from '../tensor/create.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FloatDType, checkFloatDType, checkPair, checkPositiveInt } from './checks.js';
import { defaultLayerInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface Conv2dLayerOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  /** Channels split into this many independent groups (inChannels and outChannels divisible by it). */
  groups?: number;
  bias?: boolean;
  dtype?: FloatDType;
}

/**
 * A 2-d convolution layer: `weight` [outChannels, inChannels/groups, kH, kW] and `bias`
 * [outChannels], initialised as PyTorch does (U(±1/√fanIn), fanIn = inChannels/groups·kH·kW).
 * Input [N, inChannels, H, W], output [N, outChannels, OH, OW].
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], opts: Conv2dLayerOptions = {}) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ValueError('Conv2d', 'options', 'an object { stride, padding, dilation, groups, bias, dtype }', opts);
    const { bias = true, dtype = 'float32', groups = 1 } = opts;
    this.inChannels = checkPositiveInt('Conv2d', 'inChannels', inChannels);
    this.outChannels = checkPositiveInt('Conv2d', 'outChannels', outChannels);
    this.kernelSize = checkPair('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = checkPair('Conv2d', 'stride', opts.stride ?? 1, 1);
    this.padding = checkPair('Conv2d', 'padding', opts.padding ?? 0, 0);
    this.dilation = checkPair('Conv2d', 'dilation', opts.dilation ?? 1, 1);
    this.groups = checkPositiveInt('Conv2d', 'groups', groups);
    if (inChannels % groups !== 0) throw new ValueError('Conv2d', 'inChannels', `a multiple of groups = ${groups}`, inChannels);
    if (outChannels % groups !== 0) throw new ValueError('Conv2d', 'outChannels', `a multiple of groups = ${groups}`, outChannels);
    if (typeof bias !== 'boolean') throw new ValueError('Conv2d', 'bias', 'a boolean', bias);
    checkFloatDType('Conv2d', dtype);
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, ...this.kernelSize], { dtype }));
    this.bias = bias ? new Parameter(zeros([outChannels], { dtype })) : null;
    defaultLayerInit(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || (typeof x.shape[1] === 'number' && x.shape[1] !== this.inChannels)) {
      throw new ShapeError('Conv2d', 'input', `[N, ${this.inChannels}, H, W] (NCHW with inChannels channels)`, shapeStr(x.shape));
    }
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const pair = (p: [number, number]): string => `[${p.join(', ')}]`;
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${pair(this.kernelSize)}, stride=${pair(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pair(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pair(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=false';
    return s;
  }
}
