/**
 * @file fg.save / fg.load: state dicts to and from checkpoint files (format in
 * docs/checkpoint-format.md). Saving is atomic: the bytes go to a temporary file in the
 * same directory, are flushed to disk, and replace the target by one rename, so a crash
 * leaves either the old file or the new one, never half of one.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { FlowgradError, GraphFormatError, ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointFormat.js';

/** Named tensors, as Module.stateDict() returns them. */
export type TensorDict = Record<string, Tensor>;

// Typed arrays and Buffers stop near this size in Node 20; a larger file is not a checkpoint we wrote.
const MAX_FILE_BYTES = 2 ** 31 - 1;

function checkPath(op: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) throw new ValueError(op, 'path', 'a file path', path);
  return path;
}

/**
 * Writes `stateDict` (names → tensors of any dtype) to `path`, atomically. The tensors'
 * values are saved exactly (bit for bit), in the dict's key order.
 *
 *     fg.save('model.fgckpt', model.stateDict());
 */
export function save(path: string, stateDict: TensorDict): void {
  checkPath('save', path);
  if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict) || stateDict instanceof Tensor) {
    throw new ValueError('save', 'stateDict', 'an object mapping names to tensors', stateDict);
  }
  const entries = Object.entries(stateDict);
  for (const [name, t] of entries) {
    const arg = `stateDict[${JSON.stringify(name)}]`;
    if (!(t instanceof Tensor)) throw new ValueError('save', arg, 'a Tensor', t);
    if (t.trace) throw new ValueError('save', arg, 'a concrete tensor (not a traced value)', t);
    if (name.length === 0) throw new ValueError('save', 'stateDict', 'non-empty names', name);
  }
  writeAtomically(path, encodeCheckpoint(entries));
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // The temporary file was never created or is already gone.
    }
    throw new FlowgradError(`save: cannot write ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
  syncDirectory(dirname(target));
}

/** Flushes the rename itself to disk, where the platform allows opening a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (e.g. Windows); the rename is still atomic, only its durability is weaker.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a checkpoint written by `save`: names → tensors, in the saved order. The file is
 * treated as untrusted; anything malformed (bad magic, unknown version, truncation, a
 * checksum mismatch, an inconsistent header) throws a GraphFormatError naming the file
 * and the problem.
 *
 *     model.loadStateDict(fg.load('model.fgckpt'));
 */
export function load(path: string): TensorDict {
  checkPath('load', path);
  const entries = decodeCheckpoint(readWhole(path), JSON.stringify(path));
  const out: TensorDict = {};
  // defineProperty, not assignment: a tensor named "__proto__" must become a key, not a prototype.
  for (const [name, t] of entries) Object.defineProperty(out, name, { value: t, enumerable: true, writable: true, configurable: true });
  return out;
}

function readWhole(path: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new GraphFormatError(`load: ${JSON.stringify(path)}: not a regular file`);
    if (stat.size > MAX_FILE_BYTES) throw new GraphFormatError(`load: ${JSON.stringify(path)}: ${stat.size} bytes is larger than any checkpoint this version can read`);
    const bytes = new Uint8Array(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break; // the file shrank while we read it: decoding reports it as truncated
      filled += n;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof FlowgradError) throw e;
    throw new GraphFormatError(`load: ${JSON.stringify(path)}: cannot read the file (${(e as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
