/**
 * @file Source mode's converters (AutoGraph's design, one per construct): each `if`, `while`
 * and `?:` in a jitted function becomes a call into runtime.ts, which picks at run time:
 * on a traced tensor condition it builds fg.cond / fg.whileLoop, on anything else it runs
 * the plain JS statement. Branch and loop bodies become arrow functions whose parameters
 * are the variables they read or assign (shadowing the outer ones), and whose result is the
 * new values of the variables they assign, written back by a destructuring assignment:
 *
 *     if (x.sum().gt(0)) y = x.mul(2); else y = x.neg();
 *   ⇒ [y] = __ag.ifStmt(x.sum().gt(0), (x, y) => { y = x.mul(2); return [y]; },
 *                                        (x, y) => { y = x.neg(); return [y]; }, [x, y], 1);
 *
 * Conditions are converted too, since JS cannot ask an object for its truth value: `a > b`,
 * `===`, `&&`, `||`, `!` and `t.item()` inside a condition become `__ag.cmp(…)`, `__ag.and(…)`,
 * … which compare tensors with tensor ops (so a traced `x.sum().item() > 0` becomes the graph
 * value `x.sum().gt(0)`) and plain values as JS does. The same function therefore runs
 * eagerly, written the natural way with `.item()`, and compiles with its control flow.
 *
 * `for` loops are left to JS: tracing unrolls them (their trip count is known when tracing).
 */
import MagicString from 'magic-string';
import { type FunctionSyntax, type SyntaxNode, assignedIn, children, declaredIn, isFunction, lineOf, patternNames, readIn, sourceError, walk } from './syntax.js';

/** The rewritten function's source and what was converted. */
export interface Rewritten {
  readonly code: string;
  /** One line per converted construct: `if at line 3 (carries y)`. */
  readonly conversions: string[];
}

