/**
 * @file Whether the tape records: `noGrad` turns it off for a block, `enableGrad` back on.
 * It lives beside the dispatcher, below autodiff, as PyTorch keeps GradMode in c10: ops such
 * as the in-place family consult it without depending on the tape.
 */

let enabled = true;

export const isGradEnabled = (): boolean => enabled;

function withGradMode<T>(value: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = value;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs `fn` with recording off: results have no gradFn and do not require grad. */
export const noGrad = <T>(fn: () => T): T => withGradMode(false, fn);
/** Runs `fn` with recording on, even inside noGrad. */
export const enableGrad = <T>(fn: () => T): T => withGradMode(true, fn);
/** Runs `fn` with recording set to `value`. */
export const setGradEnabled = <T>(value: boolean, fn: () => T): T => withGradMode(value, fn);
