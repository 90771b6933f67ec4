/**
 * @file fg.optimize: the public entry to the passes (API.md "Static graphs").
 *
 *     const g2 = fg.optimize(g);                                  // the default pipeline
 *     const g3 = fg.optimize(g, { passes: ['cse', 'dce'] });      // these, in this order
 *     fg.optimize(g, { check: true });   // differential mode: throws naming the first pass that changed the numbers
 */
import { FlowgradError, ValueError, describe } from '../errors.js';
import { Graph } from '../ir/graph.js';
import { type CheckOptions, checkOptions } from './differential.js';
import { type PassSpec, passNamed, runPasses } from './manager.js';

/**
 * The default pipeline, repeated until nothing changes: simplify first (so folding sees
 * x·1 as x), fold, merge duplicates, drop what no output needs, then fuse elementwise chains
 * last, so every other pass has seen each op on its own (a fused node is opaque to them).
 */
export const DEFAULT_PASSES: readonly string[] = ['algebraic', 'constantFolding', 'cse', 'dce', 'fusion'];

export interface OptimizeOptions {
  /** Pass names, run in order (default DEFAULT_PASSES). */
  passes?: readonly string[];
  /** Differential mode: `true`, or `{ inputs?, tolerance?, seed? }` (see passes/differential.ts). */
  check?: boolean | CheckOptions;
  /** Repeat the passes until a round changes nothing (default true); at most maxRounds rounds (default 10). */
  fixedPoint?: boolean;
  maxRounds?: number;
}

const OPTION_NAMES = ['passes', 'check', 'fixedPoint', 'maxRounds'];

/** Validates a `passes` option (an array of available pass names); `caller` names the function in errors. */
export function checkPassNames(caller: string, passes: unknown): string[] {
  if (!Array.isArray(passes)) throw new ValueError(caller, 'passes', 'an array of pass names such as ["cse", "dce"]', passes);
  passes.forEach((name, i) => {
    if (typeof name !== 'string') throw new ValueError(caller, `passes[${i}]`, 'a pass name (a string)', name);
    passNamed(caller, name);
  });
  return [...passes] as string[];
}

/** A new graph computing the same outputs as `g`, rewritten by the passes; `g` is not modified. */
export function optimize(g: Graph, options: OptimizeOptions = {}): Graph {
  if (!(g instanceof Graph)) throw new ValueError('optimize', 'g', 'a Graph (from fg.trace, fg.parseGraph or a GraphBuilder)', g);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ValueError('optimize', 'options', 'an object such as { passes: ["cse", "dce"] }', options);
  for (const k of Object.keys(options)) {
    if (!OPTION_NAMES.includes(k)) throw new FlowgradError(`optimize: unknown option ${describe(k)} (known: ${OPTION_NAMES.join(', ')})`);
  }
  const names: PassSpec[] = options.passes === undefined ? [...DEFAULT_PASSES] : checkPassNames('optimize', options.passes);
  const check = checkOptions('optimize', options.check);
  if (options.fixedPoint !== undefined && typeof options.fixedPoint !== 'boolean') throw new ValueError('optimize', 'fixedPoint', 'a boolean', options.fixedPoint);
  const { maxRounds } = options;
  if (maxRounds !== undefined && (!Number.isInteger(maxRounds) || maxRounds < 1)) throw new ValueError('optimize', 'maxRounds', 'a positive integer', maxRounds);
  const run = runPasses(g, names, { check, fixedPoint: options.fixedPoint, maxRounds, caller: 'optimize' });
  if (run.mismatch) {
    const { pass, round, detail } = run.mismatch;
    const before = run.log.slice(0, -1).filter((r) => r.changed).map((r) => r.pass);
    throw new FlowgradError(`optimize: differential check: pass '${pass}' changed the numbers (round ${round}${before.length > 0 ? `, after ${before.join(', ')}` : ''}): ${detail}`);
  }
  return run.graph;
}
