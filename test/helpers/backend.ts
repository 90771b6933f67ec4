/** @file Which kernel backends this test run has: FLOWGRAD_BACKEND=reference turns off the wasm and fast JS kernels. */
export const REFERENCE_ONLY = process.env.FLOWGRAD_BACKEND === 'reference';