/** Rewrites every if / while / ?: of the function (inner ones first). */
export function rewriteFunction(syntax: FunctionSyntax): Rewritten {
  const { fn, text } = syntax;
  const ms = new MagicString(text);
  const conversions: string[] = [];
  const visible = new Set<string>([...(fn.params as SyntaxNode[]).flatMap(patternNames), ...((fn.body as SyntaxNode).type === 'BlockStatement' ? declaredIn(fn.body as SyntaxNode) : [])]);
  const convert = (n: SyntaxNode): void => {
    for (const c of children(n)) if (!isFunction(c)) convert(c);
    if (n.type === 'IfStatement' || n.type === 'WhileStatement' || n.type === 'ConditionalExpression') convertTest(n.test as SyntaxNode);
    if (n.type === 'IfStatement') convertIf(n);
    else if (n.type === 'WhileStatement') convertWhile(n);
    else if (n.type === 'ConditionalExpression') convertTernary(n);
    else if (n.type === 'DoWhileStatement') throw sourceError(`do…while at line ${lineOf(n)} is not supported; write it as a while loop`);
  };

  /** Variables of the function, declared outside `parts`, that `parts` read or assign. */
  const carried = (parts: readonly SyntaxNode[]): { params: string[]; assigned: string[] } => {
    for (const p of parts) {
      walk(p, (n) => {
        // A `var` would be scoped to the block's new arrow function, not to the function.
        if (n.type === 'VariableDeclaration' && n.kind === 'var') throw sourceError(`var at line ${lineOf(n)} inside a converted if or while is not supported; declare it with let before the statement`);
      });
    }
    const inner = new Set(parts.flatMap((p) => [...declaredIn(p)]));
    const assigned = unique(parts.flatMap(assignedIn)).filter((v) => !inner.has(v));
    for (const v of assigned) {
      if (!visible.has(v)) throw sourceError(`'${v}' is assigned at line ${lineOf(parts[0])} but not declared in the function; only its own variables can change inside a converted if or while`);
    }
    const params = unique([...parts.flatMap(readIn), ...assigned]).filter((v) => visible.has(v) && !inner.has(v));
    return { params, assigned };
  };
  const src = (n: SyntaxNode | null | undefined): string => (n ? ms.slice(n.start, n.end) : '');
  const block = (n: SyntaxNode | null | undefined): string => (!n ? '' : n.type === 'BlockStatement' ? ms.slice(n.start + 1, n.end - 1) : src(n));

  /** Comparisons, logic and `.item()` in a condition, innermost first (see the file comment). */
  function convertTest(test: SyntaxNode): void {
    const visit = (n: SyntaxNode): void => {
      for (const c of children(n)) if (!isFunction(c)) visit(c);
      if (n.type === 'BinaryExpression' && COMPARISONS.has(n.operator as string)) {
        ms.overwrite(n.start, n.end, `__ag.cmp(${JSON.stringify(n.operator)}, ${src(n.left as SyntaxNode)}, ${src(n.right as SyntaxNode)})`);
      } else if (n.type === 'LogicalExpression' && (n.operator === '&&' || n.operator === '||')) {
        ms.overwrite(n.start, n.end, `__ag.${n.operator === '&&' ? 'and' : 'or'}(${src(n.left as SyntaxNode)}, () => (${src(n.right as SyntaxNode)}))`);
      } else if (n.type === 'UnaryExpression' && n.operator === '!') {
        ms.overwrite(n.start, n.end, `__ag.not(${src(n.argument as SyntaxNode)})`);
      } else if (isItemCall(n)) {
        const callee = n.callee as SyntaxNode;
        ms.overwrite(n.start, n.end, `__ag.item(${src(callee.object as SyntaxNode)})`);
      }
    };
    visit(test);
  }

  function convertIf(n: SyntaxNode): void {
    const test = n.test as SyntaxNode;
    const [yes, no] = [n.consequent as SyntaxNode, (n.alternate as SyntaxNode | null) ?? null];
    const parts = no ? [yes, no] : [yes];
    refuseJumps(parts, 'an if', false);
    const returns = parts.map(endsWithReturn);
    const anyReturn = parts.some((p) => containsReturn(p));
    const { params, assigned } = carried([test, ...parts]);
    const args = `[${params.join(', ')}]`;
    if (anyReturn) {
      if (!no || !returns[0] || !returns[1] || parts.some((p) => containsReturn(p, true))) {
        throw sourceError(`the if at line ${lineOf(n)} returns from only some of its paths; in source mode either both branches end with a return, or neither returns (assign a variable and return after the if)`);
      }
      const branch = (b: SyntaxNode) => `(${params.join(', ')}) => {${block(b)}\n}`;
      ms.overwrite(n.start, n.end, `return __ag.ifReturn(${src(test)}, ${branch(yes)}, ${branch(no)}, ${args}, ${lineOf(n)});`);
      conversions.push(`if at line ${lineOf(n)} (both branches return)`);
      return;
    }
    const result = `[${assigned.join(', ')}]`;
    const branch = (b: SyntaxNode | null) => `(${params.join(', ')}) => {${block(b)}\nreturn ${result};}`;
    const call = `__ag.ifStmt(${src(test)}, ${branch(yes)}, ${branch(no)}, ${args}, ${JSON.stringify(assigned)}, ${lineOf(n)})`;
    ms.overwrite(n.start, n.end, assigned.length > 0 ? `${result} = ${call};` : `${call};`);
    conversions.push(`if at line ${lineOf(n)}${assigned.length ? ` (carries ${assigned.join(', ')})` : ''}`);
  }

  function convertWhile(n: SyntaxNode): void {
    const test = n.test as SyntaxNode;
    const body = n.body as SyntaxNode;
    refuseJumps([body], 'a while loop', true);
    if (containsReturn(body)) throw sourceError(`return inside the while loop at line ${lineOf(n)} is not supported in source mode`);
    const { params, assigned } = carried([test, body]);
    if (assigned.length === 0) throw sourceError(`the while loop at line ${lineOf(n)} assigns no variable of the function, so it would never end or do nothing`);
    const list = params.join(', ');
    // The loop carries every variable it reads or assigns; only the assigned ones are written back.
    const written = assigned.map((v) => params.indexOf(v));
    const call = `__ag.whileStmt((${list}) => (${src(test)}), (${list}) => {${block(body)}\nreturn [${list}];}, [${list}], ${JSON.stringify(params)}, ${JSON.stringify(written)}, ${lineOf(n)})`;
    ms.overwrite(n.start, n.end, `[${assigned.join(', ')}] = ${call};`);
    conversions.push(`while at line ${lineOf(n)} (carries ${assigned.join(', ')})`);
  }

  function convertTernary(n: SyntaxNode): void {
    const parts = [n.consequent as SyntaxNode, n.alternate as SyntaxNode];
    if (parts.some((p) => assignedIn(p).length > 0)) throw sourceError(`the ?: at line ${lineOf(n)} assigns inside a branch; use an if statement`);
    const { params } = carried([n.test as SyntaxNode, ...parts]);
    const branch = (b: SyntaxNode) => `(${params.join(', ')}) => (${src(b)})`;
    ms.overwrite(n.start, n.end, `__ag.ternary(${src(n.test as SyntaxNode)}, ${branch(parts[0])}, ${branch(parts[1])}, [${params.join(', ')}], ${lineOf(n)})`);
    conversions.push(`?: at line ${lineOf(n)}`);
  }

  convert(fn.body as SyntaxNode);
  for (const v of visible) if (v.startsWith('__ag')) throw sourceError(`the name '${v}' is reserved by source mode`);
  return { code: ms.slice(fn.start, fn.end), conversions };
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

const COMPARISONS = new Set(['>', '<', '>=', '<=', '===', '==', '!==', '!=']);

/** `<expr>.item()` (not `?.`, not computed). */
function isItemCall(n: SyntaxNode): boolean {
  if (n.type !== 'CallExpression' || (n.arguments as unknown[]).length !== 0 || n.optional) return false;
  const callee = n.callee as SyntaxNode;
  return callee.type === 'MemberExpression' && !callee.computed && !callee.optional && (callee.property as SyntaxNode).name === 'item';
}

/** break / continue that would leave the converted statement (loops and switches inside it may use their own). */
function refuseJumps(parts: readonly SyntaxNode[], what: string, isLoop: boolean): void {
  const visit = (n: SyntaxNode, depth: number): void => {
    if ((n.type === 'BreakStatement' || n.type === 'ContinueStatement') && (depth === 0 || n.label)) {
      const word = n.type === 'BreakStatement' ? 'break' : 'continue';
      throw sourceError(`${word} at line ${lineOf(n)} inside ${what}${isLoop ? '' : ' that tests a tensor'} is not supported in source mode`);
    }
    const inner = /^(For|ForIn|ForOf|While|DoWhile)Statement$|^SwitchStatement$/.test(n.type) ? depth + 1 : depth;
    for (const c of children(n)) if (!isFunction(c)) visit(c, inner);
  };
  for (const p of parts) visit(p, 0);
}

/** Whether `n` contains a return (outside nested functions); `beforeEnd`: other than its final statement. */
function containsReturn(n: SyntaxNode, beforeEnd = false): boolean {
  let last: SyntaxNode | null = null;
  if (beforeEnd) {
    if (n.type === 'ReturnStatement') return false;
    const body = n.type === 'BlockStatement' ? (n.body as SyntaxNode[]) : [n];
    last = body[body.length - 1] ?? null;
  }
  let found = false;
  walk(n, (c) => {
    if (c.type === 'ReturnStatement' && c !== last) found = true;
  });
  return found;
}

/** Whether the statement is a return or a block whose last statement is one. */
function endsWithReturn(n: SyntaxNode): boolean {
  if (n.type === 'ReturnStatement') return true;
  if (n.type !== 'BlockStatement') return false;
  const body = n.body as SyntaxNode[];
  return body.length > 0 && body[body.length - 1].type === 'ReturnStatement';
}
