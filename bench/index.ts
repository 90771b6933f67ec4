/**
 * @file `npm run bench [-- topic…] [--markdown]`: runs the benchmark topics side by side
 * with the peers and prints one table per topic, then a summary of every row.
 *
 * Topics: matmul, conv2d, mlpStep, exp, dispatch, trace (all when none is named).
 * BENCH_QUICK=1 runs fewer iterations, for a smoke test; its numbers are not for quoting.
 */
import { cpus, loadavg } from 'node:os';
import * as fg from '../src/index.js';
import { type Row, formatMarkdown, formatTable, planFromEnv, QUICK_PLAN, runCase } from './harness.js';
import { LIBRARIES, loadPeers, type Topic } from './peers.js';
import { topic as conv2d } from './conv2d.bench.js';
import { topic as dispatch } from './dispatch.bench.js';
import { topic as exp } from './exp.bench.js';
import { topic as matmul } from './matmul.bench.js';
import { topic as mlpStep } from './mlpStep.bench.js';
import { topic as trace } from './traceRerun.bench.js';

const TOPICS: Topic[] = [matmul, conv2d, mlpStep, exp, dispatch, trace];

/** A mistake on the command line: reported in one line, without a stack. */
class UsageError extends Error {}

function selectTopics(args: readonly string[]): Topic[] {
  const names = args.filter((a) => !a.startsWith('--'));
  if (names.length === 0) return TOPICS;
  const byName = new Map(TOPICS.map((t) => [t.name.toLowerCase(), t]));
  const unknown = names.filter((n) => !byName.has(n.toLowerCase()));
  if (unknown.length > 0) {
    throw new UsageError(`unknown topic ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${TOPICS.map((t) => t.name).join(', ')}`);
  }
  return names.map((n) => byName.get(n.toLowerCase())!);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topics = selectTopics(args);
  const plan = planFromEnv();
  const cpu = cpus();
  console.log(`flowgrad benchmarks · node ${process.version} · ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} · ${process.platform}/${process.arch}`);
  console.log(
    `plan: at least ${plan.warmup} warm-up runs and ${plan.warmupMs} ms, then ${plan.minRuns}–${plan.maxRuns} timed runs (about ${plan.budgetMs} ms) per library; medians shown` +
      (plan === QUICK_PLAN ? '  [BENCH_QUICK: smoke test, numbers not for quoting]' : ''),
  );
  const load = loadavg()[0];
  console.log(
    `load average ${load.toFixed(2)} at start` +
      (load > cpu.length / 2 ? ` — other processes are using these ${cpu.length} CPUs: expect noisy numbers` : ''),
  );
  const peers = await loadPeers();
  // Like the peers' backends, flowgrad's kernel threads start before timing, not during it.
  await fg.warmUpPool();
  for (const line of peers.description) console.log(`peer: ${line}`);
  for (const [library, reason] of peers.missing) console.log(`peer: ${library} unavailable: ${reason}`);

  const allRows: Row[] = [];
  for (const topic of topics) {
    console.log(`\n== ${topic.title}`);
    const rows: Row[] = [];
    for (const c of topic.cases(peers)) {
      process.stderr.write(`  running ${c.name} …\n`);
      rows.push(await runCase(c, plan));
    }
    console.log(formatTable(rows, LIBRARIES));
    for (const line of topic.afterword?.() ?? []) console.log(line);
    allRows.push(...rows);
  }
  if (topics.length > 1) console.log(`\n== summary\n${formatTable(allRows, LIBRARIES)}`);
  if (args.includes('--markdown')) console.log(`\n${formatMarkdown(allRows, LIBRARIES)}`);
}

// Print errors briefly ourselves: tfjs-wasm's emscripten glue rethrows uncaught errors
// from its own handler, which would dump a page of minified source instead.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`bench: ${error.message}`);
    else console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
