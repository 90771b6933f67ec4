/**
 * @file Exact encodings of constant tensors for the text and JSON forms: base64 of the
 * little-endian element bytes, and checked decoding of untrusted data (sizes are checked
 * before anything is allocated, so a hostile shape cannot make us allocate gigabytes).
 */
import { ARRAY_OF, BYTES_PER_ELEMENT, type DType, type TypedArray } from '../tensor/dtype.js';
import { type Shape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** The most elements a constant read from a file may hold (2^28, i.e. 1 GiB of float32). */
export const MAX_CONSTANT_ELEMENTS = 2 ** 28;

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of `data`. */
function leBytes(data: TypedArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndianHost || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const w = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += w) for (let j = 0; j < w; j++) out[i + j] = bytes[i + w - 1 - j];
  return out;
}

/** Base64 of the row-major, little-endian element bytes of `t`. */
export function encodeTensorData(t: Tensor): string {
  return Buffer.from(leBytes(t.dataSync())).toString('base64');
}

/** Checks a shape read from a file: non-negative safe integers, at most MAX_CONSTANT_ELEMENTS in all. */
export function checkConstantShape(shape: readonly unknown[]): string | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return `a constant's dims must be non-negative integers, got ${String(d)}`;
    n *= d;
  }
  if (n > MAX_CONSTANT_ELEMENTS) return `a constant may hold at most ${MAX_CONSTANT_ELEMENTS} elements, got ${n}`;
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A tensor from base64 data; returns an error text instead for a payload of the wrong length,
 * bad characters, or bool bytes other than 0 and 1.
 */
export function decodeTensorData(dtype: DType, shape: Shape, base64: string): Tensor | string {
  const bad = checkConstantShape(shape);
  if (bad) return bad;
  const byteLength = sizeOf(shape) * BYTES_PER_ELEMENT[dtype];
  const expected = Math.ceil(byteLength / 3) * 4;
  if (base64.length !== expected) return `base64 data of ${expected} characters (${byteLength} bytes), got ${base64.length} characters`;
  if (!BASE64.test(base64)) return 'base64 data (A-Z, a-z, 0-9, +, / and = padding)';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== byteLength) return `base64 data of ${byteLength} bytes, got ${bytes.length} bytes`;
  const data = new ARRAY_OF[dtype](sizeOf(shape));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) {
    switch (dtype) {
      case 'float32': data[i] = view.getFloat32(i * 4, true); break;
      case 'float64': data[i] = view.getFloat64(i * 8, true); break;
      case 'int32': data[i] = view.getInt32(i * 4, true); break;
      case 'bool': {
        const b = view.getUint8(i);
        if (b > 1) return `bool data bytes of 0 or 1, got ${b} at element ${i}`;
        data[i] = b;
      }
    }
  }
  return Tensor.fromData(data, shape, dtype);
}

/**
 * A tensor from a flat list of element values (numbers; booleans for bool). Returns an error
 * text for a wrong count or a value the dtype cannot hold exactly (1.5 or 2^40 as int32).
 */
export function tensorFromElements(dtype: DType, shape: Shape, values: readonly unknown[]): Tensor | string {
  const bad = checkConstantShape(shape);
  if (bad) return bad;
  const n = sizeOf(shape);
  if (values.length !== n) return `${n} elements for shape [${shape.join(', ')}], got ${values.length}`;
  const data = new ARRAY_OF[dtype](n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (dtype === 'bool') {
      if (typeof v !== 'boolean') return `true or false for a bool element, got ${String(v)} at element ${i}`;
      data[i] = v ? 1 : 0;
    } else {
      if (typeof v !== 'number') return `a number for a ${dtype} element, got ${String(v)} at element ${i}`;
      if (dtype === 'int32' && !(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) return `an int32 element, got ${String(v)} at element ${i}`;
      data[i] = v;
    }
  }
  return Tensor.fromData(data, shape, dtype);
}
