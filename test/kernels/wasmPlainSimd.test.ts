/**
 * @file The plain-SIMD fallback build (for engines without relaxed SIMD) against the
 * reference kernels. FLOWGRAD_WASM_SIMD=plain must be set before the module first loads,
 * which happens lazily at the first wasm kernel call in this test file's own worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { wasmKernels } from '../../src/kernels/wasm/module.js';
import { expectMatchesReference, randomF32, transposed } from './wasmHelpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

const previous = process.env.FLOWGRAD_WASM_SIMD;
process.env.FLOWGRAD_WASM_SIMD = 'plain';
afterAll(() => {
  if (previous === undefined) delete process.env.FLOWGRAD_WASM_SIMD;
  else process.env.FLOWGRAD_WASM_SIMD = previous;
});

describe.skipIf(REFERENCE_ONLY)('wasm kernels, plain-SIMD build', () => {
  it('is the build in use', () => {
    expect(wasmKernels().relaxedSimd).toBe(false);
  });
  it('matmul (own micro-kernel and packing) matches the reference', () => {
    for (const [m, k, n] of [[1, 1, 1], [17, 65, 33], [127, 3, 65], [200, 300, 150], [128, 40, 10], [33, 9, 3]]) {
      expectMatchesReference('matmul', [randomF32([m, k], m), randomF32([k, n], n)], {}, { rtol: 1e-5, atol: 1e-6 * k });
      expectMatchesReference('matmul', [transposed(randomF32([k, m], 1)), transposed(randomF32([n, k], 2))], {}, { rtol: 1e-5, atol: 1e-6 * k });
    }
  });
  it('conv2d and its backward ops match the reference', () => {
    const attrs = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
    const tol = { rtol: 2e-5, atol: 1e-5 };
    expectMatchesReference('conv2d', [randomF32([2, 3, 9, 7], 1), randomF32([5, 3, 3, 3], 2)], attrs, tol);
    expectMatchesReference('conv2dBackwardInput', [randomF32([2, 5, 9, 7], 3), randomF32([5, 3, 3, 3], 4)], { ...attrs, inputShape: [2, 3, 9, 7] }, tol);
    expectMatchesReference('conv2dBackwardWeight', [randomF32([2, 3, 9, 7], 5), randomF32([2, 5, 9, 7], 6)], { ...attrs, weightShape: [5, 3, 3, 3] }, tol);
    // Winograd (≥ 16 channels each way) and the implicit gemm with stride 2.
    expectMatchesReference('conv2d', [randomF32([2, 16, 9, 11], 7), randomF32([17, 16, 3, 3], 8)], attrs, { rtol: 2e-5, atol: 2e-5 });
    expectMatchesReference('conv2dBackwardInput', [randomF32([2, 17, 9, 11], 11), randomF32([17, 16, 3, 3], 8)], { ...attrs, inputShape: [2, 16, 9, 11] }, { rtol: 2e-5, atol: 2e-5 });
    expectMatchesReference('conv2d', [randomF32([1, 4, 9, 11], 9), randomF32([6, 4, 3, 3], 10)], { ...attrs, stride: [2, 2] }, tol);
  });
  it('exp, tanh, sigmoid and log match the reference', () => {
    for (const op of ['exp', 'tanh', 'sigmoid']) expectMatchesReference(op, [randomF32([1001], 7, -30, 30)], {}, { rtol: 1e-6, atol: 1e-37 });
    expectMatchesReference('log', [randomF32([1001], 8, 1e-5, 1e5)], {}, { rtol: 1e-6, atol: 1e-37 });
  });
});
