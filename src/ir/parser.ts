/**
 * @file parseGraph: the IR text form (printer.ts) back into a Graph.
 *
 * The text is untrusted: every mistake is a GraphFormatError with line, column and what
 * was expected; nesting is bounded; each node's declared types are checked against what
 * its op's schema infers. Subgraphs are closed scopes (verify.ts): a name inside one
 * refers to a value of that subgraph only.
 *
 *     graph   := 'graph' NAME '(' [VALUE ':' type, …] ')' '{' EOL node* 'return' [VALUE, …] EOL '}'
 *     node    := (VALUE ':' type, … | LABEL) '=' OP ['[' KEY '=' attr, … ']'] [VALUE, …]
 *                ['after' (VALUE | LABEL), …] ['@' DEVICE] ['{' [COMMENT] EOL graph* '}'] [COMMENT] EOL
 *     type    := DTYPE '[' [dim, …] ']'            dim := INT | SYMBOL('*' factor)* | STRING
 *     attr    := NUMBER | nan | inf | -inf | true | false | null | WORD | STRING
 *              | '[' [attr, …] ']' | '{' [KEY '=' attr, …] '}' | DTYPE '[' INT, … ']' ('[' element, … ']' | b64 STRING)
 *
 * VALUE is `%3`, `%x` or `%"any name"`; LABEL is `#3` (a node without outputs); COMMENT is
 * `# file.ts:12` (or `# "json"`) to the end of the line and becomes the node's source.
 */
