/**
 * @file Max pooling over 2×2 windows at stride 2 (the common case): the index of each
 * window's maximum, four outputs per step. On real activations "is this element larger?"
 * is a coin toss, so a scalar loop spends most of its time on mispredicted branches; here
 * every comparison is a lane mask and every update a bitselect.
 */

/** Lanes where v should replace best: larger, or the first NaN (as the reference keeps it). */
@inline function better(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
}

/**
 * For planes of h×w float32 at `src` (row-major, contiguous), writes to `dst` (i32) the
 * element index (from src) of the maximum of each 2×2 window at stride 2, oh×ow per plane,
 * taking candidates in row-major window order so ties go to the first, as the reference.
 */
export function argmaxPool2x2(src: usize, dst: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  const laneOffsets = i32x4(0, 2, 4, 6);
  let q: usize = dst;
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      const top = (p * h + 2 * oy) * w;
      const row0 = src + (<usize>top << 2);
      const row1 = row0 + (<usize>w << 2);
      let ox = 0;
      // Eight floats of a row cover the windows of four outputs: even lanes are their left
      // column, odd lanes their right one. 2·ow ≤ w keeps every load inside the row.
      for (; ox + 4 <= ow; ox += 4, q += 16) {
        const byte = <usize>ox << 3;
        const a0 = v128.load(row0 + byte), b0 = v128.load(row0 + byte, 16);
        const a1 = v128.load(row1 + byte), b1 = v128.load(row1 + byte, 16);
        const i00 = i32x4.add(i32x4.splat(top + 2 * ox), laneOffsets);
        const one = i32x4.splat(1);
        let best = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
        let at = i00;
        let v = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
        let m = better(v, best);
        best = v128.bitselect(v, best, m);
        at = v128.bitselect(i32x4.add(i00, one), at, m);
        const i10 = i32x4.add(i00, i32x4.splat(w));
        v = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
        m = better(v, best);
        best = v128.bitselect(v, best, m);
        at = v128.bitselect(i10, at, m);
        v = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
        m = better(v, best);
        at = v128.bitselect(i32x4.add(i10, one), at, m);
        v128.store(q, at);
      }
      for (; ox < ow; ox++, q += 4) {
        const corner = top + 2 * ox;
        let at = corner;
        let best = load<f32>(src + (<usize>corner << 2));
        for (let k = 1; k < 4; k++) {
          const i = corner + (k >> 1) * w + (k & 1);
          const v = load<f32>(src + (<usize>i << 2));
          if (v > best || (v != v && best == best)) {
            best = v;
            at = i;
          }
        }
        store<i32>(q, at);
      }
    }
  }
}
