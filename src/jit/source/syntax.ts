/**
 * @file The JS syntax tree of a function, read from its source with acorn, and the few
 * walks source mode needs: which names a piece of code reads, declares and assigns.
 * Nested functions are opaque to these walks (their bodies run when called, not in place).
 */
import { type Node as AcornNode, parse } from 'acorn';
import { FlowgradError } from '../../errors.js';

/** An ESTree node, read loosely: source mode looks at a handful of node types only. */
export interface SyntaxNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly loc?: { readonly start: { readonly line: number } };
  readonly [key: string]: unknown;
}

/** A function's source, its syntax tree, and where the function node sits in the text. */
export interface FunctionSyntax {
  /** The text parsed: the function's source in parentheses. */
  readonly text: string;
  /** The FunctionExpression or ArrowFunctionExpression. */
  readonly fn: SyntaxNode;
}

const FUNCTION_TYPES = new Set(['FunctionExpression', 'FunctionDeclaration', 'ArrowFunctionExpression']);

/** Parses `f`'s own source; methods, classes, async functions and generators are refused. */
export function functionSyntax(f: (...args: never[]) => unknown): FunctionSyntax {
  const source = Function.prototype.toString.call(f);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) throw sourceError(`${describeFn(f)} has no JS source (a built-in or bound function)`);
  const text = `(${source}\n)`;
  let program: AcornNode;
  try {
    program = parse(text, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch {
    throw sourceError(`cannot parse the source of ${describeFn(f)}: source mode takes function declarations, function expressions and arrow functions (not methods or classes)`);
  }
  const body = (program as unknown as { body: SyntaxNode[] }).body;
  const expr = body.length === 1 && body[0].type === 'ExpressionStatement' ? (body[0].expression as SyntaxNode) : null;
  if (!expr || !FUNCTION_TYPES.has(expr.type)) throw sourceError(`${describeFn(f)} is not a plain function or arrow function`);
  if (expr.async || expr.generator) throw sourceError(`${describeFn(f)} is async or a generator; jit runs synchronous functions`);
  return { text, fn: expr };
}

const describeFn = (f: (...args: never[]) => unknown): string => ((f as { name?: string }).name ? `function '${(f as { name?: string }).name}'` : 'the function');

export const sourceError = (message: string): FlowgradError => new FlowgradError(`jit (source mode): ${message}`);

/** 1-based line within the function's source. */
export const lineOf = (n: SyntaxNode): number => n.loc?.start.line ?? 0;

/** The child nodes of `n`, in source order. */
export function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const key of Object.keys(n)) {
    if (key === 'loc') continue;
    const v = n[key];
    if (Array.isArray(v)) for (const c of v) if (isNode(c)) out.push(c);
    if (isNode(v)) out.push(v);
  }
  return out.sort((a, b) => a.start - b.start);
}

const isNode = (v: unknown): v is SyntaxNode => typeof v === 'object' && v !== null && typeof (v as SyntaxNode).type === 'string';

export const isFunction = (n: SyntaxNode): boolean => FUNCTION_TYPES.has(n.type);

/** Visits `root` and its descendants in source order, not entering nested functions. */
export function walk(root: SyntaxNode, visit: (n: SyntaxNode, parent: SyntaxNode | null) => void, parent: SyntaxNode | null = null): void {
  visit(root, parent);
  for (const c of children(root)) if (!isFunction(c)) walk(c, visit, root);
}

/** Identifiers bound by a declaration pattern (`a`, `{ a, b: [c] }`, `...rest`, `x = 1`). */
export function patternNames(p: SyntaxNode): string[] {
  switch (p.type) {
    case 'Identifier':
      return [p.name as string];
    case 'ObjectPattern':
      return (p.properties as SyntaxNode[]).flatMap((q) => patternNames(q.type === 'RestElement' ? q : (q.value as SyntaxNode)));
    case 'ArrayPattern':
      return (p.elements as (SyntaxNode | null)[]).flatMap((e) => (e ? patternNames(e) : []));
    case 'RestElement':
      return patternNames(p.argument as SyntaxNode);
    case 'AssignmentPattern':
      return patternNames(p.left as SyntaxNode);
    default:
      return [];
  }
}

