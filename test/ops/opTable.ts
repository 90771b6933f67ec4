/**
 * @file The op table: one row per op (or op variant), consumed by opTable.test.ts.
 *
 * A row says how to call the op through the public API, on which float64 inputs its
 * gradient is checked against finite differences, and (optionally) exact expected values
 * and a bad input with the error it must raise. A new op gets a row, not a test file.
 */
import type { Tensor } from '../../src/index.js';
import { elementwiseRows } from './rows/elementwise.js';
import { reduceRows } from './rows/reduce.js';
import { movementRows } from './rows/movement.js';
import { linalgRows } from './rows/linalg.js';
import { nnRows } from './rows/nn.js';
import { nnActivationRows } from './rows/nnActivations.js';

export interface OpRow {
  /** Unique label, e.g. 'sum(axis=1, keepDim)'. */
  readonly name: string;
  /** Calls the op through the public API on float64 inputs (made by `inputs`). */
  readonly fn: (...xs: Tensor[]) => Tensor | Tensor[];
  /** Fresh sample inputs (float64 where differentiable). Keep them small: gradcheck is O(size). */
  readonly inputs: () => Tensor[];
  /** 'none': not differentiable; 1: first-order gradcheck; 2: also second order. */
  readonly gradOrder: 0 | 1 | 2;
  /** Indices of inputs to differentiate (default: every floating input). */
  readonly wrt?: readonly number[];
  /** Finite-difference settings, for ops that pass through float32. */
  readonly gradcheck?: import('../../src/autodiff/gradcheck.js').GradcheckOptions;
  /** Expected output of `fn(...inputs())` as nested arrays (checked with a tolerance). */
  readonly expected?: unknown;
  /** Bad calls and the error message each must raise. */
  readonly bad?: readonly { readonly call: () => unknown; readonly message: RegExp }[];
}

export const opTable: readonly OpRow[] = [...elementwiseRows, ...reduceRows, ...movementRows, ...linalgRows, ...nnRows, ...nnActivationRows];
