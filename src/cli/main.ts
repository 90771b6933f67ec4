/**
 * @file The `flowgrad` command line: `demo`, `graph` and `bench`, parsed by commander.
 * bin/flowgrad.js calls `main` from the built copy; `node --import tsx src/cli/main.ts …`
 * runs this file directly from a checkout.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { FlowgradError } from '../errors.js';
import { type BenchInvocation, benchCommand } from './bench.js';
import { type RunDemo, demoCommand } from './demo.js';
import { graphCommand } from './graph.js';
import { CliError, type CliIO, processIO } from './io.js';

/** Replaceable parts, for tests: the demo loader and the benchmark runner. */
export interface CliDeps {
  readonly loadDemo?: () => Promise<RunDemo>;
  readonly runBench?: (inv: BenchInvocation) => Promise<number>;
  readonly packageRoot?: string;
}

/** The commander program; `setExitCode` receives a subcommand's failure status. */
export function createProgram(io: CliIO, setExitCode: (code: number) => void, deps: CliDeps = {}): Command {
  const program = new Command('flowgrad')
    .description('flowgrad: deep learning for TypeScript on Node.js, built around the computation graph')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  program.addCommand(demoCommand(io, setExitCode, deps.loadDemo));
  program.addCommand(graphCommand(io));
  program.addCommand(benchCommand(setExitCode, { run: deps.runBench, root: deps.packageRoot }));
  // Subcommands report usage errors through the program's output and exit override too.
  for (const cmd of program.commands) {
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }).exitOverride().showHelpAfterError(`(run flowgrad ${cmd.name()} --help for usage)`);
  }
  return program;
}

/**
 * Runs the CLI on `argv` (as in process.argv: node, script, then arguments) and resolves to
 * the exit status. Never calls process.exit, so it is safe to call from tests.
 */
export async function main(argv: readonly string[] = process.argv, io: CliIO = processIO, deps: CliDeps = {}): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, (code) => (exitCode = code), deps);
  try {
    await program.parseAsync([...argv], { from: 'node' });
    return exitCode;
  } catch (err) {
    // commander has already printed its message (usage errors) or the help/version text.
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`flowgrad: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof FlowgradError) {
      io.err(`flowgrad: ${err.name}: ${err.message}\n`);
      return 1;
    }
    io.err(`flowgrad: unexpected error (a bug; please report it)\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 70;
  }
}

/** The version in package.json, two folders up from both src/cli/ and dist/cli/. */
function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** True when this module is the process's entry script (not imported by bin/flowgrad.js or a test). */
function isEntryScript(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryScript()) process.exitCode = await main();
