/**
 * @file `flowgrad bench [topic…] [--markdown]`: runs bench/index.ts of a flowgrad checkout in
 * a child Node process (through tsx), passing its arguments through. The bench folder is not
 * published with the package, so an installed copy explains where to run it instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CliError } from './io.js';

/** The nearest folder at or above `start` whose package.json names the package `flowgrad`. */
export function findPackageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'flowgrad') return dir;
      } catch {
        // An unreadable package.json is not ours; keep looking further up.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The command line that runs the benchmarks of the checkout at `root`. */
export interface BenchInvocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** How to run the benchmarks from `root`, or a CliError saying why they cannot run from there. */
export function benchInvocation(root: string | undefined, passThrough: readonly string[]): BenchInvocation {
  if (root === undefined || !existsSync(join(root, 'bench', 'index.ts'))) {
    throw new CliError(
      `the benchmarks are not part of the installed flowgrad package (no bench/index.ts${root === undefined ? '' : ` under ${root}`}).\n` +
        'They run from a git checkout of flowgrad: npm install, then npm run bench (or npx flowgrad bench).',
    );
  }
  try {
    createRequire(join(root, 'package.json')).resolve('tsx');
  } catch {
    throw new CliError(`the benchmarks need the dev dependency tsx, which is not installed under ${root}: run npm install there first.`);
  }
  return { command: process.execPath, args: ['--import', 'tsx', 'bench/index.ts', ...passThrough], cwd: root };
}

/** Runs `inv` with the terminal attached and resolves to its exit status (1 if a signal ended it). */
export function runInvocation(inv: BenchInvocation): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(inv.command, [...inv.args], { cwd: inv.cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const HERE = dirname(fileURLToPath(import.meta.url));

export interface BenchCommandOptions {
  /** Runs the child process (default: runInvocation); replaceable for tests. */
  readonly run?: (inv: BenchInvocation) => Promise<number>;
  /** The checkout to run from (default: the flowgrad package this file belongs to). */
  readonly root?: string;
}

/** The `bench` subcommand. */
export function benchCommand(setExitCode: (code: number) => void, opts: BenchCommandOptions = {}): Command {
  const run = opts.run ?? runInvocation;
  return new Command('bench')
    .description('run the benchmarks beside tfjs and jax-js (from a checkout); arguments go to bench/index.ts')
    .argument('[args...]', 'topics (matmul, conv2d, mlpStep, exp, dispatch) and flags such as --markdown')
    .allowUnknownOption()
    .addHelpText('after', '\nSet BENCH_QUICK=1 for a short smoke run whose numbers are not for quoting.')
    .action(async (args: string[]) => {
      setExitCode(await run(benchInvocation(opts.root ?? findPackageRoot(HERE), args)));
    });
}
