/**
 * @file The pass manager: passes by name, run in order until a round changes nothing, the
 * graph verified after every pass that changed it (a failure names the pass and the passes
 * before it), and optionally in differential mode (differential.ts), which runs the graph
 * before and after each pass and stops at the first pass that changed the numbers.
 *
 * A pass is a pure function Graph → Graph that returns its argument itself when it changes
 * nothing (that is how the manager sees a fixed point); it never edits its input.
 */
import { FlowgradError, GraphFormatError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { printGraph } from '../ir/printer.js';
import { verifyGraph } from '../ir/verify.js';
import { algebraic } from './algebraic.js';
import { constantFolding } from './constantFolding.js';
import { cse } from './cse.js';
import { dce } from './dce.js';
import { lowerControlFlow } from './lowerControlFlow.js';
import { type CheckOptions, DifferentialCheck, type Mismatch } from './differential.js';
import { fusion } from './fusion.js';

export type GraphPass = (g: Graph) => Graph;

/** A registered pass by name, or a pass function given directly (to try one out, or in tests). */
export type PassSpec = string | { readonly name: string; readonly run: GraphPass };

const passes = new Map<string, GraphPass>([
  ['constantFolding', constantFolding],
  ['cse', cse],
  ['dce', dce],
  ['algebraic', algebraic],
  ['lowerControlFlow', lowerControlFlow],
  ['fusion', (g) => fusion(g)],
]);

/** Named in API.md, not built yet: asking for one says so rather than "unknown". */
const PLANNED = ['layout', 'memoryPlan'];

/** Makes a pass available to optimize/compile under `name` (later passes plug in here). */
export function registerPass(name: string, pass: GraphPass): void {
  passes.set(name, pass);
}

/** Names of the passes that can run now. */
export const availablePasses = (): string[] => [...passes.keys()];

/** The pass registered as `name`; a FlowgradError for planned or unknown names, listing the available ones. */
export function passNamed(caller: string, name: string): GraphPass {
  const pass = passes.get(name);
  if (pass) return pass;
  const available = `available: ${availablePasses().join(', ')}`;
  if (PLANNED.includes(name)) throw new FlowgradError(`${caller}: pass '${name}' is not available yet; ${available}`);
  throw new FlowgradError(`${caller}: unknown pass ${JSON.stringify(name)}; ${available}`);
}

/** One pass application, for logs and tests. */
export interface PassRecord {
  readonly pass: string;
  /** 1 for the first time through the list. */
  readonly round: number;
  readonly changed: boolean;
  readonly nodesBefore: number;
  readonly nodesAfter: number;
}

export interface RunPassesOptions {
  /** Repeat the list until a round changes nothing (default true). */
  fixedPoint?: boolean;
  /** At most this many rounds (default 10). */
  maxRounds?: number;
  /** Differential mode: compare numbers before and after each pass that changed the graph. */
  check?: CheckOptions | null;
  /** Names the caller in errors (default 'runPasses'). */
  caller?: string;
}

export interface PassRun {
  readonly graph: Graph;
  readonly log: readonly PassRecord[];
  /** In differential mode: the first pass that changed the numbers (the run stops there), else null. */
  readonly mismatch: Mismatch | null;
}

/**
 * Runs the passes over `g` (which must verify) and returns the final graph and a log.
 *
 *     const { graph, log } = runPasses(g, ['algebraic', 'cse', 'dce']);
 */
export function runPasses(g: Graph, specs: readonly PassSpec[], options: RunPassesOptions = {}): PassRun {
  const caller = options.caller ?? 'runPasses';
  const list = specs.map((s) => (typeof s === 'string' ? { name: s, run: passNamed(caller, s) } : s));
  try {
    verifyGraph(g);
  } catch (e) {
    if (e instanceof GraphFormatError) throw new GraphFormatError(`${caller}: the input graph is invalid (before any pass): ${e.message}`);
    throw e;
  }
  const check = options.check ? new DifferentialCheck(g, options.check, caller) : null;
  const log: PassRecord[] = [];
  const maxRounds = options.maxRounds ?? 10;
  let graph = g;
  try {
    for (let round = 1; round <= maxRounds; round++) {
      let changedInRound = false;
      for (const { name, run } of list) {
        const before = graph;
        const text = check ? printGraph(before) : '';
        const after = run(before);
        const changed = after !== before;
        log.push({ pass: name, round, changed, nodesBefore: before.nodes.length, nodesAfter: after.nodes.length });
        if (!changed) continue;
        changedInRound = true;
        verifyAfter(caller, name, after, log);
        if (check) {
          if (printGraph(before) !== text) throw new FlowgradError(`internal: pass '${name}' modified its input graph (passes must return a new graph)`);
          const mismatch = check.compare(name, round, after);
          if (mismatch) return { graph: before, log, mismatch };
        }
        graph = after;
      }
      if (!changedInRound || options.fixedPoint === false) break;
    }
  } finally {
    check?.restore();
  }
  return { graph, log, mismatch: null };
}

function verifyAfter(caller: string, name: string, g: Graph, log: readonly PassRecord[]): void {
  try {
    verifyGraph(g);
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    const earlier = log.slice(0, -1).filter((r) => r.changed).map((r) => r.pass);
    const after = earlier.length > 0 ? `after ${earlier.join(', ')}` : 'as the first pass to change the graph';
    throw new GraphFormatError(`${caller}: pass '${name}' (${after}) produced an invalid graph: ${e.message}`);
  }
}
