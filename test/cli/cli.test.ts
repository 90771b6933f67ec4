import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BenchInvocation, benchInvocation, findPackageRoot } from '../../src/cli/bench.js';
import { type DemoOptions, loadRunDemo } from '../../src/cli/demo.js';
import type { CliIO } from '../../src/cli/io.js';
import { type CliDeps, main } from '../../src/cli/main.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Runs the CLI with `args`, capturing both streams. */
async function cli(args: string[], deps: CliDeps = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(['node', 'flowgrad', ...args], io, deps);
  return { code, out, err };
}

describe('flowgrad (top level)', () => {
  it('lists its commands and prints the package version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['demo', 'graph', 'bench']) expect(help.out).toContain(cmd);
    const version = await cli(['--version']);
    expect(version.out.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });

  it('fails on an unknown command with usage help', async () => {
    const r = await cli(['train']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown command 'train'/);
  });
});

describe('flowgrad demo', () => {
  const fake = () => {
    const calls: DemoOptions[] = [];
    return { calls, deps: { loadDemo: async () => (o: DemoOptions) => void calls.push(o) } };
  };

  it('passes the parsed options to runDemo', async () => {
    const { calls, deps } = fake();
    expect((await cli(['demo', '--epochs', '3', '--batch-size', '128', '--mode', 'jit', '--report', 'out/r.html'], deps)).code).toBe(0);
    expect(calls).toEqual([{ epochs: 3, batchSize: 128, mode: 'jit', report: 'out/r.html' }]);
  });

  it("leaves epochs and batch size to the demo, defaults to both modes and a report, and --no-report drops it", async () => {
    const { calls, deps } = fake();
    await cli(['demo'], deps);
    await cli(['demo', '--no-report'], deps);
    expect(calls).toEqual([{ mode: 'both', report: 'flowgrad-report.html' }, { mode: 'both' }]);
  });

  it('rejects bad option values before loading the demo', async () => {
    const { calls, deps } = fake();
    const epochs = await cli(['demo', '--epochs', '0'], deps);
    expect(epochs.code).toBe(1);
    expect(epochs.err).toMatch(/--epochs <n>' argument '0' is invalid. expected a whole number of at least 1/);
    const mode = await cli(['demo', '--mode', 'fast'], deps);
    expect(mode.err).toMatch(/Allowed choices are eager, jit, both/);
    expect((await cli(['demo', '--batch-size', '1.5'], deps)).code).toBe(1);
    expect(calls).toEqual([]);
  });

  it('exits with status 1 when runDemo reports a failure', async () => {
    const r = await cli(['demo'], { loadDemo: async () => () => ({ ok: false }) });
    expect(r.code).toBe(1);
    expect(r.err).toContain('reported a failure');
  });

  it('loads runDemo from a module, and says clearly when it is missing or incomplete', async () => {
    const runDemo = await loadRunDemo(new URL('./fixtures/fakeDemo.ts', import.meta.url).href);
    const fixture = await import('./fixtures/fakeDemo.js');
    await runDemo({ mode: 'eager' });
    expect(fixture.calls).toEqual([{ mode: 'eager' }]);

    const missing = new URL('./fixtures/nowhere/run.js', import.meta.url).href;
    await expect(loadRunDemo(missing)).rejects.toThrow(/the MNIST demo is not part of this build: .*nowhere\/run\.js \(or its \.ts source\) is missing/);
    const r = await cli(['demo'], { loadDemo: () => loadRunDemo(missing) });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^flowgrad: the MNIST demo is not part of this build/);

    await expect(loadRunDemo(new URL('./fixtures/noRunDemo.ts', import.meta.url).href)).rejects.toThrow(/does not export a function runDemo\(options\)/);
  });
});

describe('flowgrad graph', () => {
  it('prints the forward and gradient graphs of the MLP as IR text', async () => {
    const r = await cli(['graph', 'mlp', '--batch', '4']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# mlp: MLP 784-128-10');
    expect(r.out).toMatch(/# forward graph: \d+ nodes\ngraph mlp\(%x: f32\[4,784\], %labels: i32\[4\], %fc1\.weight: f32\[784,128\]/);
    expect(r.out).toMatch(/# gradient graph: \d+ nodes\ngraph mlp_grad\(/);
    expect(r.out).toMatch(/= matmul %x, %fc1\.weight/);
  });

  it('traces for a symbolic batch when --batch is a name', async () => {
    const r = await cli(['graph', 'mlp', '--batch', 'batch']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/graph mlp\(%x: f32\[batch,784\], %labels: i32\[batch\]/);
    expect(r.out).toMatch(/numel/);
  });

  it('prints the split forward and backward graphs of LeNet-5', async () => {
    const r = await cli(['graph', '--split', '--batch', '2']);
    expect(r.out).toMatch(/# forward graph: \d+ nodes\ngraph lenet5_forward\(%x: f32\[2,1,28,28\]/);
    expect(r.out).toMatch(/# backward graph: \d+ nodes\ngraph lenet5_backward\(/);
    expect(r.out).toContain('conv2dBackwardWeight');
  });

  it('writes DOT to stdout or a file, and an HTML picture', async () => {
    const dot = await cli(['graph', 'mlp', '--dot']);
    expect(dot.out.match(/^digraph /gm)).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'fg-cli-'));
    const dotFile = join(dir, 'mlp.dot');
    const html = join(dir, 'mlp.html');
    const r = await cli(['graph', 'mlp', '--dot', dotFile, '--html', html]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain(`wrote ${html}`);
    expect(readFileSync(dotFile, 'utf8')).toContain('digraph "mlp_grad"');
    const page = readFileSync(html, 'utf8');
    expect(page.match(/<figure/g)).toHaveLength(2);
    expect(page).toContain('grad fc1.weight');
  });

  it('rejects an unknown model and a bad batch size', async () => {
    const model = await cli(['graph', 'resnet']);
    expect(model.code).toBe(1);
    expect(model.err).toMatch(/Allowed choices are mlp, lenet/);
    expect((await cli(['graph', '--batch', '-3'])).code).toBe(1);
  });
});

describe('flowgrad bench', () => {
  it('runs bench/index.ts of the checkout through tsx, passing arguments through', async () => {
    const runs: BenchInvocation[] = [];
    const r = await cli(['bench', 'matmul', '--markdown'], { runBench: async (inv) => (runs.push(inv), 3) });
    expect(r.code).toBe(3);
    expect(runs).toEqual([{ command: process.execPath, args: ['--import', 'tsx', 'bench/index.ts', 'matmul', '--markdown'], cwd: REPO }]);
  });

  it('finds the package root from inside it', () => {
    expect(findPackageRoot(join(REPO, 'src', 'cli'))).toBe(REPO);
    expect(findPackageRoot(tmpdir())).toBeUndefined();
  });

  it('explains that an installed package has no benchmarks', async () => {
    const installed = mkdtempSync(join(tmpdir(), 'fg-installed-'));
    expect(() => benchInvocation(installed, [])).toThrow(/benchmarks are not part of the installed flowgrad package/);
    expect(() => benchInvocation(undefined, [])).toThrow(/They run from a git checkout of flowgrad/);
    const r = await cli(['bench'], { packageRoot: installed, runBench: async () => 0 });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^flowgrad: the benchmarks are not part of the installed flowgrad package/);
  });
});
