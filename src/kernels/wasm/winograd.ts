/**
 * @file conv2d forward by Winograd F(2×2, 3×3) (asm/winograd.ts): for 3×3 kernels with
 * stride 1 and dilation 1, 16 gemms of [Og×Cg]·[Cg×tiles] replace the [Og×9·Cg]·[9·Cg×P]
 * one, 2.25× fewer multiply-adds, for the cost of transforming input and output.
 * Rounding differs from the direct sum only by a few ulp (the transforms hold 0, ±1, ±½).
 * Used where the gemms are deep enough to run well (see winogradApplies).
 */
import type { Conv2dAttrs } from '../reference/conv2d.js';
import { gemm } from './gemm.js';
import { alloc, copyInts } from './heap.js';
import { runJob, threadCount } from './pool.js';

const JOB_WEIGHT = 4;
const JOB_INPUT = 5;
const JOB_OUTPUT = 6;
/** Channels (input per group, and output per group) from which Winograd beats the direct gemm. */
export const WINOGRAD_MIN_CHANNELS = 16;
/** Transform floats per chunk of images (V and M together, 64 MiB). */
const BUFFER_BUDGET = 2 ** 24;
/** Transform work (elements) above which the pool shares it. */
const PARALLEL_ELEMENTS = 2 ** 15;

/** Shapes of one conv2d call, as conv2d.ts computes them. */
export interface WinogradShape {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly groups: number;
  readonly cg: number;
  readonly og: number;
  readonly oh: number;
  readonly ow: number;
}

/** Tile rows, tiles per row padded to a multiple of 4, and tiles per plane. */
function tiles(s: WinogradShape): { th: number; tw4: number; t: number } {
  const th = Math.ceil(s.oh / 2);
  const tw4 = Math.ceil(Math.ceil(s.ow / 2) / 4) * 4;
  return { th, tw4, t: th * tw4 };
}

/** Transform floats (V and M) of one image. */
const floatsPerImage = (s: WinogradShape): number => 16 * (s.c + s.o) * tiles(s).t;

/**
 * Whether conv2d with these shapes and attrs goes through Winograd: 3×3, stride 1, dilation
 * 1, channels enough for deep gemms, and one image's transforms within BUFFER_BUDGET.
 */
export function winogradApplies(s: WinogradShape, kh: number, kw: number, attrs: Conv2dAttrs): boolean {
  const { stride, dilation } = attrs;
  return kh === 3 && kw === 3 && stride[0] === 1 && stride[1] === 1 && dilation[0] === 1 && dilation[1] === 1 &&
    s.cg >= WINOGRAD_MIN_CHANNELS && s.og >= WINOGRAD_MIN_CHANNELS && s.oh >= 2 && s.ow >= 2 && floatsPerImage(s) <= BUFFER_BUDGET;
}

/**
 * The conv whose output is the input gradient of a stride-1 3×3 conv with shapes `s`:
 * dx = conv2d(dy, w rotated 180° with in/out channels swapped per group, padding 2 − p).
 * Null where that padding would be negative.
 */
export function transposedShape(s: WinogradShape, attrs: Conv2dAttrs): { shape: WinogradShape; attrs: Conv2dAttrs } | null {
  const [ph, pw] = attrs.padding;
  if (ph > 2 || pw > 2) return null;
  return {
    shape: { n: s.n, c: s.o, h: s.oh, w: s.ow, o: s.c, groups: s.groups, cg: s.og, og: s.cg, oh: s.h, ow: s.w },
    attrs: { ...attrs, padding: [2 - ph, 2 - pw] },
  };
}

/**
 * y (at byte address py, [N, O, OH, OW]) = conv2d of the staged input px and weights pw
 * (contiguous). Arena space is taken from the caller's withArena. With `flipped`, pw holds
 * the weights [groups·CG][OG][3][3] of the forward conv whose input gradient this conv is
 * (see transposedShape): each filter is read transposed and rotated by 180°.
 */
export function winogradConv2d(s: WinogradShape, attrs: Conv2dAttrs, px: number, pw: number, py: number, flipped = false): void {
  const { th, tw4, t } = tiles(s);
  const chunk = Math.max(1, Math.min(s.n, Math.floor(BUFFER_BUDGET / floatsPerImage(s))));
  const threads = threadCount();
  const padBytes = Math.ceil(((2 * th + 2) * (2 * tw4 + 4) * 4) / 64) * 64;
  const u = alloc(16 * s.o * s.cg * 4);
  const v = alloc(chunk * 16 * s.c * t * 4);
  const m = alloc(chunk * 16 * s.o * t * 4);
  const scratch = alloc(padBytes * threads);
  const { padding } = attrs;
  const words = (x: number, y: number) => [
    x, v, m, y, u, pw, s.c, s.o, s.cg, s.h, s.w, padding[0], padding[1], s.oh, s.ow, th, tw4, scratch, padBytes, flipped ? 1 : 0,
  ];
  runJob(JOB_WEIGHT, copyInts(words(px, py)), s.o, s.o * s.cg * 16 >= PARALLEL_ELEMENTS);
  for (let n0 = 0; n0 < s.n; n0 += chunk) {
    const count = Math.min(chunk, s.n - n0);
    const args = copyInts(words(px + n0 * s.c * s.h * s.w * 4, py + n0 * s.o * s.oh * s.ow * 4));
    runJob(JOB_INPUT, args, count * s.c, count * s.c * 16 * t >= PARALLEL_ELEMENTS);
    const offsets: number[] = [];
    for (let n = 0; n < count; n++) {
      for (let grp = 0; grp < s.groups; grp++) {
        for (let xi = 0; xi < 16; xi++) {
          offsets.push((xi * s.o + grp * s.og) * s.cg, ((n * 16 + xi) * s.c + grp * s.cg) * t, ((n * 16 + xi) * s.o + grp * s.og) * t);
        }
      }
    }
    gemm({
      m: s.og, n: t, k: s.cg,
      a: { ptr: u, rowStride: s.cg, colStride: 1 },
      b: { ptr: v, rowStride: t, colStride: 1 },
      c: { ptr: m, rowStride: t },
      offsets,
      accumulate: false,
    });
    runJob(JOB_OUTPUT, args, count * s.o, count * s.o * 16 * t >= PARALLEL_ELEMENTS);
  }
}
