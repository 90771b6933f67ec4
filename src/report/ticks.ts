/** @file niceTicks: axis ticks at round numbers (1, 2 or 5 times a power of ten), as plotting libraries choose them. */

export interface Ticks {
  /** The axis range, widened to whole ticks. */
  readonly lo: number;
  readonly hi: number;
  readonly values: readonly number[];
  /** Decimals that print every tick exactly (`0.05` → 2). */
  readonly decimals: number;
}

/** About `count` round ticks covering [min, max]; a zero-width or non-finite range is widened first. */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  const rough = (max - min) / Math.max(1, count);
  const exponent = Math.floor(Math.log10(rough));
  const base = 10 ** exponent;
  const mantissa = [1, 2, 5, 10].find((m) => m * base >= rough) ?? 10;
  const step = mantissa * base;
  // 10 × 10^e is 1 × 10^(e+1): one decimal fewer.
  const decimals = Math.max(0, -(mantissa === 10 ? exponent + 1 : exponent));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) values.push(Number((lo + k * step).toFixed(Math.min(20, decimals))));
  return { lo: values[0], hi: values[values.length - 1], values, decimals };
}

/** A tick's text: fixed decimals, or exponent form for very large or very small magnitudes. */
export function formatTick(v: number, decimals: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e6 || decimals > 6)) return v.toExponential(1);
  return v.toFixed(decimals);
}
