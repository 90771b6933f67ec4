/**
 * @file `npm run demo`: runs the MNIST LeNet-5 demo from the command line, with a few
 * options (the `flowgrad demo` CLI offers the same through commander). Exits with 1 when
 * the eager and jit losses disagree, 2 on a bad option.
 *
 *     node --import tsx src/demo/main.ts --epochs 1 --mode jit --no-report
 */
import { parseArgs } from 'node:util';
import { FlowgradError } from '../errors.js';
import { type DemoMode, type DemoOptions, runDemo } from './run.js';

const USAGE = `usage: npm run demo -- [--epochs N] [--batch-size N] [--mode eager|jit|both] [--lr X]
                       [--train-count N] [--test-count N] [--seed N] [--report PATH | --no-report] [--quiet]`;

/** The options on the command line, as runDemo takes them (numbers are checked there, which names the option). */
function demoOptions(argv: string[]): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      mode: { type: 'string' },
      lr: { type: 'string' },
      'train-count': { type: 'string' },
      'test-count': { type: 'string' },
      seed: { type: 'string' },
      report: { type: 'string' },
      'no-report': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  return {
    epochs: num(values.epochs),
    batchSize: num(values['batch-size']),
    mode: values.mode as DemoMode | undefined,
    lr: num(values.lr),
    trainCount: num(values['train-count']),
    testCount: num(values['test-count']),
    seed: num(values.seed),
    report: values['no-report'] ? null : (values.report ?? 'flowgrad-report.html'),
    quiet: values.quiet,
  };
}

let options: DemoOptions | 'help';
try {
  options = demoOptions(process.argv.slice(2));
} catch (e) {
  // parseArgs rejects unknown options and missing values with a readable message.
  console.error(`demo: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
} else {
  try {
    const summary = await runDemo(options);
    if (!summary.ok) process.exitCode = 1;
  } catch (e) {
    if (!(e instanceof FlowgradError)) throw e;
    console.error(`demo: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
  }
}