/** Names declared directly in `root` (var/let/const, function declarations), outside nested functions. */
export function declaredIn(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  walk(root, (n) => {
    if (n.type === 'VariableDeclarator') for (const name of patternNames(n.id as SyntaxNode)) names.add(name);
    if (n.type === 'FunctionDeclaration' && n !== root && n.id) names.add((n.id as SyntaxNode).name as string);
  });
  return names;
}

/**
 * Names assigned (`=`, `+=`, `++`, destructuring) in `root`, in order of first assignment,
 * including assignments that closures inside `root` make to names they do not declare
 * (`xs.forEach((v) => { total = total.add(v); })` assigns `total`).
 */
export function assignedIn(root: SyntaxNode): string[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  const collect = (scope: SyntaxNode, own: ReadonlySet<string>) => {
    walk(scope, (n) => {
      if (n.type === 'AssignmentExpression') for (const name of assignmentTargets(n.left as SyntaxNode)) if (!own.has(name)) add(name);
      if (n.type === 'UpdateExpression' && (n.argument as SyntaxNode).type === 'Identifier' && !own.has((n.argument as SyntaxNode).name as string)) add((n.argument as SyntaxNode).name as string);
      for (const c of children(n)) {
        if (!isFunction(c)) continue;
        const inner = new Set([...own, ...(c.params as SyntaxNode[]).flatMap(patternNames), ...((c.body as SyntaxNode).type === 'BlockStatement' ? declaredIn(c.body as SyntaxNode) : [])]);
        collect(c.body as SyntaxNode, inner);
      }
    });
  };
  collect(root, new Set());
  return names;
}

/** Plain names an assignment writes (`a = …`, `[a, b] = …`); `o.x = …` writes no name. */
function assignmentTargets(left: SyntaxNode): string[] {
  if (left.type === 'MemberExpression') return [];
  return patternNames(left);
}

/** Names read in `root` (identifiers in expression position), in order of first use. */
export function readIn(root: SyntaxNode): string[] {
  const names: string[] = [];
  const visit = (n: SyntaxNode, parent: SyntaxNode | null): void => {
    if (n.type === 'Identifier' && isReference(n, parent) && !names.includes(n.name as string)) names.push(n.name as string);
  };
  walk(root, visit);
  // Nested functions read names too (a closure in a branch), though their bodies are opaque to the other walks.
  walkAll(root, (n, parent) => {
    if (isFunction(n) && n !== root) walkFunctionReads(n, names);
    void parent;
  });
  return names;
}

function walkAll(root: SyntaxNode, visit: (n: SyntaxNode, parent: SyntaxNode | null) => void, parent: SyntaxNode | null = null): void {
  visit(root, parent);
  for (const c of children(root)) walkAll(c, visit, root);
}

function walkFunctionReads(fn: SyntaxNode, names: string[]): void {
  const own = new Set<string>([...(fn.params as SyntaxNode[]).flatMap(patternNames), ...declaredIn(fn.body as SyntaxNode)]);
  walkAll(fn.body as SyntaxNode, (n, parent) => {
    if (n.type === 'Identifier' && isReference(n, parent) && !own.has(n.name as string) && !names.includes(n.name as string)) names.push(n.name as string);
  });
}

/** Whether an Identifier is a variable reference (not a property name, key, label or declaration). */
function isReference(n: SyntaxNode, parent: SyntaxNode | null): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === n || parent.computed === true;
    case 'Property':
      return parent.value === n || (parent.computed === true && parent.key === n);
    case 'VariableDeclarator':
      return parent.init === n;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return (parent.body as SyntaxNode) === n;
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return parent.computed === true && parent.key === n;
    default:
      return true;
  }
}
