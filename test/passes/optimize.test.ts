/**
 * @file Every pass, and the default pipeline, on every sample graph and every traced op-table
 * row: the optimized graph verifies, round-trips through the text form, and gives the same
 * numbers as eager execution (differential mode also compares each pass with the graph before it).
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { schemaOf } from '../../src/ops/schema.js';
import { DEFAULT_PASSES, optimize } from '../../src/passes/optimize.js';
import { allSamples } from '../ir/graphs.js';
import { opTable } from '../ops/opTable.js';
import { expectSameTensors } from './helpers.js';

const asList = (out: fg.Tensor | fg.Tensor[]) => (Array.isArray(out) ? out : [out]);
const specsOf = (xs: fg.Tensor[]) => xs.map((x) => (x.requiresGrad ? x : fg.spec([...x.shape], x.dtype)));
const PASS_LISTS: readonly (readonly string[])[] = [...DEFAULT_PASSES.map((p) => [p]), DEFAULT_PASSES];

function expectValidGraph(g: fg.Graph): void {
  fg.verifyGraph(g);
  expect(fg.graphDifference(fg.parseGraph(g.toString()), g)).toBeNull();
}

describe.each(Object.entries(allSamples()))('sample %s', (_name, sample) => {
  it.each(PASS_LISTS.map((passes) => [passes.join(', '), passes] as const))('%s: same numbers as eager', (_label, passes) => {
    const before = sample.graph.toString();
    const out = optimize(sample.graph, { passes, check: { inputs: sample.inputs() } });
    expect(sample.graph.toString()).toBe(before);
    expectValidGraph(out);
    const inputs = sample.inputs();
    expectSameTensors(out.run(...inputs), sample.eager(...inputs), 1e-6);
  });
});

it('the default pipeline shrinks the constants sample: folded movement, no dead constants', () => {
  const { graph } = allSamples().constantsAndMovement;
  const out = optimize(graph);
  expect(out.nodes.length).toBeLessThan(graph.nodes.length);
  // reshape + sum of the big constant, and expand of the small one, are computed at compile time.
  expect(out.nodes.map((n) => n.op)).not.toContain('reshape');
  expect(out.nodes.map((n) => n.op)).not.toContain('sum');
});

const rows = opTable.filter((r) => !r.bad);
const isRandom = (g: fg.Graph) => g.nodes.some((n) => schemaOf(n.op)?.flags.random);

/** The row's graph with its inputs baked in as literal constants, so folding can evaluate every node. */
function withLiteralInputs(g: fg.Graph, inputs: fg.Tensor[]): fg.Graph {
  const b = new fg.GraphBuilder(g.name);
  const env = new Map<fg.Value, fg.Value>();
  g.inputs.forEach((v, i) => env.set(v, b.addConstant(inputs[i])));
  for (const n of g.nodes) {
    const copy = b.addNode(n.op, n.inputs.map((v) => env.get(v)!), n.attrs, n.outputs.map((v) => v.type), { source: n.source, device: n.device });
    n.outputs.forEach((v, i) => env.set(v, copy.outputs[i]));
  }
  return b.build(g.outputs.map((v) => env.get(v)!));
}

describe.each(rows.map((r) => [r.name, r] as const))('op row %s', (_name, row) => {
  const traced = fg.trace((...xs: fg.Tensor[]) => row.fn(...xs), specsOf(row.inputs()));
  const random = isRandom(traced);

  it.skipIf(random)('the default pipeline (checked pass by pass) gives eager numbers', () => {
    const inputs = row.inputs();
    const g = fg.trace((...xs: fg.Tensor[]) => row.fn(...xs), specsOf(inputs));
    const out = optimize(g, { check: { inputs, tolerance: 0 } });
    expectValidGraph(out);
    expectSameTensors(out.run(...inputs), asList(row.fn(...inputs)), 1e-12);
  });

  it.skipIf(random)('with its inputs as literals, folding computes every output at compile time', () => {
    const inputs = row.inputs();
    const g = withLiteralInputs(fg.trace((...xs: fg.Tensor[]) => row.fn(...xs), specsOf(inputs)), inputs);
    const out = optimize(g, { passes: ['constantFolding', 'dce'] });
    expectValidGraph(out);
    const effects = out.nodes.filter((n) => schemaOf(n.op)?.flags.sideEffecting);
    if (effects.length === 0 && out.outputs.every((v) => v.type.shape.reduce<number>((a, d) => a * (d as number), 1) <= 100_000)) {
      expect(out.nodes.every((n) => n.op === 'constant')).toBe(true);
    }
    expectSameTensors(out.run(), asList(row.fn(...row.inputs())), 1e-12);
  });
});
