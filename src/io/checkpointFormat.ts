/**
 * @file The checkpoint byte format (docs/checkpoint-format.md): magic, version, a JSON header
 * naming each tensor's dtype, shape and byte range, raw little-endian data, and a CRC-32.
 * Decoding treats the bytes as untrusted: every field is checked before it is used, and
 * nothing is allocated beyond what the file's own length bounds.
 */
import { GraphFormatError } from '../errors.js';
import { ARRAY_OF, BYTES_PER_ELEMENT, type DType, isDType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { crc32 } from './crc32.js';

/** "\x89FGCKPT\n": the high byte catches 7-bit transfers, the newline catches line-ending rewrites (as PNG's). */
export const MAGIC = Uint8Array.from([0x89, 0x46, 0x47, 0x43, 0x4b, 0x50, 0x54, 0x0a]);
export const VERSION = 1;
/** magic (8) + version (4) + header length (4). */
const PREAMBLE = 16;
const CHECKSUM = 4;
/** Headers are small (a few hundred bytes per tensor); a larger claim is corruption. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const MAX_NDIM = 64;
const MAX_NAME_LENGTH = 4096;

/** One tensor's entry in the header; `offset` counts from the start of the data section. */
interface HeaderEntry {
  name: string;
  dtype: DType;
  shape: number[];
  offset: number;
  byteLength: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The bytes of `t`'s elements in row-major order, little-endian. */
function tensorBytes(t: Tensor): Uint8Array {
  const data = t.dataSync();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return littleEndianHost ? bytes : swapBytes(bytes, BYTES_PER_ELEMENT[t.dtype]);
}

/** A copy with each `width`-byte element reversed (little- ↔ big-endian). */
function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k];
  return out;
}

/** The checkpoint bytes for named tensors (concrete ones; the caller checks). */
export function encodeCheckpoint(entries: readonly [string, Tensor][]): Uint8Array {
  let dataLength = 0;
  const tensors: HeaderEntry[] = entries.map(([name, t]) => {
    const byteLength = t.size * BYTES_PER_ELEMENT[t.dtype];
    const entry = { name, dtype: t.dtype, shape: [...t.shape], offset: dataLength, byteLength };
    dataLength = align8(dataLength + byteLength);
    return entry;
  });
  const header = new TextEncoder().encode(JSON.stringify({ tensors, dataLength }));
  const dataStart = align8(PREAMBLE + header.length);
  const out = new Uint8Array(dataStart + dataLength + CHECKSUM);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, PREAMBLE);
  entries.forEach(([, t], i) => out.set(tensorBytes(t), dataStart + tensors[i].offset));
  view.setUint32(dataStart + dataLength, crc32(out.subarray(0, dataStart + dataLength)), true);
  return out;
}

