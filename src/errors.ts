/** @file The error classes every user-facing failure is reported with. */

/** Base class of every error flowgrad throws on user input. Catch this to catch them all. */
export class FlowgradError extends Error {
  override name = 'FlowgradError';
}

/**
 * An argument had the wrong shape. The message reads
 * `matmul: argument 'b' expected shape [3, n] (rows = last dim of a), got [4, 5]`.
 */
export class ShapeError extends FlowgradError {
  override name = 'ShapeError';
  constructor(op: string, arg: string, expected: string, given: string) {
    super(`${op}: argument '${arg}' expected shape ${expected}, got ${given}`);
  }
}

/** An argument had a dtype the op does not accept. */
export class DTypeError extends FlowgradError {
  override name = 'DTypeError';
  constructor(op: string, arg: string, expected: string, given: string) {
    super(`${op}: argument '${arg}' expected dtype ${expected}, got ${given}`);
  }
}

/** A dimension index was out of range. */
export class AxisError extends FlowgradError {
  override name = 'AxisError';
  constructor(op: string, arg: string, axis: unknown, ndim: number) {
    super(
      `${op}: argument '${arg}' expected a dim in [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}] ` +
        `for a ${ndim}-d tensor, got ${describe(axis)}`,
    );
  }
}

/** Any other argument was of the wrong kind or out of its domain. */
export class ValueError extends FlowgradError {
  override name = 'ValueError';
  constructor(op: string, arg: string, expected: string, given: unknown) {
    super(`${op}: argument '${arg}' expected ${expected}, got ${describe(given)}`);
  }
}

/** Misuse of the autograd machinery (second backward, in-place on a leaf, …). */
export class AutogradError extends FlowgradError {
  override name = 'AutogradError';
}

/** A traced value was used where JavaScript needs a concrete value. */
export class TraceError extends FlowgradError {
  override name = 'TraceError';
}

/** A graph, checkpoint or model file could not be read. */
export class GraphFormatError extends FlowgradError {
  override name = 'GraphFormatError';
}

/** A broken internal invariant: a bug in flowgrad, not in the caller's code. */
export function internal(message: string): Error {
  return new Error(`internal: ${message}`);
}

/** Wraps text that describes what was given, to print as is rather than as a JS string. */
export class Given {
  constructor(readonly text: string) {}
}
export const given = (text: string): Given => new Given(text);

/** A short, safe description of any JS value for an error message. */
export function describe(value: unknown): string {
  if (value instanceof Given) return value.text;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const ctor = (value as object).constructor?.name;
  if (ctor === 'Tensor') {
    const t = value as { shape: readonly number[]; dtype: string };
    return `a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`;
  }
  return ctor ? `${/^[AEIOU]/.test(ctor) ? 'an' : 'a'} ${ctor}` : 'an object';
}
