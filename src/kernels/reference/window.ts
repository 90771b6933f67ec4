/**
 * @file Sliding-window geometry shared by the convolution and pooling reference kernels:
 * one index map says which input element each (window tap, output position) reads, so
 * im2col, col2im and every pooling loop use the same, directly written, index formula.
 */

/** A 2-d sliding window over planes of size h×w: output oh×ow, taps kh×kw. */
export interface Window2d {
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/**
 * Output length of a window sliding over `size` elements (PyTorch's formula, rounding down):
 * ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1.
 */
export const slidingOutSize = (size: number, kernel: number, stride: number, padding: number, dilation: number): number =>
  Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;

/**
 * The index map of `channels` planes seen through the window, laid out as the im2col
 * matrix [channels·kh·kw, oh·ow]: entry (tap, position) is the element's offset from the
 * first plane (c·h·w + row·w + col), or −1 where the tap falls in the zero padding.
 */
export function windowIndexMap(win: Window2d, channels: number): Int32Array {
  const { h, w, kh, kw, oh, ow } = win;
  const [sh, sw] = win.stride;
  const [ph, pw] = win.padding;
  const [dh, dw] = win.dilation;
  const positions = oh * ow;
  const map = new Int32Array(channels * kh * kw * positions);
  let q = 0;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let y = 0; y < oh; y++) {
          const row = y * sh - ph + i * dh;
          const rowInside = row >= 0 && row < h;
          for (let x = 0; x < ow; x++) {
            const col = x * sw - pw + j * dw;
            map[q++] = rowInside && col >= 0 && col < w ? c * h * w + row * w + col : -1;
          }
        }
      }
    }
  }
  return map;
}
