/**
 * @file Whether the tape records: `noGrad` turns it off for a block, `enableGrad` back on.
 * It lives beside the dispatcher, below autodiff, as PyTorch keeps GradMode in c10: ops such
 * as the in-place family consult it without depending on the tape.
 */

import { ValueError } from '../errors.js';

let enabled = true;

export const isGradEnabled = (): boolean => enabled;

function withGradMode<T>(op: string, value: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new ValueError(op, 'fn', 'a function to run', fn);
  const previous = enabled;
  enabled = value;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs `fn` with recording off: results have no gradFn and do not require grad. */
export const noGrad = <T>(fn: () => T): T => withGradMode('noGrad', false, fn);
/** Runs `fn` with recording on, even inside noGrad. */
export const enableGrad = <T>(fn: () => T): T => withGradMode('enableGrad', true, fn);
/** Runs `fn` with recording set to `value`. */
export const setGradEnabled = <T>(value: boolean, fn: () => T): T => withGradMode('setGradEnabled', value, fn);
