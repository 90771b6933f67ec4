/**
 * @file End to end: a report with LeNet-5's forward graph (hand-made fused groups), its
 * gradient graph and training curves, opened in headless Chromium. Checks that every node
 * has a box, edges and curves are drawn, labels fit their boxes, nothing is fetched, and
 * keeps a screenshot. Skips, saying how to install it, where /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { modelGraphs } from '../../src/cli/models.js';
import { writeReport } from '../../src/report/index.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const INSTALL_HINT = `${CHROMIUM} is missing; install it with: apt-get install -y chromium`;
if (!hasChromium) console.warn(`test/report/chromium.test.ts skipped: ${INSTALL_HINT}`);

/** The project compiles without the DOM library: the few DOM and SVG members the page checks use. */
interface SvgNode {
  querySelector(selector: string): SvgNode | null;
  querySelectorAll(selector: string): Iterable<SvgNode> & { length: number };
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  getBBox(): { width: number; height: number };
  getTotalLength(): number;
  getComputedTextLength(): number;
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function writeLeNetReport(dir: string): Promise<{ path: string; nodeCounts: number[] }> {
  const m = modelGraphs('lenet', 16);
  const f = m.forward;
  // What a fusion pass might produce: conv + bias + relu, and the second conv block.
  const groups = [f.nodes.slice(0, 4), f.nodes.slice(5, 9)];
  const steps = Array.from({ length: 120 }, (_, i) => i);
  const path = join(dir, 'report.html');
  await writeReport(path, {
    title: 'LeNet-5 on MNIST (test report)',
    graphs: [
      { name: 'forward', graph: f, groups },
      { name: 'gradient', graph: m.backward, outputNames: m.backwardOutputNames },
    ],
    curves: [
      { name: 'eager', yLabel: 'loss', points: steps.map((x) => ({ x, y: 2.3 * Math.exp(-x / 25) + 0.05 })) },
      { name: 'jit', yLabel: 'loss', points: steps.map((x) => ({ x, y: 2.3 * Math.exp(-x / 25) + 0.06 })) },
      { name: 'test accuracy', yLabel: 'accuracy (%)', xLabel: 'epoch', points: [{ x: 1, y: 96.9 }, { x: 2, y: 98.2 }, { x: 3, y: 98.7 }] },
    ],
    summary: { 'test accuracy': '98.7 %', 'eager step': '21.0 ms', 'jit step': '9.5 ms' },
  });
  return { path, nodeCounts: [f.nodes.length, m.backward.nodes.length] };
}

describe('the HTML report in Chromium', () => {
  it.skipIf(!hasChromium)(`renders graphs and curves${hasChromium ? '' : ` (skipped: ${INSTALL_HINT})`}`, { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgrad-report-'));
    const { path, nodeCounts } = await writeLeNetReport(dir);
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'flowgrad-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 1000 },
    });
    try {
      const page = await context.newPage();
      const fetched: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => fetched.push(r.url()));
      page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
      page.on('pageerror', (err) => problems.push(err.message));
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });

      const figures = await page.$$eval('figure.fg-figure', (els) =>
        (els as unknown as SvgNode[]).map((fig) => {
          const boxes = [...fig.querySelectorAll('g.fg-box.fg-op')];
          const paths = [...fig.querySelectorAll('g.fg-edge path')];
          // Labels measured with the real font must fit inside their boxes.
          const overflowing = boxes.filter((b) => {
            const rect = b.querySelector('rect')!.getBBox();
            return [...b.querySelectorAll('text')].some((t) => t.getComputedTextLength() > rect.width - 2);
          });
          return {
            boxes: boxes.length,
            visibleBoxes: boxes.filter((b) => b.getBBox().width > 0).length,
            edges: paths.length,
            drawnEdges: paths.filter((p) => (p.getAttribute('d') ?? '') !== '' && p.getTotalLength() > 0).length,
            edgeLabels: fig.querySelectorAll('text.fg-edge-label').length,
            groups: fig.querySelectorAll('g.fg-group').length,
            overflowing: overflowing.map((b) => b.querySelector('title')?.textContent ?? '?'),
          };
        }),
      );
      expect(figures.map((f) => f.boxes)).toEqual(nodeCounts);
      for (const f of figures) {
        expect(f.visibleBoxes).toBe(f.boxes);
        expect(f.edges).toBeGreaterThan(f.boxes);
        expect(f.drawnEdges).toBe(f.edges);
        expect(f.edgeLabels).toBe(f.edges);
        expect(f.overflowing).toEqual([]);
      }
      expect(figures.map((f) => f.groups)).toEqual([2, 0]);

      const charts = await page.$$eval('svg.fg-chart', (els) =>
        (els as unknown as SvgNode[]).map((svg) => ({
          series: [...svg.querySelectorAll('path.fg-series')].map((p) => ({ d: p.getAttribute('d') ?? '', length: p.getTotalLength() })),
          axisLabels: [...svg.querySelectorAll('.fg-axis-label')].map((t) => t.textContent),
          ticks: svg.querySelectorAll('.fg-tick').length,
        })),
      );
      expect(charts).toHaveLength(2);
      expect(charts.map((c) => c.series.length)).toEqual([2, 1]);
      for (const c of charts) {
        for (const s of c.series) {
          expect(s.d).toMatch(/^M[\d.]+,[\d.]+ L/);
          expect(s.length).toBeGreaterThan(0);
        }
        expect(c.ticks).toBeGreaterThanOrEqual(6);
      }
      expect(charts.map((c) => c.axisLabels)).toEqual([
        ['step', 'loss'],
        ['epoch', 'accuracy (%)'],
      ]);

      expect(fetched.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      expect(problems).toEqual([]);

      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
      console.log(`report screenshot: ${shot}`);
    } finally {
      await context.close();
    }
  });
});
