/** @file The nn namespace (`fg.nn`): modules, layers, losses and initialisers. */
export { Module, type StateDict } from './module.js';
export { Parameter } from './parameter.js';
export type { LoadStateDictOptions, LoadStateDictResult } from './stateDict.js';
export { Linear, type LinearOptions } from './linear.js';
export { Conv2d, type Conv2dLayerOptions } from './conv.js';
export { MaxPool2d, AvgPool2d, type Pool2dLayerOptions } from './pooling.js';
export { BatchNorm2d, type BatchNormOptions } from './batchNorm.js';
export { ReLU, Tanh, Sigmoid } from './activation.js';
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export { Sequential } from './sequential.js';
export { CrossEntropyLoss, MSELoss, mseLoss } from './loss.js';
export { functionalCall } from './functionalCall.js';
/** Weight initialisers (`fg.nn.init.kaimingUniform_(w)`), PyTorch's torch.nn.init. */
export * as init from './init.js';
