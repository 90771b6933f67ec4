/**
 * @file The lexical conventions of the IR text form, shared by the printer and the parser:
 * how names, dims, numbers and strings are spelled so that every printed token parses back
 * to exactly the value it came from.
 */
import type { DType } from '../tensor/dtype.js';
import { SHORT_NAME } from '../tensor/dtype.js';

/** A bare name: value names (`%fc1.weight`), graph names, op names, attr keys, bare strings. */
export const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** A symbolic dim printed bare: `batch`, or a product such as `batch*784` (from reshape's -1). */
export const SYM_DIM = /^[A-Za-z_][A-Za-z0-9_]*(\*[A-Za-z0-9_]+)*$/;
/** A device printed bare after `@`: `cpu`, `cpu:1`, `gpu:0`. */
export const DEVICE = /^[A-Za-z0-9_][A-Za-z0-9_:.-]*$/;

/** Bare words that mean something else in attribute position, so a string equal to one is quoted. */
export const RESERVED_WORDS = new Set(['true', 'false', 'null', 'nan', 'inf', 'b64', 'after', 'return', 'graph']);

/** dtype from its short printed name (`f32` → float32). */
export const DTYPE_OF_SHORT: ReadonlyMap<string, DType> = new Map(Object.entries(SHORT_NAME).map(([d, s]) => [s, d as DType]));

/** A name bare when it is an identifier, else as a JSON string. */
export const formatName = (name: string): string => (IDENT.test(name) && !RESERVED_WORDS.has(name) ? name : JSON.stringify(name));

/** A string attribute: bare when it reads unambiguously as a word, else a JSON string. */
export const formatStringAttr = (s: string): string => (IDENT.test(s) && !RESERVED_WORDS.has(s) && !DTYPE_OF_SHORT.has(s) ? s : JSON.stringify(s));

/** A dim: its number, its bare symbol, or a JSON string for any other symbol. */
export const formatDim = (d: number | string): string => (typeof d === 'number' ? formatNumber(d) : SYM_DIM.test(d) && !RESERVED_WORDS.has(d) ? d : JSON.stringify(d));

/** A float64 number spelled so that it parses back to the same bits (-0, nan and inf included). */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** The shortest spelling of a float32 value that rounds back to the same float32. */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v) || Object.is(v, -0)) return formatNumber(v);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return String(v);
}

/** A source location for a trailing comment: as is when it reads back unchanged, else JSON. */
export function formatSource(source: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = source !== '' && source === source.trim() && !source.startsWith('"') && !/[\u0000-\u001f\u007f]/.test(source);
  return plain ? source : JSON.stringify(source);
}

/** A device after `@`: bare or JSON. */
export const formatDevice = (device: string): string => (DEVICE.test(device) ? device : JSON.stringify(device));
