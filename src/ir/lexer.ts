/**
 * @file Tokens of the IR text form, with line:column positions for error messages.
 * The text is untrusted: every unexpected character becomes a GraphFormatError, and
 * each token is read in time linear in its length (no backtracking regexes).
 */
import { GraphFormatError } from '../errors.js';

export type TokenKind = 'value' | 'label' | 'ident' | 'number' | 'string' | 'device' | 'comment' | 'punct' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written (for punctuation, the character). */
  readonly text: string;
  /** value: the id (number) or name (string); label: the number; number: its value; string/device/comment: the decoded text. */
  readonly value: number | string;
  readonly line: number;
  readonly col: number;
}

const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT_TAIL = /[A-Za-z0-9_.]*/y;
const DIGITS = /\d+/y;
const DEVICE_BARE = /[A-Za-z0-9_][A-Za-z0-9_:.-]*/y;
const PUNCT = new Set(['(', ')', '{', '}', '[', ']', ',', ':', '=', '*', '-']);
const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);

/** A pull lexer with one token of lookahead. */
export class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private peeked: Token | null = null;

  constructor(readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.lex();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  /** A GraphFormatError at a position, quoting the line with a caret under the column. */
  error(line: number, col: number, message: string): GraphFormatError {
    const lines = this.text.split('\n');
    const src = (lines[line - 1] ?? '').replace(/\r$/, '');
    const shown = src.length > 160 ? src.slice(0, 160) + '…' : src;
    const caret = col - 1 <= 160 ? `\n  ${' '.repeat(Math.max(col - 1, 0))}^` : '';
    return new GraphFormatError(`parseGraph: line ${line}, column ${col}: ${message}\n  ${shown}${caret}`);
  }

  private fail(message: string, at = this.pos): GraphFormatError {
    return this.error(this.line, at - this.lineStart + 1, message);
  }

  private token(kind: TokenKind, start: number, value: number | string): Token {
    return { kind, text: this.text.slice(start, this.pos), value, line: this.line, col: start - this.lineStart + 1 };
  }

  private lex(): Token {
    const s = this.text;
    while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t' || s[this.pos] === '\r')) this.pos++;
    const start = this.pos;
    if (start >= s.length) return this.token('eof', start, '');
    const c = s[start];
    if (c === '\n') {
      this.pos++;
      const t: Token = { kind: 'newline', text: '\n', value: '', line: this.line, col: start - this.lineStart + 1 };
      this.line++;
      this.lineStart = this.pos;
      return t;
    }
    if (c === '%') return this.lexValue(start);
    if (c === '#') return this.lexHash(start);
    if (c === '"') return this.token('string', start, this.lexString());
    if (c === '@') return this.lexDevice(start);
    if (/[0-9.]/.test(c) || (c === '-' && /[0-9.]/.test(s[start + 1] ?? ''))) return this.lexNumber(start);
    if (isIdentStart(c)) {
      this.pos++;
      this.match(IDENT_TAIL);
      return this.token('ident', start, s.slice(start, this.pos));
    }
    if (PUNCT.has(c)) {
      this.pos++;
      return this.token('punct', start, c);
    }
    throw this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private match(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  private lexValue(start: number): Token {
    this.pos++;
    const c = this.text[this.pos] ?? '';
    if (/[0-9]/.test(c)) {
      const digits = this.match(DIGITS)!;
      const id = Number(digits);
      if (!Number.isSafeInteger(id)) throw this.fail(`expected a value id up to ${Number.MAX_SAFE_INTEGER}, got %${digits.slice(0, 30)}`, start);
      if (isIdentStart(this.text[this.pos] ?? '')) throw this.fail('expected a value name (an id such as %3, or a name such as %x)', start);
      return this.token('value', start, id);
    }
    if (c === '"') return this.token('value', start, this.lexString());
    if (isIdentStart(c)) {
      this.pos++;
      this.match(IDENT_TAIL);
      return this.token('value', start, this.text.slice(start + 1, this.pos));
    }
    throw this.fail("expected a value name after '%' (an id such as %3, or a name such as %x)", start);
  }

  /** `#3` labels a node without outputs; `# text` (or `# "json"`) is a source comment to the end of the line. */
  private lexHash(start: number): Token {
    this.pos++;
    if (/[0-9]/.test(this.text[this.pos] ?? '')) {
      const n = Number(this.match(DIGITS)!);
      if (!Number.isSafeInteger(n)) throw this.fail('expected a node label such as #3', start);
      return this.token('label', start, n);
    }
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
    let end = this.text.indexOf('\n', this.pos);
    if (end < 0) end = this.text.length;
    if (this.text[this.pos] === '"') {
      const value = this.lexString();
      if (this.text.slice(this.pos, end).trim() !== '') throw this.fail('expected the end of the line after a quoted source comment');
      return this.token('comment', start, value);
    }
    const value = this.text.slice(this.pos, end).trim();
    this.pos = end;
    return this.token('comment', start, value);
  }

  /** A JSON string on one line; returns its decoded text. */
  private lexString(): string {
    const s = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < s.length && s[i] !== '"' && s[i] !== '\n') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length || s[i] !== '"') throw this.fail('expected a closing " before the end of the line', start);
    this.pos = i + 1;
    try {
      return JSON.parse(s.slice(start, this.pos)) as string;
    } catch {
      throw this.fail('expected a valid string (JSON escapes only)', start);
    }
  }

  private lexDevice(start: number): Token {
    this.pos++;
    if (this.text[this.pos] === '"') return this.token('device', start, this.lexString());
    const bare = this.match(DEVICE_BARE);
    if (bare === null) throw this.fail("expected a device name after '@' (such as cpu:1)", start);
    return this.token('device', start, bare);
  }

  private lexNumber(start: number): Token {
    const text = this.match(NUMBER);
    if (text === null) throw this.fail('expected a number', start);
    if (isIdentStart(this.text[this.pos] ?? '')) throw this.fail(`expected a number, got ${JSON.stringify(this.text.slice(start, this.pos + 1))}…`, start);
    return this.token('number', start, Number(text));
  }
}
