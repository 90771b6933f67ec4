/** @file The `fg.autograd` namespace: reverse-mode entry points and custom Functions. */
export { grad, backward, type GradOptions } from './api.js';
export { Function, FunctionCtx } from './function.js';
export { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck.js';
