/**
 * @file bin/flowgrad.js as an installed package runs it: the package is built with tsc into a
 * temporary folder laid out like node_modules/flowgrad (package.json, bin/, dist/, no bench/
 * and no src/), and the bin script runs there in a child process.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let pkg = '';

/** Runs the installed bin script with `args`. */
const flowgrad = (...args: string[]) => spawnSync(process.execPath, [join(pkg, 'bin', 'flowgrad.js'), ...args], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });

describe('bin/flowgrad.js in an installed package', () => {
  beforeAll(() => {
    pkg = mkdtempSync(join(tmpdir(), 'fg-installed-'));
    mkdirSync(join(pkg, 'bin'));
    copyFileSync(join(REPO, 'bin', 'flowgrad.js'), join(pkg, 'bin', 'flowgrad.js'));
    copyFileSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    // tsc's exit status is not checked: a type error elsewhere still emits the JS this test runs.
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { encoding: 'utf8' });
    if (!existsSync(join(pkg, 'dist', 'cli', 'main.js'))) throw new Error(`the build produced no dist/cli/main.js:\n${tsc.stdout}${tsc.stderr}`);
  }, 120_000);

  it('prints the version and the IR of a built-in model', () => {
    const version = flowgrad('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
    const graph = flowgrad('graph', 'mlp', '--batch', '2');
    expect(graph.status).toBe(0);
    expect(graph.stdout).toContain('graph mlp_grad(%x: f32[2,784]');
  });

  it('says the benchmarks need a checkout', () => {
    const bench = flowgrad('bench');
    expect(bench.status).toBe(1);
    expect(bench.stderr).toContain('flowgrad: the benchmarks are not part of the installed flowgrad package');
  });
});

describe('bin/flowgrad.js without a build', () => {
  it('says to build first', () => {
    const bare = mkdtempSync(join(tmpdir(), 'fg-unbuilt-'));
    mkdirSync(join(bare, 'bin'));
    copyFileSync(join(REPO, 'bin', 'flowgrad.js'), join(bare, 'bin', 'flowgrad.js'));
    const r = spawnSync(process.execPath, [join(bare, 'bin', 'flowgrad.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dist/cli/main.js is missing: run `npm run build` first');
  });
});
