/**
 * @file Loading a state dict into a module's tensors: every key, shape and dtype is checked
 * before anything is written, so a failed load leaves the module as it was.
 */
import { DTypeError, ShapeError, ValueError, given } from '../errors.js';
import { noGrad } from '../ops/gradMode.js';
import { copy_ } from '../ops/inplace.js';
import { isFloating } from '../tensor/dtype.js';
import { shapeStr, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export interface LoadStateDictOptions {
  /** Missing or unexpected keys are an error (default true); otherwise they are reported. */
  strict?: boolean;
}

/** What a non-strict load skipped, as PyTorch's `_IncompatibleKeys`. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const quoted = (keys: readonly string[]): string => keys.map((k) => JSON.stringify(k)).join(', ');

/**
 * Copies `source[name]` into `targets[name]` (tensors sharing a module's storage) for every
 * name both have. `owner` names the module class in messages.
 */
export function loadStateInto(owner: string, targets: Record<string, Tensor>, source: unknown, strict: unknown): LoadStateDictResult {
  const op = `${owner}.loadStateDict`;
  if (typeof source !== 'object' || source === null || Array.isArray(source) || source instanceof Tensor) {
    throw new ValueError(op, 'stateDict', 'an object mapping names to tensors', source);
  }
  if (typeof strict !== 'boolean') throw new ValueError(op, 'strict', 'a boolean', strict);
  const entries = Object.entries(source as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (!(value instanceof Tensor)) throw new ValueError(op, `stateDict[${JSON.stringify(name)}]`, 'a Tensor', value);
    if (value.trace) throw new ValueError(op, `stateDict[${JSON.stringify(name)}]`, 'a concrete tensor (not a traced value)', value);
  }
  const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const missingKeys = Object.keys(targets).filter((k) => !has(source, k));
  const unexpectedKeys = entries.map(([k]) => k).filter((k) => !has(targets, k));
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const problems = [
      missingKeys.length ? `missing key(s) ${quoted(missingKeys)}` : '',
      unexpectedKeys.length ? `unexpected key(s) ${quoted(unexpectedKeys)}` : '',
    ].filter(Boolean);
    throw new ValueError(op, 'stateDict', `exactly the keys of the module's stateDict() (pass { strict: false } to load a subset)`, given(problems.join('; ')));
  }
  const pairs: [Tensor, Tensor][] = [];
  for (const [name, value] of entries as [string, Tensor][]) {
    if (!has(targets, name)) continue;
    const target = targets[name];
    const arg = `stateDict[${JSON.stringify(name)}]`;
    if (!shapesEqual(target.shape, value.shape)) throw new ShapeError(op, arg, `${shapeStr(target.shape)} (the shape of the module's '${name}')`, shapeStr(value.shape));
    // Floats convert between widths (as PyTorch's copy_ does); integer and bool state must match exactly.
    const compatible = value.dtype === target.dtype || (isFloating(value.dtype) && isFloating(target.dtype));
    if (!compatible) throw new DTypeError(op, arg, `${target.dtype} (the dtype of the module's '${name}')`, value.dtype);
    pairs.push([target, value]);
  }
  noGrad(() => {
    for (const [target, value] of pairs) copy_(target, value);
  });
  return { missingKeys, unexpectedKeys };
}
