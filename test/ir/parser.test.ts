import { describe, expect, test } from 'vitest';
import { GraphFormatError } from '../../src/errors.js';
import { parseGraph } from '../../src/ir/parser.js';
import { printGraph } from '../../src/ir/printer.js';
import { allSamples, constantsAndMovement } from './graphs.js';
import './testOps.js';
import { expectThrows } from '../helpers/tensors.js';

/** Expects parseGraph(text) to throw a GraphFormatError whose message matches every pattern. */
const expectParseError = (text: string, ...patterns: RegExp[]): string => expectThrows(() => parseGraph(text), GraphFormatError, ...patterns);

const graphOf = (...body: string[]): string => ['graph g(%x: f32[2,3], %y: f32[2,3]) {', ...body, '}'].join('\n');

describe('parseGraph', () => {
  test('reads the documented form, with blank lines, comment lines and free spacing', () => {
    const g = parseGraph(
      [
        '# a comment before the graph',
        'graph mlp(%x: f32[batch,784], %w: f32[784,10]) {',
        '',
        '  %2: f32[batch,10] = matmul %x, %w   # mlp.ts:12',
        '  # a comment line',
        '  %3:f32[batch]=sum[axes=[1],keepDim=false]%2',
        '  return %3',
        '}',
        '',
      ].join('\n'),
    );
    expect(g.name).toBe('mlp');
    expect(g.nodes.map((n) => n.op)).toEqual(['matmul', 'sum']);
    expect(g.nodes[0].source).toBe('mlp.ts:12');
    expect(g.nodes[1].attrs).toEqual({ axes: [1], keepDim: false });
    expect(g.inputs.map((v) => [v.id, v.name])).toEqual([[0, 'x'], [1, 'w']]);
    expect(g.outputs[0].type).toEqual({ shape: ['batch'], dtype: 'float32' });
  });

  test('named values get ids that no %N in the text uses', () => {
    const g = parseGraph(['graph g(%a: f32[], %0: f32[]) {', '  %1: f32[] = add %a, %0', '  return %1', '}'].join('\n'));
    expect(g.inputs.map((v) => v.id)).toEqual([2, 0]);
  });

  test('symbolic dims: bare, products and quoted', () => {
    const g = parseGraph(['graph g(%x: f32[batch*4,"seq len",3]) {', '  %1: f32[batch*4,"seq len",3] = exp %x', '  return %1', '}'].join('\n'));
    expect(g.inputs[0].type.shape).toEqual(['batch*4', 'seq len', 3]);
  });

  test('unknown op names the op, line and column', () => {
    expectParseError(graphOf('  %2: f32[2,3] = frobnicate %x', '  return %2'), /line 2, column 18: unknown op "frobnicate"/, /\n {2} {2}%2: f32\[2,3\] = frobnicate %x\n {2} {17}\^/);
  });

  test('a declared type that differs from inference names the value and line', () => {
    expectParseError(graphOf('  %2: f32[3] = exp %x', '  return %2'), /line 2, column 3: declared type f32\[3\] of %2 differs from what exp infers: f32\[2,3\]/);
    expectParseError(graphOf('  %2: f64[2,3] = add %x, %y', '  return %2'), /declared type f64\[2,3\] of %2 differs from what add infers: f32\[2,3\]/);
    expectParseError(graphOf('  %2: f32[2,3], %3: f32[2,3] = exp %x', '  return %2'), /line 2.*exp produces 1 result \(f32\[2,3\]\), 2 declared/);
  });

  test('invalid attributes and arity are reported with the schema message', () => {
    expectParseError(graphOf('  %2: f32[2] = sum[axes=[5], keepDim=false] %x', '  return %2'), /line 2, column 3: invalid sum node: sum: argument 'axis' expected a dim/);
    expectParseError(graphOf('  %2: f32[2,3] = sum[axes=oops, keepDim=false] %x', '  return %2'), /invalid sum node: sum: argument 'axis' expected an array of dims/);
    expectParseError(graphOf('  %2: f32[2,3] = exp %x, %y', '  return %2'), /invalid exp node: exp: expected 1 input \(x\), got 2/);
    expectParseError(graphOf('  %2: f32[2,3] = cast[dtype=float16] %x', '  return %2'), /cast: argument 'dtype' expected one of float32/);
    expectParseError(graphOf('  %2: f32[2,3] = constant[value=3]', '  return %2'), /constant: argument 'value' expected a concrete Tensor/);
  });

  test('use before definition, duplicate definitions and bad control deps', () => {
    expectParseError(graphOf('  %2: f32[2,3] = exp %3', '  %3: f32[2,3] = exp %x', '  return %2'), /line 2, column 22: %3 is not defined before this use/);
    expectParseError(graphOf('  %2: f32[2,3] = exp %x', '  %2: f32[2,3] = exp %y', '  return %2'), /line 3, column 3: %2 is already defined on line 2/);
    expectParseError(graphOf('  %x: f32[2,3] = exp %y', '  return %x'), /%x is already defined on line 1/);
    expectParseError(graphOf('  %2: f32[2,3] = exp %x after %x', '  return %2'), /%x is a graph input; a control dependency names a node's result/);
    expectParseError(graphOf('  %2: f32[2,3] = exp %x after #4', '  return %2'), /#4 is not a node defined before this one/);
    expectParseError(graphOf('  return %9'), /line 2, column 10: %9 is not defined/);
  });

  test('malformed text: garbage, truncation, bad tokens', () => {
    expectParseError('', /line 1, column 1: expected 'graph', got the end of the text/);
    expectParseError('hello world', /expected 'graph', got "hello"/);
    expectParseError('graph g(%x: f32[2]) {\n  return %x\n}\ngraph h() {', /line 4, column 1: expected the end of the text after the graph/);
    expectParseError('graph g(%x: f32[2]) {\n  return %x\n', /expected '}' after 'return'/);
    expectParseError('graph g(%x: f33[2]) {', /expected a type such as f32\[2,3\]/);
    expectParseError('graph g(%x: f32[-1]) {', /expected a dim \(a non-negative integer or a symbol such as batch\), got -1/);
    expectParseError('graph g(%x: f32[2.5]) {', /got 2.5/);
    expectParseError('graph g(%x: f32[2]) {\n  %1: f32[2] = exp %x $\n', /unexpected character "\$"/);
    expectParseError('graph g(%x: f32[2]) {\n  %1: f32[2] = exp %x\n  %2: f32[2] = exp %1 %1\n', /line 3, column 23: expected the end of the line, got "%1"/);
    expectParseError('graph g(%x: f32[2]) {\n  %1: f32[2] = testAttrs[s="unterminated] %x\n', /expected a closing " before the end of the line/);
    expectParseError('graph "g\\q"() {', /a valid string/);
    expectParseError('graph g(%123456789012345678901: f32[2]) {', /a value id up to/);
    expectParseError('graph g(%x: f32[2]) {\n  %1: f32[2] = testAttrs[a=1, a=2] %x\n', /attribute a is given twice/);
  });

  test('constants: wrong element counts, bad data and huge claimed sizes are refused without allocating', () => {
    const c = (value: string): string => `graph g() {\n  %0: f32[2] = constant[value=${value}]\n  return %0\n}`;
    expectParseError(c('f32[2] [1, 2, 3]'), /invalid constant: expected 2 elements for shape \[2\], got 3/);
    expectParseError(c('f32[2] [1, true]'), /a number for a float32 element, got true/);
    expectParseError(c('f32[2] b64"AAAA"'), /base64 data of 12 characters \(8 bytes\), got 4 characters/);
    expectParseError(c('f32[2] b64"AAAAAAAA!AA="'), /base64 data \(A-Z/);
    expectParseError(c('f32[1000000000000] b64"AAAA"'), /a constant may hold at most 268435456 elements/);
    expectParseError(c('i32[2] [1.5, 2]'), /an int32 element, got 1.5/);
    expectParseError(c('bool[1] b64"Ag=="'), /bool data bytes of 0 or 1, got 2/);
  });

  test('deep nesting is refused, not a stack overflow', () => {
    const deep = '['.repeat(100_000);
    expectParseError(`graph g(%x: f32[2]) {\n  %1: f32[2] = testAttrs[a=${deep}`, /attribute values nest at most 64 deep/);
    const nested = Array.from({ length: 40 }, () => '  %1: f32[2] = testCall %x {\n graph b(%x: f32[2]) {\n').join('');
    expectParseError(`graph g(%x: f32[2]) {\n${nested}`, /subgraphs nest at most 32 deep/);
  });

  test('attribute keys such as __proto__ stay plain data', () => {
    const g = parseGraph('graph g(%x: f32[2]) {\n  %1: f32[2] = testAttrs[__proto__={polluted=true}, constructor=1] %x\n  return %1\n}');
    const attrs = g.nodes[0].attrs as Record<string, unknown>;
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.hasOwn(attrs, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a subgraph is a closed scope: outer values are not visible inside', () => {
    expectParseError(
      ['graph g(%x: f32[2]) {', '  %1: f32[2] = testCall %x {', '    graph b(%0: f32[2]) {', '      %1: f32[2] = add %0, %x', '      return %1', '    }', '  }', '  return %1', '}'].join('\n'),
      /line 4, column 28: %x is not defined before this use \(.*a subgraph sees only its own inputs and nodes\)/,
    );
    expectParseError(['graph g(%x: f32[2]) {', '  %1: f32[2] = exp %x {', '    graph b() {', '      return', '    }', '  }', '  return %1', '}'].join('\n'), /op exp takes no subgraphs, got 1/);
  });

  test('every prefix and many one-character edits of printed graphs parse or fail with a GraphFormatError', () => {
    const texts = Object.values(allSamples()).map((s) => printGraph(s.graph));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = '%#@"[]{}(),:=*-0123456789abcfx \n\\.';
    const check = (text: string): void => {
      try {
        parseGraph(text);
      } catch (e) {
        if (!(e instanceof GraphFormatError)) throw new Error(`non-GraphFormatError for ${JSON.stringify(text)}: ${String(e)}`);
      }
    };
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) check(text.slice(0, i));
      for (let k = 0; k < 300; k++) {
        const at = rand(text.length);
        const edit = rand(3);
        const c = alphabet[rand(alphabet.length)];
        check(edit === 0 ? text.slice(0, at) + text.slice(at + 1) : edit === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + c + text.slice(at + 1));
      }
    }
  });

  test('non-string input', () => {
    expect(() => parseGraph(42 as unknown as string)).toThrow(GraphFormatError);
  });

  test('a parsed large constant equals the printed one', () => {
    const g = constantsAndMovement().graph;
    const back = parseGraph(printGraph(g));
    const value = back.nodes[1].attrs.value as { toArray(): unknown };
    expect(value.toArray()).toEqual((g.nodes[1].attrs.value as { toArray(): unknown }).toArray());
  });
});