import { FlowgradError, GraphFormatError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import type { Dim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';
import { Graph } from './graph.js';
import { inferOutputTypes, isKnownOp, nodeVerifierOf } from './graphOps.js';
import { Lexer, type Token } from './lexer.js';
import { type AttrValue, Node } from './node.js';
import { formatType } from './printer.js';
import { decodeTensorData, tensorFromElements } from './tensorCodec.js';
import { DTYPE_OF_SHORT, SYM_DIM } from './text.js';
import { Value } from './value.js';
import { verifyGraph } from './verify.js';

const MAX_GRAPH_DEPTH = 32;
const MAX_ATTR_DEPTH = 64;

/**
 * Parses the text form of a graph; `parseGraph(printGraph(g))` is equal to `g` and prints
 * the same text. Throws GraphFormatError on malformed text, unknown ops, or declared types
 * that differ from what the ops infer.
 */
export function parseGraph(text: string): Graph {
  if (typeof text !== 'string') throw new GraphFormatError(`parseGraph: expected the text of a graph (a string), got ${typeof text}`);
  const parser = new Parser(text);
  const g = parser.parseDocument();
  verifyGraph(g);
  return g;
}

/** The values and labelled nodes visible in one graph body. */
class Scope {
  readonly values = new Map<string, { value: Value; line: number }>();
  readonly labels = new Map<number, Node>();
  private nextNamedId = 0;
  constructor(private readonly numericIds: ReadonlySet<number>) {}

  /** An id for a named value: the smallest not written as `%N` in the text, in definition order. */
  idForName(): number {
    while (this.numericIds.has(this.nextNamedId)) this.nextNamedId++;
    return this.nextNamedId++;
  }
}

const keyOf = (t: Token): string => (typeof t.value === 'number' ? `#${t.value}` : `$${t.value}`);

class Parser {
  private readonly lex: Lexer;
  /** Every `%N` in the text, so named values get ids no unnamed value uses. */
  private readonly numericIds: Set<number>;

  constructor(text: string) {
    this.lex = new Lexer(text);
    this.numericIds = new Set([...text.matchAll(/%(\d{1,15})/g)].map((m) => Number(m[1])));
  }

  parseDocument(): Graph {
    this.skipBlankLines();
    const g = this.parseGraphBlock(0);
    this.skipBlankLines();
    this.expectKind('eof', 'the end of the text after the graph');
    return g;
  }

  // ---- token helpers ----

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'the end of the text';
    if (t.kind === 'newline') return 'the end of the line';
    const text = t.text.length > 30 ? t.text.slice(0, 30) + '…' : t.text;
    return JSON.stringify(text);
  }

  private errorAt(t: Token, message: string): GraphFormatError {
    return this.lex.error(t.line, t.col, message);
  }

  private expected(what: string, t = this.lex.peek()): GraphFormatError {
    return this.errorAt(t, `expected ${what}, got ${this.describe(t)}`);
  }

  private isPunct(c: string, t = this.lex.peek()): boolean {
    return t.kind === 'punct' && t.text === c;
  }

  private isWord(w: string, t = this.lex.peek()): boolean {
    return t.kind === 'ident' && t.text === w;
  }

  private expectPunct(c: string, what = `'${c}'`): Token {
    if (!this.isPunct(c)) throw this.expected(what);
    return this.lex.next();
  }

  private expectKind(kind: Token['kind'], what: string): Token {
    if (this.lex.peek().kind !== kind) throw this.expected(what);
    return this.lex.next();
  }

  private skipBlankLines(): void {
    for (let t = this.lex.peek(); t.kind === 'newline' || t.kind === 'comment'; t = this.lex.peek()) this.lex.next();
  }

  /** A comma-separated list, read while `more()` holds before each item. */
  private list<T>(item: () => T, more: () => boolean): T[] {
    const out: T[] = [];
    if (!more()) return out;
    out.push(item());
    while (this.isPunct(',')) {
      this.lex.next();
      out.push(item());
    }
    return out;
  }

  private endOfLine(): string | undefined {
    let source: string | undefined;
    if (this.lex.peek().kind === 'comment') source = this.lex.next().value as string;
    const t = this.lex.peek();
    if (t.kind !== 'newline' && t.kind !== 'eof') throw this.expected('the end of the line');
    if (t.kind === 'newline') this.lex.next();
    return source;
  }

  // ---- graphs ----

  private parseGraphBlock(depth: number): Graph {
    const head = this.lex.peek();
    if (!this.isWord('graph')) throw this.expected("'graph'");
    if (depth > MAX_GRAPH_DEPTH) throw this.errorAt(head, `subgraphs nest at most ${MAX_GRAPH_DEPTH} deep`);
    this.lex.next();
    const nameTok = this.lex.next();
    if (nameTok.kind !== 'ident' && nameTok.kind !== 'string') throw this.expected('a graph name', nameTok);
    const scope = new Scope(this.numericIds);
    this.expectPunct('(');
    const inputs = this.list(() => {
      const tok = this.expectKind('value', 'a graph input such as %x');
      this.expectPunct(':');
      return this.define(scope, tok, this.parseType(), null);
    }, () => this.lex.peek().kind === 'value');
    this.expectPunct(')', "',' or ')' after a graph input");
    this.expectPunct('{');
    this.endOfLine();
    const nodes: Node[] = [];
    for (;;) {
      this.skipBlankLines();
      if (this.isWord('return')) break;
      if (this.isPunct('}') || this.lex.peek().kind === 'eof') throw this.expected("a node or 'return'");
      nodes.push(this.parseNode(scope, depth));
    }
    this.lex.next();
    const outputs = this.list(() => this.use(scope, this.lex.next()), () => this.lex.peek().kind === 'value');
    this.endOfLine();
    this.skipBlankLines();
    this.expectPunct('}', "'}' after 'return'");
    if (depth > 0) this.endOfLine();
    return new Graph(nameTok.value as string, inputs, nodes, outputs);
  }

  private define(scope: Scope, tok: Token, type: TensorType, producer: Node | null): Value {
    const key = keyOf(tok);
    const previous = scope.values.get(key);
    if (previous) throw this.errorAt(tok, `${tok.text} is already defined on line ${previous.line} (each value is defined once)`);
    const value = typeof tok.value === 'number' ? new Value(tok.value, type, producer) : new Value(scope.idForName(), type, producer, tok.value);
    scope.values.set(key, { value, line: tok.line });
    return value;
  }

  private use(scope: Scope, tok: Token): Value {
    if (tok.kind !== 'value') throw this.expected('a value such as %3', tok);
    const found = scope.values.get(keyOf(tok));
    if (!found) throw this.errorAt(tok, `${tok.text} is not defined before this use (values are defined before they are used, and a subgraph sees only its own inputs and nodes)`);
    return found.value;
  }

  // ---- nodes ----

  private parseNode(scope: Scope, depth: number): Node {
    const first = this.lex.peek();
    const outs: { tok: Token; type: TensorType }[] = [];
    let label: Token | null = null;
    if (first.kind === 'label') label = this.lex.next();
    else {
      outs.push(...this.list(() => {
        const tok = this.expectKind('value', 'a node result such as %3, or a label such as #3');
        this.expectPunct(':');
        return { tok, type: this.parseType() };
      }, () => true));
    }
    this.expectPunct('=', label ? "'='" : "',' or '=' after a result");
    const opTok = this.lex.next();
    if (opTok.kind !== 'ident' && opTok.kind !== 'string') throw this.expected('an op name', opTok);
    const op = opTok.value as string;
    if (!isKnownOp(op)) throw this.errorAt(opTok, `unknown op ${JSON.stringify(op)}`);
    const attrs = this.isPunct('[') ? this.parseAttrMap() : {};
    const inputs = this.list(() => this.use(scope, this.lex.next()), () => this.lex.peek().kind === 'value');
    const controlDeps = this.isWord('after') ? (this.lex.next(), this.list(() => this.controlDep(scope), () => true)) : [];
    const device = this.lex.peek().kind === 'device' ? (this.lex.next().value as string) : undefined;
    const hasBody = this.isPunct('{');
    if (hasBody) this.lex.next();
    const source = this.endOfLine();
    const subgraphs: Graph[] = [];
    if (hasBody) {
      for (this.skipBlankLines(); !this.isPunct('}'); this.skipBlankLines()) subgraphs.push(this.parseGraphBlock(depth + 1));
      this.lex.next();
      this.endOfLine();
    }
    const node = new Node(op, inputs, attrs, device, source, controlDeps, subgraphs);
    this.checkTypes(node, outs, first);
    node.outputs = outs.map(({ tok, type }) => this.define(scope, tok, type, node));
    if (label) {
      if (scope.labels.has(label.value as number)) throw this.errorAt(label, `label ${label.text} is already used`);
      scope.labels.set(label.value as number, node);
    }
    return node;
  }

  private controlDep(scope: Scope): Node {
    const t = this.lex.next();
    if (t.kind === 'label') {
      const node = scope.labels.get(t.value as number);
      if (!node) throw this.errorAt(t, `${t.text} is not a node defined before this one`);
      return node;
    }
    if (t.kind !== 'value') throw this.expected('a control dependency such as %3 or #3', t);
    const v = this.use(scope, t);
    if (!v.producer) throw this.errorAt(t, `${t.text} is a graph input; a control dependency names a node's result`);
    return v.producer;
  }

  /** The declared output types must be exactly what the op infers from the inputs and attrs. */
  private checkTypes(node: Node, outs: readonly { tok: Token; type: TensorType }[], at: Token): void {
    let inferred: TensorType[];
    try {
      inferred = inferOutputTypes(node.op, node.inputs.map((v) => v.type), node.attrs, node.subgraphs);
    } catch (e) {
      if (e instanceof FlowgradError) throw this.errorAt(at, `invalid ${node.op} node: ${e.message}`);
      throw e;
    }
    if (inferred.length !== outs.length) {
      throw this.errorAt(at, `${node.op} produces ${inferred.length} result${inferred.length === 1 ? '' : 's'} (${inferred.map(formatType).join(', ')}), ${outs.length} declared`);
    }
    outs.forEach(({ tok, type }, i) => {
      if (formatType(type) !== formatType(inferred[i])) throw this.errorAt(tok, `declared type ${formatType(type)} of ${tok.text} differs from what ${node.op} infers: ${formatType(inferred[i])}`);
    });
    const verifier = nodeVerifierOf(node.op);
    if (!verifier && node.subgraphs.length > 0) throw this.errorAt(at, `op ${node.op} takes no subgraphs, got ${node.subgraphs.length}`);
    try {
      verifier?.(node);
    } catch (e) {
      if (e instanceof FlowgradError) throw this.errorAt(at, `invalid ${node.op} node: ${e.message}`);
      throw e;
    }
  }

  // ---- types and attributes ----

  private parseType(): TensorType {
    const t = this.lex.next();
    const dtype = t.kind === 'ident' ? DTYPE_OF_SHORT.get(t.text) : undefined;
    if (!dtype) throw this.expected(`a type such as f32[2,3] (dtypes: ${[...DTYPE_OF_SHORT.keys()].join(', ')})`, t);
    this.expectPunct('[', `'[' after the dtype`);
    const shape = this.list(() => this.parseDim(), () => !this.isPunct(']'));
    this.expectPunct(']', "',' or ']' in the shape");
    return { shape, dtype };
  }

  private parseDim(): Dim {
    const t = this.lex.next();
    if (t.kind === 'number') {
      if (!Number.isSafeInteger(t.value) || (t.value as number) < 0 || t.text.startsWith('-')) throw this.errorAt(t, `expected a dim (a non-negative integer or a symbol such as batch), got ${t.text}`);
      return t.value as number;
    }
    if (t.kind === 'string') return t.value as string;
    if (t.kind !== 'ident') throw this.expected('a dim (a non-negative integer or a symbol such as batch)', t);
    let dim = t.text;
    while (this.isPunct('*')) {
      this.lex.next();
      const part = this.lex.next();
      if (part.kind !== 'ident' && part.kind !== 'number') throw this.expected("a factor after '*'", part);
      dim += `*${part.text}`;
    }
    if (!SYM_DIM.test(dim)) throw this.errorAt(t, `expected a symbolic dim such as batch or batch*784, got ${JSON.stringify(dim)}`);
    return dim;
  }

  private parseAttrMap(): Record<string, AttrValue> {
    this.expectPunct('[');
    const entries: [string, AttrValue][] = [];
    const seen = new Set<string>();
    this.list(() => {
      const k = this.lex.next();
      if (k.kind !== 'ident' && k.kind !== 'string') throw this.expected('an attribute name', k);
      if (seen.has(k.value as string)) throw this.errorAt(k, `attribute ${k.text} is given twice`);
      seen.add(k.value as string);
      this.expectPunct('=', `'=' after attribute ${k.text}`);
      entries.push([k.value as string, this.parseAttr(0)]);
    }, () => !this.isPunct(']'));
    this.expectPunct(']', "',' or ']' after an attribute");
    // fromEntries defines own properties, so a key such as __proto__ stays plain data.
    return Object.fromEntries(entries);
  }

  private parseAttr(depth: number): AttrValue {
    const t = this.lex.peek();
    if (depth > MAX_ATTR_DEPTH) throw this.errorAt(t, `attribute values nest at most ${MAX_ATTR_DEPTH} deep`);
    if (t.kind === 'number' || t.kind === 'string') return this.lex.next().value;
    if (this.isPunct('-')) {
      this.lex.next();
      if (!this.isWord('inf')) throw this.expected("'inf' after '-'");
      this.lex.next();
      return -Infinity;
    }
    if (this.isPunct('[')) {
      this.lex.next();
      const items = this.list(() => this.parseAttr(depth + 1), () => !this.isPunct(']'));
      this.expectPunct(']', "',' or ']' in a list");
      return items;
    }
    if (this.isPunct('{')) return this.parseAttrObject(depth);
    if (t.kind !== 'ident') throw this.expected('an attribute value', t);
    this.lex.next();
    const words: Record<string, AttrValue> = { true: true, false: false, null: null, nan: NaN, inf: Infinity };
    if (Object.hasOwn(words, t.text)) return words[t.text];
    const dtype = DTYPE_OF_SHORT.get(t.text);
    if (dtype && this.isPunct('[')) return this.parseTensor(dtype, t);
    return t.text;
  }

  private parseAttrObject(depth: number): AttrValue {
    this.lex.next();
    const entries: [string, AttrValue][] = [];
    const seen = new Set<string>();
    this.list(() => {
      const k = this.lex.next();
      if (k.kind !== 'ident' && k.kind !== 'string') throw this.expected('a key', k);
      if (seen.has(k.value as string)) throw this.errorAt(k, `key ${k.text} is given twice`);
      seen.add(k.value as string);
      this.expectPunct('=', `'=' after key ${k.text}`);
      entries.push([k.value as string, this.parseAttr(depth + 1)]);
    }, () => !this.isPunct('}'));
    this.expectPunct('}', "',' or '}' in an object");
    return Object.fromEntries(entries);
  }

  /** `f32[2] [1, 2]` or `f32[100] b64"…"`, after the dtype word. */
  private parseTensor(dtype: DType, at: Token): Tensor {
    this.lex.next();
    const shape = this.list(() => {
      const d = this.lex.next();
      if (d.kind !== 'number' || !Number.isSafeInteger(d.value) || (d.value as number) < 0 || d.text.startsWith('-')) throw this.expected("a constant's dim (a non-negative integer)", d);
      return d.value as number;
    }, () => !this.isPunct(']'));
    this.expectPunct(']', "',' or ']' in the constant's shape");
    let result: Tensor | string;
    if (this.isWord('b64')) {
      this.lex.next();
      const data = this.expectKind('string', 'base64 data in quotes after b64');
      result = decodeTensorData(dtype, shape, data.value as string);
    } else {
      this.expectPunct('[', "the constant's data: [elements] or b64\"…\"");
      const elements = this.list(() => this.parseElement(), () => !this.isPunct(']'));
      this.expectPunct(']', "',' or ']' in the constant's data");
      result = tensorFromElements(dtype, shape, elements);
    }
    if (typeof result === 'string') throw this.errorAt(at, `invalid constant: expected ${result}`);
    return result;
  }

  private parseElement(): number | boolean {
    const t = this.lex.next();
    if (t.kind === 'number') return t.value as number;
    if (this.isPunct('-', t) && this.isWord('inf')) return (this.lex.next(), -Infinity);
    const words: Record<string, number | boolean> = { true: true, false: false, nan: NaN, inf: Infinity };
    if (t.kind === 'ident' && Object.hasOwn(words, t.text)) return words[t.text];
    throw this.expected('a number, nan, inf, -inf, true or false', t);
  }
}
