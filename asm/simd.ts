/**
 * @file Shared SIMD helpers. Each kernel is compiled twice (scripts/buildWasm.mjs): with
 * relaxed-SIMD, `madd` is one fused multiply-add; without it, a multiply and an add.
 */

/** a·b + c on four float32 lanes. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** The i-th i32 word of a job's argument block. */
@inline export function arg(args: usize, i: i32): i32 {
  return load<i32>(args + (<usize>i << 2));
}

/** Byte address of element `index` of a float32 array at `base`. */
@inline export function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

@inline export function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}
