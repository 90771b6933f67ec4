/**
 * @file jit's source mode front end: read the function's source, rewrite its `if`, `while`
 * and `?:` (rewrite.ts) and rebuild it. A rebuilt function has lost its closure, so the
 * variables it uses from outside come from `scope` (or are JS globals); a missing one is
 * named in the error. Only the user's own function text and identifiers checked against a
 * strict pattern go into the rebuilt source.
 */
import { ValueError } from '../../errors.js';
import { rewriteFunction } from './rewrite.js';
import { type SourceRuntime } from './runtime.js';
import { declaredIn, functionSyntax, patternNames, readIn, sourceError, type SyntaxNode } from './syntax.js';

export interface Converted<F> {
  /** The function to trace: f rebuilt with its control flow converted, or f itself if it has none. */
  readonly fn: F;
  /** One line per converted construct (shown by jitted.explain()). */
  readonly conversions: readonly string[];
  /** The rewritten source, for explain() and debugging. */
  readonly code: string | null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Rewrites `f`'s control flow; throws a FlowgradError when the source cannot be used. */
export function convertSource<F extends (...args: any[]) => any>(f: F, scope: Readonly<Record<string, unknown>> | undefined, runtime: SourceRuntime): Converted<F> {
  if (scope !== undefined && (typeof scope !== 'object' || scope === null || Array.isArray(scope))) {
    throw new ValueError('jit', 'scope', 'an object mapping free variable names to values', scope);
  }
  const syntax = functionSyntax(f);
  const rewritten = rewriteFunction(syntax);
  if (rewritten.conversions.length === 0) return { fn: f, conversions: [], code: null };
  const free = freeVariables(syntax.fn);
  const names = Object.keys(scope ?? {});
  for (const name of names) if (!IDENTIFIER.test(name) || name.startsWith('__ag')) throw new ValueError('jit', `scope.${name}`, 'an identifier as the key', name);
  const missing = free.filter((name) => !(name in (scope ?? {})) && !(name in globalThis));
  if (missing.length > 0) {
    const list = missing.map((m) => `'${m}'`).join(', ');
    throw sourceError(`the function uses ${list} from outside; a function rebuilt from its source has no closure, so pass ${missing.length > 1 ? 'them' : 'it'} as jit(f, { mode: 'source', scope: { ${missing.join(', ')} } })`);
  }
  // Named for stack traces and the graph's source lines (only identifier characters go in).
  const label = IDENTIFIER.test(f.name) ? f.name : 'anonymous';
  const build = new Function('__ag', ...names, `'use strict';\nreturn (${rewritten.code});\n//# sourceURL=flowgrad-source/${label}.js`) as (...args: unknown[]) => F;
  return { fn: build(runtime, ...names.map((n) => scope![n])), conversions: rewritten.conversions, code: rewritten.code };
}

/** Names the function reads but does not declare (its parameters, variables and inner functions). */
function freeVariables(fn: SyntaxNode): string[] {
  const own = new Set<string>([...(fn.params as SyntaxNode[]).flatMap(patternNames), ...declaredIn(fn.body as SyntaxNode)]);
  if (fn.id) own.add((fn.id as SyntaxNode).name as string);
  // Parameter defaults (`(x, k = K) => …`) read names too.
  const reads = [...(fn.params as SyntaxNode[]).flatMap(readIn), ...readIn(fn.body as SyntaxNode)];
  return reads.filter((name) => !own.has(name) && name !== 'arguments' && name !== 'undefined');
}
