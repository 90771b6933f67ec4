/**
 * @file The public API: `import * as fg from 'flowgrad'`. See API.md for the contract.
 */
import './tensorMethods.js';
import './autodiff/tape.js';
import './autodiff/forward.js';
import './graphMethods.js';
import { registerWasmKernels } from './kernels/wasm/index.js';
import { registerFastPoolKernels } from './kernels/fast/pool.js';
import { registerFastSumKernel } from './kernels/fast/sum.js';
/** Starts the kernel thread pool ahead of the first big op (it otherwise starts lazily); resolves when ready. */
export { warmUpPool } from './kernels/wasm/pool.js';

// The WebAssembly SIMD backend and the fast JS kernels are on by default; FLOWGRAD_BACKEND=reference opts out.
registerWasmKernels();
registerFastPoolKernels();
registerFastSumKernel();

export { Tensor } from './tensor/tensor.js';
export { emptyCache } from './tensor/recycler.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export type { TensorOptions, TensorData, NestedArray } from './tensor/create.js';
export { tensor, zeros, ones, full, arange, eye, linspace, zerosLike, onesLike } from './tensor/create.js';
export { manualSeed } from './tensor/random.js';
export { promoteTypes } from './tensor/dtype.js';
export { FlowgradError, ShapeError, DTypeError, AxisError, ValueError, AutogradError, TraceError, GraphFormatError } from './errors.js';

export { add, sub, mul, div, pow, maximum, minimum, clamp } from './ops/elementwise/binary.js';
export { neg, abs, exp, log, sqrt, sin, cos, tanh, sigmoid, relu, sign, square, reciprocal } from './ops/elementwise/unary.js';
export { eq, ne, lt, le, gt, ge } from './ops/elementwise/compare.js';
export { where } from './ops/elementwise/where.js';
export { addN } from './ops/elementwise/addN.js';
export { cast } from './ops/elementwise/cast.js';
export { matmul } from './ops/linalg/matmul.js';
export { sum, mean } from './ops/reduce/sum.js';
export { max, min, argmax, argmin } from './ops/reduce/minmax.js';
export { prod } from './ops/reduce/prod.js';
export { reshape, view, flatten } from './ops/movement/reshape.js';
export { expand } from './ops/movement/expand.js';
export { clone, contiguous } from './ops/movement/clone.js';
export { permute, transpose } from './ops/movement/permute.js';
export { squeeze, unsqueeze } from './ops/movement/squeeze.js';
export { slice } from './ops/movement/slice.js';
export { concat, stack } from './ops/movement/concat.js';
export { gather, indexSelect } from './ops/movement/gather.js';
export { scatterAdd, indexAdd } from './ops/movement/scatterAdd.js';
export { softmax, logSoftmax } from './ops/nn/softmax.js';
export { crossEntropy } from './ops/nn/crossEntropy.js';
export { nllLoss } from './ops/nn/nllLoss.js';
export { conv2d, type Conv2dOptions } from './ops/nn/conv2d.js';
export { maxPool2d, avgPool2d, type Pool2dOptions } from './ops/nn/pool.js';
export { batchNorm } from './ops/nn/batchNorm.js';
export { dropout } from './ops/nn/dropout.js';
export { rand, randn } from './ops/creation/random.js';
export { add_, sub_, mul_, div_, copy_, fill_, zero_, exp_, log_, sqrt_, tanh_, sigmoid_, relu_, neg_, abs_ } from './ops/inplace.js';
export { noGrad, enableGrad, isGradEnabled } from './ops/gradMode.js';
export { jvp } from './autodiff/forward.js';
export type { BackwardOptions } from './autodiff/backward.js';

// Graphs: trace and jit, the IR, graph autodiff and execution.
export { Graph, GraphBuilder } from './ir/graph.js';
export { Node, type AttrValue } from './ir/node.js';
export { Value } from './ir/value.js';
export { printGraph } from './ir/printer.js';
export { parseGraph } from './ir/parser.js';
export { verifyGraph } from './ir/verify.js';
export { graphToJSON, graphFromJSON, toDot } from './ir/serialize.js';
export { graphsEqual, graphDifference } from './ir/equal.js';
export { GraphInterpreter } from './ir/interpreter.js';
export { spec, trace, Spec } from './ir/trace.js';
export { registerExecutor, type Executable } from './runtime/compile.js';
export { compile, type CompileOptions } from './passes/compile.js';
export { optimize, DEFAULT_PASSES, type OptimizeOptions } from './passes/optimize.js';
export { runPasses, registerPass, availablePasses, type GraphPass, type PassSpec, type PassRecord, type PassRun, type RunPassesOptions } from './passes/manager.js';
export type { CheckOptions, Mismatch } from './passes/differential.js';
export { fusion, unfuse, type FusionOptions } from './passes/fusion.js';
// Control flow: cond, whileLoop, scan (importing registers their graph ops, runners and autodiff rules).
export { cond, whileLoop, scan, type ScanOptions } from './control/index.js';
export type { ExecutionStats } from './runtime/sequential.js';
export { gradGraph, type GradGraphOptions } from './autodiff/graph.js';
export { grad, valueAndGrad, vjp, hessian, type GradTransformOptions } from './autodiff/functional.js';
export { jit, type JitOptions, type Jitted } from './jit/jit.js';

/** Modules, layers, losses and initialisers: `fg.nn.Linear`, `fg.nn.init.kaimingUniform_`, … */
export * as nn from './nn/index.js';
/** Optimizers and learning-rate schedulers: `fg.optim.SGD`, `fg.optim.Adam`, `fg.optim.StepLR`, … */
export * as optim from './optim/index.js';
/** Datasets, the DataLoader and the MNIST digits: `fg.data.DataLoader`, `fg.data.loadMnist`, … */
export * as data from './data/index.js';
export { save, load, type TensorDict } from './io/checkpoint.js';
export type { GradOptions } from './autodiff/api.js';

/** Reverse-mode autograd: `fg.autograd.grad`, `fg.autograd.Function`, `fg.autograd.gradcheck`, … */
export * as autograd from './autodiff/autograd.js';

/** The HTML report: graphs laid out with elkjs, training curves as SVG. */
export { writeReport, renderReport, type ReportOptions, type ReportGraph, type ReportCurve } from './report/index.js';
