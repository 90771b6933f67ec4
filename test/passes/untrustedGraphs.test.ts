/**
 * @file Graph text is untrusted input: graphs with control flow, lowered primitives (frames,
 * back edges) and fused nodes, cut short or edited one character at a time, either parse or
 * fail with a GraphFormatError — never another exception, a hang, or code from the text.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { fusion } from '../../src/passes/fusion.js';
import { lowerControlFlow } from '../../src/passes/lowerControlFlow.js';

function samples(): Record<string, fg.Graph> {
  const condGraph = fg.trace((x: fg.Tensor) => fg.cond(x.sum().gt(0), (a: fg.Tensor) => a.mul(2), (a: fg.Tensor) => a.neg(), x), [fg.spec([3], 'float64')]);
  const loopGraph = fg.trace(
    (x: fg.Tensor) => fg.whileLoop(([i]: fg.Tensor[]) => i.lt(3), ([i, y]: fg.Tensor[]) => [i.add(1), y.mul(y.tanh())], [fg.zeros([]), x]),
    [fg.spec([2], 'float64')],
  );
  const scanGraph = fg.trace((xs: fg.Tensor) => fg.scan((c: fg.Tensor, x: fg.Tensor) => [c.add(x), c.mul(x)], fg.zeros([2], { dtype: 'float64' }), xs), [fg.spec([4, 2], 'float64')]);
  const chain = fg.trace((x: fg.Tensor, y: fg.Tensor) => x.add(y).exp().mul(x).sqrt(), [fg.spec([3], 'float64'), fg.spec([3], 'float64')]);
  return { condGraph, loopGraph, scanGraph, lowered: lowerControlFlow(loopGraph), loweredCond: lowerControlFlow(condGraph), fused: fusion(chain) };
}

describe('untrusted graph text with control flow, primitives and fused nodes', () => {
  it('round-trips each sample', () => {
    for (const g of Object.values(samples())) expect(fg.graphDifference(fg.parseGraph(g.toString()), g)).toBeNull();
  });

  it.each(Object.entries(samples()))('%s: every prefix and many one-character edits parse or fail with a GraphFormatError', (_name, g) => {
    const text = g.toString();
    let seed = 777;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = '%#@"[]{}(),:=*-0123456789abcfxSMEN \n\\.';
    const check = (t: string): void => {
      try {
        fg.parseGraph(t);
      } catch (e) {
        if (!(e instanceof fg.GraphFormatError)) throw new Error(`not a GraphFormatError for ${JSON.stringify(t)}: ${String(e)}`);
      }
    };
    for (let i = 0; i < text.length; i += 3) check(text.slice(0, i));
    for (let k = 0; k < 300; k++) {
      const at = rand(text.length);
      const c = alphabet[rand(alphabet.length)];
      const edit = rand(3);
      check(edit === 0 ? text.slice(0, at) + text.slice(at + 1) : edit === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + c + text.slice(at + 1));
    }
  });

  it.each(Object.entries(samples()))('%s: JSON with a field dropped or changed fails with a GraphFormatError or loads', (_name, g) => {
    const json = JSON.stringify(fg.graphToJSON(g));
    let seed = 99;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = '{}[]":,0123456789abtfnul-';
    for (let k = 0; k < 300; k++) {
      const at = rand(json.length);
      const mutated = json.slice(0, at) + alphabet[rand(alphabet.length)] + json.slice(at + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(mutated);
      } catch {
        continue;
      }
      try {
        fg.graphFromJSON(parsed as never);
      } catch (e) {
        if (!(e instanceof fg.GraphFormatError)) throw new Error(`not a GraphFormatError at ${at}: ${String(e)}`);
      }
    }
  });
});
