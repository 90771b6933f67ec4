import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { load, save } from '../../src/io/checkpoint.js';
import { MAGIC, encodeCheckpoint } from '../../src/io/checkpointFormat.js';
import { crc32 } from '../../src/io/crc32.js';
import * as nn from '../../src/nn/index.js';
import { expectFlowgradError } from '../helpers/tensors.js';

const dir = mkdtempSync(join(tmpdir(), 'flowgrad-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(dir, `c${counter++}.fgckpt`);

/** Bytes with the header replaced by `header` (JSON text) and a valid checksum, to test header checks alone. */
function withHeader(header: string, dataLength: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const dataStart = Math.ceil((16 + h.length) / 8) * 8;
  const out = new Uint8Array(dataStart + dataLength + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  view.setUint32(8, 1, true);
  view.setUint32(12, h.length, true);
  out.set(h, 16);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}
const writeBytes = (bytes: Uint8Array): string => {
  const path = fresh();
  writeFileSync(path, bytes);
  return path;
};

describe('save / load', () => {
  it('round-trips every dtype bit for bit, including NaN payloads, −0, ±∞, 0-d and empty tensors', () => {
    const f32 = new Float32Array([1.5, -0, Infinity, -Infinity, NaN, 1e-45, 3.4028234663852886e38]);
    const f64 = new Float64Array([Math.PI, -0, Number.MIN_VALUE, Number.MAX_VALUE, NaN]);
    // A NaN with an unusual payload must survive (raw bytes, not values).
    new Uint32Array(f32.buffer)[4] = 0x7fc01234;
    const sd = {
      f32: fg.tensor(f32).reshape([7, 1]),
      f64: fg.tensor(f64),
      i32: fg.tensor(new Int32Array([-(2 ** 31), -1, 0, 2 ** 31 - 1])).reshape([2, 2]),
      bool: fg.tensor([[true, false, true]]),
      scalar: fg.tensor(7, { dtype: 'float64' }),
      empty: fg.zeros([0, 3]),
      'with.dots and ünïcode': fg.ones([1]),
      __proto__name: fg.zeros([1]),
    };
    const path = fresh();
    save(path, sd);
    const back = load(path);
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    for (const [name, t] of Object.entries(sd)) {
      const u = back[name];
      expect([u.dtype, u.shape], name).toEqual([t.dtype, t.shape]);
      const bytes = (x: fg.Tensor): number[] => Array.from(new Uint8Array(x.dataSync().buffer));
      expect(bytes(u), name).toEqual(bytes(t));
    }
  });

  it('a tensor named "__proto__" becomes a key, not the prototype', () => {
    const sd: Record<string, fg.Tensor> = {};
    Object.defineProperty(sd, '__proto__', { value: fg.ones([2]), enumerable: true });
    const path = fresh();
    save(path, sd);
    const back = load(path);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
  });

  it('saves a model and loads it into a fresh one (non-contiguous tensors are saved in logical order)', () => {
    fg.manualSeed(4);
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.Flatten(), new nn.Linear(8, 2));
    model.call(fg.randn([2, 1, 4, 4]));
    const path = fresh();
    save(path, { ...model.stateDict(), transposed: fg.tensor([[1, 2], [3, 4]]).transpose(0, 1) });
    const { transposed, ...rest } = load(path);
    expect(transposed.toArray()).toEqual([[1, 3], [2, 4]]);
    const copy = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.Flatten(), new nn.Linear(8, 2));
    copy.loadStateDict(rest);
    model.eval();
    copy.eval();
    const x = fg.randn([3, 1, 4, 4]);
    expect(copy.call(x).toArray()).toEqual(model.call(x).toArray());
  });

  it('writes atomically: no temporary file is left, and a failed save keeps the old file', () => {
    const path = fresh();
    save(path, { a: fg.ones([2]) });
    save(path, { a: fg.zeros([3]) });
    expect(load(path).a.toArray()).toEqual([0, 0, 0]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expectFlowgradError(() => save(join(dir, 'no-such-dir', 'x.fgckpt'), { a: fg.ones([1]) }), /save: cannot write ".*no-such-dir.*"/);
    expectFlowgradError(() => save(path, { a: [1, 2] as unknown as fg.Tensor }), /save: argument 'stateDict\["a"\]' expected a Tensor/);
    expect(load(path).a.toArray()).toEqual([0, 0, 0]);
  });

  it('matches the documented layout (magic, version, header, aligned data, CRC-32)', () => {
    const bytes = encodeCheckpoint([['w', fg.tensor([1, 2], { dtype: 'int32' })]]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x46, 0x47, 0x43, 0x4b, 0x50, 0x54, 0x0a]);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(1);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
    expect(header).toEqual({ tensors: [{ name: 'w', dtype: 'int32', shape: [2], offset: 0, byteLength: 8 }], dataLength: 8 });
    const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
    expect(view.getInt32(dataStart, true)).toBe(1);
    expect(view.getInt32(dataStart + 4, true)).toBe(2);
    expect(view.getUint32(dataStart + 8, true)).toBe(crc32(bytes.subarray(0, dataStart + 8)));
    expect(bytes.length).toBe(dataStart + 12);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('load refuses bad files with a GraphFormatError naming the file and the problem', () => {
  const good = (): Uint8Array => encodeCheckpoint([['a', fg.arange(10).float()], ['b', fg.tensor([true, false])]]);

  it('missing file, empty file, bad magic, unknown version', () => {
    expectFlowgradError(() => load(join(dir, 'missing.fgckpt')), /load: ".*missing\.fgckpt": cannot read the file \(ENOENT/);
    expectFlowgradError(() => load(writeBytes(new Uint8Array(0))), /load: ".*": truncated: 0 bytes/);
    const wrongMagic = good();
    wrongMagic[1] = 0x50;
    expectFlowgradError(() => load(writeBytes(wrongMagic)), /not a flowgrad checkpoint \(bad magic bytes\)/);
    expectFlowgradError(() => load(writeBytes(new TextEncoder().encode('{"tensors": []}\n and more text'))), /bad magic bytes/);
    const v2 = good();
    new DataView(v2.buffer).setUint32(8, 2, true);
    expectFlowgradError(() => load(writeBytes(v2)), /unsupported format version 2 \(this flowgrad reads version 1\)/);
    expectFlowgradError(() => load(dir), /not a regular file|cannot read/);
  });

  it('truncation at any point and trailing bytes', () => {
    const bytes = good();
    for (const cut of [10, 17, 40, bytes.length - 30, bytes.length - 4, bytes.length - 1]) {
      expectFlowgradError(() => load(writeBytes(bytes.subarray(0, cut))), /truncated/);
    }
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expectFlowgradError(() => load(writeBytes(longer)), /3 unexpected trailing bytes/);
  });

  it('a flipped bit anywhere fails the checksum (or an earlier check)', () => {
    const bytes = good();
    for (let i = 16; i < bytes.length; i += 7) {
      const bad = bytes.slice();
      bad[i] ^= 0x10;
      let thrown: unknown;
      try {
        load(writeBytes(bad));
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `byte ${i}`).toBeInstanceOf(fg.GraphFormatError);
    }
    const dataFlip = bytes.slice();
    dataFlip[bytes.length - 10] ^= 1;
    expectFlowgradError(() => load(writeBytes(dataFlip)), /checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\): the file is corrupt/);
  });

  it('header: absurd length, malformed JSON, wrong structure', () => {
    const huge = good();
    new DataView(huge.buffer).setUint32(12, 0xffffffff, true);
    expectFlowgradError(() => load(writeBytes(huge)), /header length 4294967295 exceeds the 67108864-byte limit/);
    expectFlowgradError(() => load(writeBytes(withHeader('{"tensors": [', 0))), /header is not valid UTF-8 JSON/);
    expectFlowgradError(() => load(writeBytes(withHeader('[1, 2]', 0))), /header is not a JSON object/);
    expectFlowgradError(() => load(writeBytes(withHeader('{"tensors": [], "dataLength": -8}', 0))), /dataLength is not a non-negative integer/);
    expectFlowgradError(() => load(writeBytes(withHeader('{"tensors": {}, "dataLength": 0}', 0))), /tensors is not an array/);
  });

  it('header entries: bad dtype, shape, sizes, offsets, overlaps, duplicates, bool bytes', () => {
    const entry = (e: object): string => JSON.stringify({ tensors: [{ name: 'w', dtype: 'float32', shape: [2], offset: 0, byteLength: 8, ...e }], dataLength: 8 });
    const reject = (e: object, message: RegExp): void => expectFlowgradError(() => load(writeBytes(withHeader(entry(e), 8))), message);
    reject({ dtype: 'float16' }, /tensors\[0\] \("w"\): unknown dtype "float16"/);
    reject({ dtype: { toString: 1 } }, /unknown dtype/);
    reject({ shape: [-2] }, /shape is not a list of at most 64 non-negative integers/);
    reject({ shape: [2.5] }, /shape is not a list/);
    reject({ shape: 'big' }, /shape is not a list/);
    reject({ shape: [1e15, 1e15, 1e15] }, /needs more bytes than the 8-byte data section/);
    reject({ byteLength: 4 }, /byteLength 4 does not match shape \[2\] of float32 \(8 bytes\)/);
    reject({ offset: 4 }, /bytes \[4, \+8\) lie outside the 8-byte data section/);
    reject({ offset: -8 }, /lie outside/);
    reject({ name: '' }, /name is not a non-empty string/);
    reject({ name: 7 }, /name is not a non-empty string/);
    const two = (second: object): string => JSON.stringify({ tensors: [{ name: 'a', dtype: 'float32', shape: [2], offset: 0, byteLength: 8 }, { name: 'b', dtype: 'int32', shape: [1], offset: 4, byteLength: 4, ...second }], dataLength: 8 });
    expectFlowgradError(() => load(writeBytes(withHeader(two({}), 8))), /tensors "a" and "b" overlap in the data section/);
    expectFlowgradError(() => load(writeBytes(withHeader(two({ name: 'a', offset: 8, byteLength: 0, shape: [0] }), 8))), /\("a"\): the name appears twice/);
    const boolBytes = withHeader(JSON.stringify({ tensors: [{ name: 'm', dtype: 'bool', shape: [2], offset: 0, byteLength: 2 }], dataLength: 8 }), 8);
    const dataStart = boolBytes.length - 12;
    boolBytes[dataStart] = 7;
    new DataView(boolBytes.buffer).setUint32(boolBytes.length - 4, crc32(boolBytes.subarray(0, boolBytes.length - 4)), true);
    expectFlowgradError(() => load(writeBytes(boolBytes)), /tensor "m": bool values must be 0 or 1/);
  });

  it('a file of random bytes after valid magic never crashes or hangs', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let trial = 0; trial < 200; trial++) {
      const bytes = Uint8Array.from({ length: 16 + (trial % 64) }, next);
      bytes.set(MAGIC);
      bytes[8] = 1;
      bytes.fill(0, 9, 12);
      let thrown: unknown;
      try {
        load(writeBytes(bytes));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(fg.GraphFormatError);
    }
  });

  it('bytes from a valid file load after passing every check', () => {
    const back = load(writeBytes(good()));
    expect(back.a.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(back.b.toArray()).toEqual([true, false]);
    expect(readFileSync(writeBytes(good())).length).toBe(good().length);
  });
});
