import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { renderLineChart } from '../../src/report/chart.js';
import { renderReport, writeReport, type ReportOptions } from '../../src/report/index.js';

function lossGraph(): fg.Graph {
  return fg.trace((x: fg.Tensor, w: fg.Tensor) => fg.mean(fg.relu(fg.matmul(x, w))), [fg.spec([8, 4]), fg.spec([4, 3])]);
}

function options(): ReportOptions {
  const g = lossGraph();
  return {
    title: 'run <1> & "friends"',
    graphs: [
      { name: 'forward', graph: g, groups: [[g.nodes[0], g.nodes[1]]] },
      { name: 'gradient', graph: fg.gradGraph(g) },
    ],
    curves: [
      { name: 'eager', yLabel: 'loss', points: [{ x: 0, y: 2.3 }, { x: 1, y: 1.1 }, { x: 2, y: 0.6 }] },
      { name: 'jit', yLabel: 'loss', points: [{ x: 0, y: 2.31 }, { x: 1, y: 1.09 }, { x: 2, y: 0.61 }] },
      { name: 'accuracy', yLabel: 'test accuracy (%)', xLabel: 'epoch', points: [{ x: 1, y: 97.2 }] },
    ],
    summary: { 'test accuracy': '97.2 %', epochs: 1 },
  };
}

describe('renderReport', () => {
  it('is one self-contained page that fetches nothing', async () => {
    const html = await renderReport(options());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(http/i);
    // The only URL is the SVG namespace, which is a name, never fetched.
    const urls = new Set(html.match(/https?:\/\/[^"'\s)]+/g));
    expect([...urls]).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('escapes every user string', async () => {
    const html = await renderReport({ ...options(), summary: { '<b>key</b>': '<script>alert(1)</script>' } });
    expect(html).toContain('<title>run &lt;1&gt; &amp; &quot;friends&quot;</title>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>key</b>');
  });

  it('draws each graph, its boxes, legend, IR text, and one chart per y label', async () => {
    const opts = options();
    const html = await renderReport(opts);
    const figures = html.split('<figure').slice(1);
    expect(figures).toHaveLength(2);
    for (const [i, entry] of opts.graphs!.entries()) {
      expect(figures[i].match(/class="fg-box fg-op"/g)).toHaveLength(entry.graph.nodes.length);
      expect(figures[i]).toContain(`graph ${entry.graph.name} · ${entry.graph.nodes.length} nodes`);
    }
    expect(figures[0].match(/class="fg-group"/g)).toHaveLength(1);
    expect(html).toContain('matmul / conv / pool');
    expect(html).toContain('<summary>IR text</summary>');
    expect(html.match(/<svg[^>]*class="fg-chart"/g)).toHaveLength(2);
    expect(html).toContain('<th scope="row">test accuracy</th><td>97.2 %</td>');
  });

  it('rejects malformed options with the argument named', async () => {
    await expect(renderReport({ title: 3 } as never)).rejects.toThrow(/renderReport: argument 'title' expected a string, got 3/);
    await expect(renderReport({ title: 't', graphs: [{ name: 'g', graph: {} as fg.Graph }] })).rejects.toThrow(/graphs\[0\]\.graph' expected a Graph/);
    await expect(renderReport({ title: 't', curves: [{ name: 'c', yLabel: 'y', points: [{ x: 0, y: '1' as never }] }] })).rejects.toThrow(/curves\[0\]\.points\[0\]' expected \{ x, y \}/);
  });
});

describe('writeReport', () => {
  it('writes the file atomically, creating folders, and returns the HTML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-report-'));
    const path = join(dir, 'nested', 'report.html');
    const html = await writeReport(path, options());
    expect(readFileSync(path, 'utf8')).toBe(html);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['report.html']);
    await expect(writeReport('', options())).rejects.toThrow(/writeReport: argument 'path' expected a file path/);
  });
});

describe('renderLineChart', () => {
  it('breaks the line at non-finite values and labels both axes', () => {
    const svg = renderLineChart([{ name: 'loss', points: [{ x: 0, y: 1 }, { x: 1, y: NaN }, { x: 2, y: 0.5 }, { x: 3, y: 0.4 }] }], { title: 'loss', xLabel: 'step', yLabel: 'loss' });
    const d = /class="fg-series"[^>]* d="([^"]+)"/.exec(svg)![1];
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(1);
    expect(svg).toContain('fg-axis-label-x');
    expect(svg).toMatch(/fg-axis-label-y[^>]*>loss</);
  });

  it('says so when there is nothing to draw', () => {
    const svg = renderLineChart([{ name: 'loss', points: [] }], { title: 'loss', xLabel: 'step', yLabel: 'loss' });
    expect(svg).toContain('>no data<');
    expect(svg).not.toContain('fg-series"');
  });
});
