/** @file The optim namespace (`fg.optim`): optimizers and learning-rate schedulers. */
export { Optimizer, type ParamGroup, type ParamState, type ParamsArg, type OptimizerStateDict, type BaseHyper } from './optimizer.js';
export { SGD, sgdUpdate, type SGDHyper } from './sgd.js';
export { Adam, AdamW, adamUpdate, type AdamHyper, type AdamMoments } from './adam.js';
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, LambdaLR } from './lrScheduler.js';