/** Decodes checkpoint bytes into named tensors; `source` (the file name) prefixes every error. */
export function decodeCheckpoint(bytes: Uint8Array, source: string): [string, Tensor][] {
  const fail = (problem: string): never => {
    throw new GraphFormatError(`load: ${source}: ${problem}`);
  };
  if (bytes.length < PREAMBLE + CHECKSUM) fail(`truncated: ${bytes.length} bytes, shorter than the ${PREAMBLE + CHECKSUM}-byte minimum of a checkpoint`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) fail('not a flowgrad checkpoint (bad magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) fail(`unsupported format version ${version} (this flowgrad reads version ${VERSION})`);
  const headerLength = view.getUint32(12, true);
  if (headerLength > MAX_HEADER_BYTES) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (PREAMBLE + headerLength + CHECKSUM > bytes.length) fail(`truncated: the header claims ${headerLength} bytes but the file has ${bytes.length} in all`);

  let header: unknown;
  let parseError: string | undefined;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength)));
  } catch (e) {
    parseError = `header is not valid UTF-8 JSON (${(e as Error).message})`;
  }
  const dataStart = align8(PREAMBLE + headerLength);
  const dataLength = (header as { dataLength?: unknown } | undefined)?.dataLength;
  if (parseError === undefined) {
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
    if (!Number.isSafeInteger(dataLength) || (dataLength as number) < 0) fail(`header field dataLength is not a non-negative integer (got ${JSON.stringify(dataLength)})`);
    const expected = dataStart + (dataLength as number) + CHECKSUM;
    if (bytes.length < expected) fail(`truncated: expected ${expected} bytes, the file has ${bytes.length}`);
    if (bytes.length > expected) fail(`${bytes.length - expected} unexpected trailing bytes after the checksum`);
  }
  const stored = view.getUint32(bytes.length - CHECKSUM, true);
  const actual = crc32(bytes.subarray(0, bytes.length - CHECKSUM));
  if (stored !== actual) fail(`checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)}): the file is corrupt`);
  if (parseError !== undefined) fail(parseError);

  const entries = checkEntries((header as { tensors?: unknown }).tensors, dataLength as number, fail);
  return entries.map((e) => [e.name, readTensor(bytes.subarray(dataStart + e.offset, dataStart + e.offset + e.byteLength), e, fail)]);
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** Validates the header's tensor list against the data section's length. */
function checkEntries(tensors: unknown, dataLength: number, fail: (problem: string) => never): HeaderEntry[] {
  if (!Array.isArray(tensors)) return fail('header field tensors is not an array');
  const names = new Set<string>();
  const entries = tensors.map((raw: unknown, i): HeaderEntry => {
    const where = `header tensors[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${where} is not an object`);
    const { name, dtype, shape, offset, byteLength } = raw as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return fail(`${where}.name is not a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    const at = `${where} (${JSON.stringify(name.length > 60 ? name.slice(0, 60) + '…' : name)})`;
    if (names.has(name)) fail(`${at}: the name appears twice`);
    names.add(name);
    if (!isDType(dtype)) return fail(`${at}: unknown dtype ${JSON.stringify(dtype)?.slice(0, 40)}`);
    if (!Array.isArray(shape) || shape.length > MAX_NDIM || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      return fail(`${at}: shape is not a list of at most ${MAX_NDIM} non-negative integers`);
    }
    // Multiply with a cap, so an absurd shape fails here rather than overflowing.
    const limit = dataLength / BYTES_PER_ELEMENT[dtype];
    let count = 1;
    for (const d of shape as number[]) count = count * d > limit ? Infinity : count * d;
    if (count === Infinity) return fail(`${at}: shape [${shape.join(', ')}] needs more bytes than the ${dataLength}-byte data section`);
    if (byteLength !== count * BYTES_PER_ELEMENT[dtype]) fail(`${at}: byteLength ${JSON.stringify(byteLength)} does not match shape [${shape.join(', ')}] of ${dtype} (${count * BYTES_PER_ELEMENT[dtype]} bytes)`);
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || (offset as number) + (byteLength as number) > dataLength) {
      fail(`${at}: bytes [${JSON.stringify(offset)}, +${byteLength}) lie outside the ${dataLength}-byte data section`);
    }
    return { name, dtype, shape: shape as number[], offset: offset as number, byteLength: byteLength as number };
  });
  const byOffset = [...entries].filter((e) => e.byteLength > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const [prev, next] = [byOffset[i - 1], byOffset[i]];
    if (prev.offset + prev.byteLength > next.offset) fail(`header tensors ${JSON.stringify(prev.name)} and ${JSON.stringify(next.name)} overlap in the data section`);
  }
  return entries;
}

function readTensor(bytes: Uint8Array, e: HeaderEntry, fail: (problem: string) => never): Tensor {
  const width = BYTES_PER_ELEMENT[e.dtype];
  // Copy into a fresh, aligned buffer: the tensor must not keep the whole file alive.
  const own = littleEndianHost ? bytes.slice() : swapBytes(bytes, width);
  const data = new ARRAY_OF[e.dtype](own.buffer as ArrayBuffer, 0, own.length / width);
  if (e.dtype === 'bool' && data.some((v) => v > 1)) fail(`tensor ${JSON.stringify(e.name)}: bool values must be 0 or 1`);
  return Tensor.fromData(data, e.shape, e.dtype);
}
