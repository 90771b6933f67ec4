/**
 * @file Fusion keeps every number: each sample graph and each traced op-table row, fused (also
 * with the float32 ops that have wasm kernels fused on request) and through the default
 * pipeline, gives the eager results, and bit for bit the reference kernels' results; a jitted
 * MLP training step with Adam gives the unfused step's numbers with far fewer launches.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { schemaOf } from '../../src/ops/schema.js';
import { fusion } from '../../src/passes/fusion.js';
import { allSamples } from '../ir/graphs.js';
import { opTable } from '../ops/opTable.js';
import { expectSameBits, countOps, referenceRun } from './fusionHelpers.js';
import { expectSameTensors } from './helpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

const asList = (out: fg.Tensor | fg.Tensor[]) => (Array.isArray(out) ? out : [out]);
const specsOf = (xs: fg.Tensor[]) => xs.map((x) => (x.requiresGrad ? x : fg.spec([...x.shape], x.dtype)));
const isRandom = (g: fg.Graph) => g.nodes.some((n) => schemaOf(n.op)?.flags.random);
const fuseAll = (g: fg.Graph) => fusion(g, { fuseVectorised: true });

function expectValid(g: fg.Graph): void {
  fg.verifyGraph(g);
  expect(fg.graphDifference(fg.parseGraph(g.toString()), g)).toBeNull();
}

describe.each(Object.entries(allSamples()))('sample %s', (_name, sample) => {
  it('fused, it gives the eager numbers, and the reference kernels\' numbers bit for bit', () => {
    for (const pass of [fusion, fuseAll]) {
      const out = pass(sample.graph);
      expectValid(out);
      const inputs = sample.inputs();
      expectSameBits(referenceRun(out, inputs), referenceRun(sample.graph, inputs));
      expectSameTensors(out.run(...inputs), sample.eager(...inputs), 1e-6);
    }
  });

  it('the default pipeline, checked pass by pass, gives the eager numbers', () => {
    const out = fg.optimize(sample.graph, { check: { inputs: sample.inputs(), tolerance: 0 } });
    expectValid(out);
    const inputs = sample.inputs();
    expectSameTensors(out.run(...inputs), sample.eager(...inputs), 1e-6);
  });
});

// With the wasm kernels off, the fusion pass fuses float32 too: the counts below assume them on.
it.skipIf(REFERENCE_ONLY)('the samples have fused groups to test (lnMulSin, in float64, is one node; mlp fuses add → relu)', () => {
  const { lnMulSin, mlp, constantsAndMovement } = allSamples();
  expect(fusion(lnMulSin.graph).nodes.map((n) => n.op)).toEqual(['fused']);
  expect(countOps(fusion(mlp.graph), 'fused')).toBe(0);
  expect(countOps(fuseAll(mlp.graph), 'fused')).toBe(1);
  expect(countOps(fuseAll(constantsAndMovement.graph), 'fused')).toBe(1);
});

const rows = opTable.filter((r) => !r.bad);

describe.each(rows.map((r) => [r.name, r] as const))('op row %s', (_name, row) => {
  const traced = fg.trace((...xs: fg.Tensor[]) => row.fn(...xs), specsOf(row.inputs()));
  it.skipIf(isRandom(traced))('fused, it gives the eager numbers, and the reference kernels\' bit for bit', () => {
    const inputs = row.inputs();
    const g = fg.trace((...xs: fg.Tensor[]) => row.fn(...xs), specsOf(inputs));
    const eager = asList(row.fn(...inputs));
    const out = fusion(g);
    expectValid(out);
    expectSameTensors(out.run(...inputs), eager, 1e-12);
    const all = fuseAll(g);
    expectValid(all);
    expectSameBits(referenceRun(all, inputs), referenceRun(g, inputs), row.name);
    // float32 exp & co. fused: Math.exp where eager ran the wasm polynomial (~2 ulp apart).
    expectSameTensors(all.run(...inputs), eager, 1e-6);
  });
});

describe('a jitted MLP training step with Adam', () => {
  const PARAMS = 4;

  /** (weights, first moments, second moments, step, x, y, lr) → (loss, new weights, new moments, new step). */
  function trainStep(...args: fg.Tensor[]): fg.Tensor[] {
    const hyper = { lr: 1e-2, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, decoupledWeightDecay: false, maximize: false };
    const [params, m, v] = [0, 1, 2].map((k) => args.slice(k * PARAMS, (k + 1) * PARAMS));
    const [step, x, y, lr] = args.slice(3 * PARAMS);
    const lossOf = (w1: fg.Tensor, b1: fg.Tensor, w2: fg.Tensor, b2: fg.Tensor) => fg.crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), y);
    const [loss, grads] = fg.valueAndGrad(lossOf, { argnums: [0, 1, 2, 3] })(...(params as [fg.Tensor, fg.Tensor, fg.Tensor, fg.Tensor])) as [fg.Tensor, fg.Tensor[]];
    const next = fg.add(step, 1);
    const updates = params.map((p, i) => fg.optim.adamUpdate(p, grads[i], { expAvg: m[i], expAvgSq: v[i], maxExpAvgSq: null }, next, { ...hyper, lr }));
    return [loss, ...updates.map((u) => u.param), ...updates.map((u) => u.expAvg!), ...updates.map((u) => u.expAvgSq!), next];
  }

  const SIMPLIFY = ['algebraic', 'constantFolding', 'cse', 'dce'];
  // float64: the default pipeline fuses; float32: its elementwise ops have wasm kernels, fused on request.
  const cases = [
    ['float64', (g: fg.Graph) => fg.optimize(g)],
    ['float32', (g: fg.Graph) => fusion(fg.optimize(g, { passes: SIMPLIFY }), { fuseVectorised: true })],
  ] as const;

  it.each(cases)('%s: optimized with fusion, three steps give the unfused steps\' numbers', (dtype, optimizeWithFusion) => {
    fg.manualSeed(5);
    const randn = (shape: number[], scale: number) => fg.randn(shape, { dtype }).mul(scale);
    const params = [randn([8, 16], 0.3), randn([16], 0.1), randn([16, 4], 0.3), randn([4], 0.1)];
    const moments = () => params.map((p) => fg.zerosLike(p));
    const x = randn([6, 8], 1);
    const y = fg.tensor([0, 1, 2, 3, 1, 2], { dtype: 'int32' });
    const lr = fg.tensor(1e-2, { dtype });
    const first = [...params, ...moments(), ...moments(), fg.tensor(0, { dtype })];
    const jitted = fg.jit(trainStep);
    const g = jitted.graphFor(...first, x, y, lr);
    const plain = fg.compile(fg.optimize(g, { passes: SIMPLIFY }));
    const fused = fg.compile(optimizeWithFusion(g));
    // The Adam update of each weight is one node: 13 elementwise ops, each element read and written once.
    expect(fused.graph.nodes.filter((n) => n.op === 'fused' && n.subgraphs[0].nodes.length >= 13)).toHaveLength(PARAMS);
    // On the reference kernels, bit for bit.
    expectSameBits(referenceRun(fused.graph, [...first, x, y, lr]), referenceRun(plain.graph, [...first, x, y, lr]));
    let [a, b] = [first, first];
    for (let step = 0; step < 3; step++) {
      const ra = plain.run(...a, x, y, lr);
      const rb = fused.run(...b, x, y, lr);
      // float32 runs exp in wasm unfused, by Math.exp fused (~2 ulp apart, grown by Adam's division by √v).
      if (dtype === 'float64') expectSameBits(rb, ra, `step ${step}`);
      else expectSameTensors(rb, ra, 1e-5);
      expectSameTensors(ra, jitted(...a, x, y, lr), 0);
      [a, b] = [ra.slice(1), rb.slice(1)];
    }
    expect(fused.stats.launches).toBeLessThan(plain.stats.launches / 2);
  });
});
