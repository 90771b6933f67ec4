/**
 * @file The HTML report: graphs laid out by ELK and drawn as SVG (ops coloured by kind,
 * types on the edges, fused groups outlined) and training curves as SVG line charts, in
 * one self-contained file.
 *
 *     await fg.writeReport('report.html', {
 *       title: 'LeNet-5 on MNIST',
 *       graphs: [{ name: 'forward', graph: g }, { name: 'gradient', graph: fg.gradGraph(g) }],
 *       curves: [{ name: 'eager', yLabel: 'loss', points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.4 }] }],
 *       summary: { 'test accuracy': '98.1 %' },
 *     });
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ValueError } from '../errors.js';
import { Graph } from '../ir/graph.js';
import { type ChartPoint, renderLineChart } from './chart.js';
import { type GraphPictureOptions, layoutGraph } from './graphLayout.js';
import { renderGraphSvg } from './graphSvg.js';
import { type GraphFigure, renderPage } from './html.js';

export type { GraphPictureOptions } from './graphLayout.js';
export type { ChartPoint } from './chart.js';
export { opKindOf, type BoxKind } from './opKind.js';

/** A graph to draw, with optional fused groups (`groups: Node[][]`) and input/output names. */
export interface ReportGraph extends GraphPictureOptions {
  readonly name: string;
  readonly graph: Graph;
  /** Show the graph's IR text, folded, under the picture (default true). */
  readonly showText?: boolean;
}

/** One line of a chart. Curves with the same `chart` (default: their `yLabel`) share a chart. */
export interface ReportCurve {
  readonly name: string;
  readonly points: readonly ChartPoint[];
  readonly yLabel: string;
  /** Default 'step'. */
  readonly xLabel?: string;
  readonly chart?: string;
}

export interface ReportOptions {
  readonly title: string;
  readonly graphs?: readonly ReportGraph[];
  readonly curves?: readonly ReportCurve[];
  /** Key facts, shown as a table in insertion order. */
  readonly summary?: Readonly<Record<string, string | number>>;
}

/** The report as an HTML string. Async because ELK lays graphs out asynchronously. */
export async function renderReport(opts: ReportOptions): Promise<string> {
  return buildReport(opts, 'renderReport');
}

/**
 * Writes the report to `path` atomically (a temp file in the same folder, then a rename, so
 * a reader never sees half a file), creating the folder if needed. Returns the HTML.
 */
export async function writeReport(path: string, opts: ReportOptions): Promise<string> {
  if (typeof path !== 'string' || path === '') throw new ValueError('writeReport', 'path', 'a file path', path);
  const html = await buildReport(opts, 'writeReport');
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, html, 'utf8');
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return html;
}

async function buildReport(opts: ReportOptions, caller: string): Promise<string> {
  checkOptions(opts, caller);
  const figures: GraphFigure[] = [];
  for (const [i, entry] of (opts.graphs ?? []).entries()) {
    const layout = await layoutGraph(entry.graph, entry);
    const g = entry.graph;
    const groups = entry.groups?.length ?? 0;
    figures.push({
      name: entry.name,
      svg: renderGraphSvg(layout, `${entry.name}: graph ${g.name}`, `fg-graph${i}`),
      facts: `graph ${g.name} · ${g.nodes.length} nodes · ${g.inputs.length} inputs · ${g.outputs.length} outputs` + (groups > 0 ? ` · ${groups} fused groups` : ''),
      irText: entry.showText === false ? undefined : g.toString(),
    });
  }
  const summary = Object.entries(opts.summary ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
  return renderPage({ title: opts.title, summary, charts: chartsOf(opts.curves ?? []), figures, generatedAt: new Date().toISOString() });
}

/** One chart per `chart` key (default the y label), its curves as series in their given order. */
function chartsOf(curves: readonly ReportCurve[]): string[] {
  const byChart = new Map<string, ReportCurve[]>();
  for (const c of curves) {
    const key = c.chart ?? c.yLabel;
    byChart.set(key, [...(byChart.get(key) ?? []), c]);
  }
  return [...byChart].map(([title, members]) =>
    renderLineChart(
      members.map((c) => ({ name: c.name, points: c.points })),
      { title, xLabel: members[0].xLabel ?? 'step', yLabel: members[0].yLabel },
    ),
  );
}

function checkOptions(opts: ReportOptions, caller: string): void {
  if (typeof opts !== 'object' || opts === null) throw new ValueError(caller, 'options', 'an object with a title', opts);
  if (typeof opts.title !== 'string') throw new ValueError(caller, 'title', 'a string', opts.title);
  if (opts.graphs !== undefined && !Array.isArray(opts.graphs)) throw new ValueError(caller, 'graphs', 'an array of { name, graph }', opts.graphs);
  (opts.graphs ?? []).forEach((g, i) => {
    if (typeof g?.name !== 'string') throw new ValueError(caller, `graphs[${i}].name`, 'a string', g?.name);
    if (!(g.graph instanceof Graph)) throw new ValueError(caller, `graphs[${i}].graph`, 'a Graph (from fg.trace or fg.gradGraph)', g.graph);
  });
  if (opts.curves !== undefined && !Array.isArray(opts.curves)) throw new ValueError(caller, 'curves', 'an array of { name, points, yLabel }', opts.curves);
  (opts.curves ?? []).forEach((c, i) => {
    if (typeof c?.name !== 'string') throw new ValueError(caller, `curves[${i}].name`, 'a string', c?.name);
    if (typeof c.yLabel !== 'string') throw new ValueError(caller, `curves[${i}].yLabel`, 'a string', c.yLabel);
    if (!Array.isArray(c.points)) throw new ValueError(caller, `curves[${i}].points`, 'an array of { x, y } numbers', c.points);
    (c.points as readonly unknown[]).forEach((p: any, k: number) => {
      if (typeof p?.x !== 'number' || typeof p.y !== 'number') throw new ValueError(caller, `curves[${i}].points[${k}]`, '{ x, y } with number fields', p);
    });
  });
  if (opts.summary !== undefined && (typeof opts.summary !== 'object' || opts.summary === null)) {
    throw new ValueError(caller, 'summary', 'an object of strings and numbers', opts.summary);
  }
}
