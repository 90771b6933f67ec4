/**
 * @file renderLineChart: one or more series as an SVG line chart with axes, round-number
 * ticks, grid lines, axis labels and a legend. Non-finite y values (a diverged loss) leave a
 * gap in the line instead of breaking the chart.
 */
import { MONO_FONT, escapeXml, px, textWidth } from './svgText.js';
import { formatTick, niceTicks } from './ticks.js';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly ChartPoint[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
}

/** Line colours, distinguishable for the common colour-vision deficiencies (Okabe–Ito). */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];
const FONT = 11;
const MARGIN = { left: 70, right: 20, top: 42, bottom: 48 };
/** Up to this many points per series get a dot at each point (also makes a one-point series visible). */
const MAX_MARKED_POINTS = 40;

/** The SVG markup of a line chart of `series`. */
export function renderLineChart(series: readonly ChartSeries[], opts: ChartOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 300;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  const finite = series.flatMap((s) => s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  const xTicks = niceTicks(...extent(finite.map((p) => p.x)), 6);
  const yTicks = niceTicks(...extent(finite.map((p) => p.y)), 5);
  const sx = (x: number) => plot.x + ((x - xTicks.lo) / (xTicks.hi - xTicks.lo)) * plot.w;
  const sy = (y: number) => plot.y + plot.h - ((y - yTicks.lo) / (yTicks.hi - yTicks.lo)) * plot.h;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="fg-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(opts.title)}" font-family="${escapeXml(MONO_FONT)}" font-size="${FONT}">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="fg-chart-title" x="${plot.x}" y="18" font-size="${FONT + 3}" font-weight="bold" fill="#212121">${escapeXml(opts.title)}</text>`,
  ];
  // Grid and y axis ticks.
  for (const v of yTicks.values) {
    const y = px(sy(v));
    parts.push(`<line x1="${plot.x}" y1="${y}" x2="${plot.x + plot.w}" y2="${y}" stroke="#e0e0e0"/>`);
    parts.push(`<text class="fg-tick" x="${plot.x - 6}" y="${y}" dy="0.35em" text-anchor="end" fill="#424242">${formatTick(v, yTicks.decimals)}</text>`);
  }
  for (const v of xTicks.values) {
    const x = px(sx(v));
    parts.push(`<line x1="${x}" y1="${plot.y + plot.h}" x2="${x}" y2="${plot.y + plot.h + 5}" stroke="#424242"/>`);
    parts.push(`<text class="fg-tick" x="${x}" y="${plot.y + plot.h + 18}" text-anchor="middle" fill="#424242">${formatTick(v, xTicks.decimals)}</text>`);
  }
  parts.push(
    `<path class="fg-axis fg-axis-x" d="M${plot.x},${plot.y + plot.h} H${plot.x + plot.w}" stroke="#424242" fill="none"/>`,
    `<path class="fg-axis fg-axis-y" d="M${plot.x},${plot.y} V${plot.y + plot.h}" stroke="#424242" fill="none"/>`,
    `<text class="fg-axis-label fg-axis-label-x" x="${px(plot.x + plot.w / 2)}" y="${height - 8}" text-anchor="middle" fill="#212121">${escapeXml(opts.xLabel)}</text>`,
    `<text class="fg-axis-label fg-axis-label-y" transform="translate(16 ${px(plot.y + plot.h / 2)}) rotate(-90)" text-anchor="middle" fill="#212121">${escapeXml(opts.yLabel)}</text>`,
  );
  if (finite.length === 0) {
    parts.push(`<text x="${px(plot.x + plot.w / 2)}" y="${px(plot.y + plot.h / 2)}" text-anchor="middle" fill="#757575">no data</text>`);
  }
  series.forEach((s, i) => parts.push(seriesSvg(s, PALETTE[i % PALETTE.length], sx, sy)));
  if (series.length > 1 || (series.length === 1 && series[0].name !== opts.yLabel)) parts.push(legendSvg(series, width - MARGIN.right, 18));
  parts.push('</svg>');
  return parts.join('\n');
}

/** [min, max] of `values` without spreading them into arguments (long training runs have many points). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function seriesSvg(s: ChartSeries, colour: string, sx: (x: number) => number, sy: (y: number) => number): string {
  const segments: string[] = [];
  let penDown = false;
  for (const p of s.points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      penDown = false;
      continue;
    }
    segments.push(`${penDown ? 'L' : 'M'}${px(sx(p.x))},${px(sy(p.y))}`);
    penDown = true;
  }
  const dots =
    s.points.length <= MAX_MARKED_POINTS
      ? s.points
          .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
          .map((p) => `<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="2.5" fill="${colour}"/>`)
          .join('')
      : '';
  const path = segments.length === 0 ? '' : `<path class="fg-series" data-series="${escapeXml(s.name)}" d="${segments.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.8" stroke-linejoin="round"/>`;
  return `<g class="fg-series-group">${path}${dots}</g>`;
}

/** One swatch and name per series, right-aligned on the title line. */
function legendSvg(series: readonly ChartSeries[], right: number, y: number): string {
  const items: string[] = [];
  let x = right;
  for (let i = series.length - 1; i >= 0; i--) {
    const name = series[i].name;
    x -= textWidth(name, FONT) + 26;
    const colour = PALETTE[i % PALETTE.length];
    items.push(
      `<line x1="${px(x)}" y1="${y - 4}" x2="${px(x + 16)}" y2="${y - 4}" stroke="${colour}" stroke-width="2.5"/>` +
        `<text x="${px(x + 20)}" y="${y}" fill="#212121">${escapeXml(name)}</text>`,
    );
  }
  return `<g class="fg-legend">${items.join('')}</g>`;
}
