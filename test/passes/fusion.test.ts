/**
 * @file The fusion pass: which nodes it groups (IR before and after), where the fused node
 * goes, what it leaves alone, the fused IR's round trips, unfuse and graph autodiff, the
 * differential check, and the safety rule for generated code.
 */
import { describe, expect, it } from 'vitest';
import * as fg from '../../src/index.js';
import { fusedSource } from '../../src/kernels/fused/codegen.js';
import { type FusionOptions, fusion, unfuse } from '../../src/passes/fusion.js';
import { runPasses } from '../../src/passes/manager.js';
import { GraphRewriter } from '../../src/passes/rewriter.js';
import { lowerFusedBody, runFused } from '../../src/runtime/fused.js';
import { expectClose, expectThrows, randomTensor } from '../helpers/tensors.js';
import { expectSameBits, referenceRun } from './fusionHelpers.js';
import { expectIR, expectSameTensors, graphOf, opsOf } from './helpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

/** Random inputs of `g`'s input types (symbolic dims of size 2). */
const inputsOf = (g: fg.Graph, seed = 1): fg.Tensor[] =>
  g.inputs.map((v, i) => {
    const shape = v.type.shape.map((d) => (typeof d === 'number' ? d : 2));
    return v.type.dtype === 'int32' ? fg.tensor(shape.length === 0 ? 3 : Array(shape[0]).fill(2), { dtype: 'int32' }) : randomTensor(shape, seed + i, -2, 2, v.type.dtype);
  });

/** Fuses `g` and checks the result: verifies, round-trips through text and JSON, and gives `g`'s numbers (bit for bit on the reference kernels). */
function fused(g: fg.Graph, options?: FusionOptions): fg.Graph {
  const out = fusion(g, options);
  fg.verifyGraph(out);
  expect(fg.graphDifference(fg.parseGraph(out.toString()), out)).toBeNull();
  expect(fg.graphDifference(fg.graphFromJSON(fg.graphToJSON(out)), out)).toBeNull();
  const inputs = inputsOf(g);
  expectSameBits(referenceRun(out, inputs), referenceRun(g, inputs));
  // Against the executor's own kernels: exact, unless float32 exp & co. were fused on request,
  // which wasm computes by polynomials within ~2 ulp of the reference kernel's Math.exp.
  expectSameTensors(out.run(...inputs), g.run(...inputs), options?.fuseVectorised ? 1e-6 : 0);
  return out;
}

const MLP = [
  'graph mlp(%x: f64[batch,4], %w: f64[4,3], %b: f64[3]) {',
  '  %3: f64[batch,3] = matmul %x, %w                  # mlp.ts:12',
  '  %4: f64[batch,3] = add %3, %b                     # mlp.ts:12',
  '  %5: f64[batch,3] = relu %4                        # mlp.ts:13',
  '  %6: f64[batch] = sum[axes=[1], keepDim=false] %5  # mlp.ts:14',
  '  return %6, %5',
  '}',
];

describe('fusion: groups and the IR they become', () => {
  it('fuses the bias add and relu after a matmul, keeping source lines and value ids', () => {
    expectIR(
      fused(graphOf(...MLP)),
      'graph mlp(%x: f64[batch,4], %w: f64[4,3], %b: f64[3]) {',
      '  %3: f64[batch,3] = matmul %x, %w                  # mlp.ts:12',
      '  %5: f64[batch,3] = fused %3, %b {                 # mlp.ts:12',
      '    graph fused0(%3: f64[batch,3], %b: f64[3]) {',
      '      %4: f64[batch,3] = add %3, %b  # mlp.ts:12',
      '      %5: f64[batch,3] = relu %4     # mlp.ts:13',
      '      return %5',
      '    }',
      '  }',
      '  %6: f64[batch] = sum[axes=[1], keepDim=false] %5  # mlp.ts:14',
      '  return %6, %5',
      '}',
    );
  });

  it('an Adam-style update is one node: moments read later stay outputs, scalars are inputs', () => {
    const g = graphOf(
      'graph adam(%p: f64[4,3], %g: f64[4,3], %m: f64[4,3], %v: f64[4,3], %lr: f64[]) {',
      '  %5: f64[] = constant[value=f64[] [0.9]]',
      '  %6: f64[4,3] = mul %m, %5',
      '  %7: f64[4,3] = mul %g, %g',
      '  %8: f64[4,3] = add %6, %7',
      '  %9: f64[4,3] = add %v, %7',
      '  %10: f64[4,3] = sqrt %9',
      '  %11: f64[4,3] = div %8, %10',
      '  %12: f64[4,3] = mul %11, %lr',
      '  %13: f64[4,3] = sub %p, %12',
      '  return %13, %8, %9',
      '}',
    );
    expectIR(
      fused(g),
      'graph adam(%p: f64[4,3], %g: f64[4,3], %m: f64[4,3], %v: f64[4,3], %lr: f64[]) {',
      '  %5: f64[] = constant[value=f64[] [0.9]]',
      '  %8: f64[4,3], %9: f64[4,3], %13: f64[4,3] = fused %m, %5, %g, %v, %lr, %p {',
      '    graph fused0(%m: f64[4,3], %5: f64[], %g: f64[4,3], %v: f64[4,3], %lr: f64[], %p: f64[4,3]) {',
      '      %6: f64[4,3] = mul %m, %5',
      '      %7: f64[4,3] = mul %g, %g',
      '      %8: f64[4,3] = add %6, %7',
      '      %9: f64[4,3] = add %v, %7',
      '      %10: f64[4,3] = sqrt %9',
      '      %11: f64[4,3] = div %8, %10',
      '      %12: f64[4,3] = mul %11, %lr',
      '      %13: f64[4,3] = sub %p, %12',
      '      return %8, %9, %13',
      '    }',
      '  }',
      '  return %13, %8, %9',
      '}',
    );
  });

  it('does not fuse a path that leaves the group and comes back (it would wait for itself)', () => {
    const g = graphOf(
      'graph g(%x: f64[3,4], %y: f64[3,4]) {',
      '  %2: f64[3,4] = add %x, %y',
      '  %3: f64[3,1] = sum[axes=[1], keepDim=true] %2',
      '  %4: f64[3,4] = mul %2, %3',
      '  %5: f64[3,4] = neg %4',
      '  return %5',
      '}',
    );
    expect(opsOf(fused(g))).toEqual(['add', 'sum', 'fused']);
  });

  it('moves a reader that sat between the members after the fused node', () => {
    const g = graphOf(
      'graph g(%x: f64[3], %y: f64[3]) {',
      '  %2: f64[3] = add %x, %y',
      '  %3: f64[] = sum[axes=[0], keepDim=false] %2',
      '  %4: f64[3] = exp %x',
      '  %5: f64[3] = mul %2, %4',
      '  return %5, %3',
      '}',
    );
    const out = fused(g);
    expect(opsOf(out)).toEqual(['fused', 'sum']);
    expect(out.nodes[0].subgraphs[0].nodes.map((n) => n.op)).toEqual(['add', 'exp', 'mul']);
  });

  it('leaves alone: other shapes, and control dependencies either way', () => {
    const g = graphOf(
      'graph g(%x: f64[3], %b: f64[3], %c: f64[3], %z: f64[2,3]) {',
      '  %4: f64[3] = exp %x',
      '  %5: f64[3] = mul %4, %b',
      '  %6: f64[3] = mul %b, %c',
      '  %7: f64[2,3] = add %z, %6',
      '  %8: f64[2,3] = neg %7',
      '  %9: f64[2,3] = relu %8 after %5',
      '  %10: f64[2,3] = abs %9',
      '  return %10',
      '}',
    );
    // Only add → neg: %6 has another shape, %5 is a control dependency, %9 has one.
    const out = fused(g);
    expect(opsOf(out)).toEqual(['exp', 'mul', 'mul', 'fused', 'relu', 'abs']);
    expect(out.nodes[3].subgraphs[0].nodes.map((n) => n.op)).toEqual(['add', 'neg']);
  });

  it.skipIf(REFERENCE_ONLY)('leaves float32 ops to their wasm SIMD kernels, unless asked; fuses float32 ops that have none', () => {
    const chain = fg.trace((x: fg.Tensor, y: fg.Tensor) => x.add(y).relu().mul(x.exp()), [fg.spec([4]), fg.spec([4])]);
    expect(opsOf(fused(chain))).toEqual(['add', 'relu', 'exp', 'mul']);
    // Asked to, it fuses them all (exp then computed by Math.exp, as the reference kernel does).
    expect(opsOf(fused(chain, { fuseVectorised: true }))).toEqual(['fused']);
    // pow, where and casts run the reference loops in float32 too: fused (gt has a wasm kernel).
    const masked = fg.trace((x: fg.Tensor, y: fg.Tensor) => fg.where(x.gt(y), x.pow(y), fg.cast(fg.cast(y, 'int32'), 'float32')), [fg.spec([4]), fg.spec([4])]);
    const out = fused(masked);
    expect(opsOf(out)).toEqual(['gt', 'fused']);
    expect(opsOf(out.nodes[1].subgraphs[0])).toEqual(['pow', 'cast', 'cast', 'where']);
  });

  it('float64 exp fuses: no vectorised kernel is faster there', () => {
    const g = fg.trace((x: fg.Tensor) => x.exp().mul(x).tanh(), [fg.spec([5], 'float64')]);
    expect(opsOf(fused(g))).toEqual(['fused']);
  });

  it('is idempotent, and returns a graph without groups itself', () => {
    const once = fusion(graphOf(...MLP));
    expect(fusion(once)).toBe(once);
    const single = graphOf('graph g(%x: f32[3]) {', '  %1: f32[3] = neg %x', '  return %1', '}');
    expect(fusion(single)).toBe(single);
  });

  it('unfuse inlines the body again; graph autodiff differentiates the unfused graph', () => {
    const g = fg.trace((x: fg.Tensor, w: fg.Tensor) => x.matmul(w).mul(2).sigmoid().mul(x.sum()).sum(), [fg.spec([3, 4], 'float64'), fg.spec([4, 2], 'float64')]);
    const out = fused(g);
    expect(opsOf(out)).toEqual(['matmul', 'constant', 'sum', 'fused', 'sum']);
    expect(opsOf(unfuse(out))).toEqual(['matmul', 'constant', 'sum', 'mul', 'sigmoid', 'mul', 'sum']);
    expect(unfuse(g)).toBe(g);
    // Where fusion moved nothing, unfuse gives back the very graph.
    const mlp = graphOf(...MLP);
    expect(fg.graphDifference(unfuse(fusion(mlp)), mlp)).toBeNull();
    const inputs = [randomTensor([3, 4], 1), randomTensor([4, 2], 2)];
    expectSameTensors(fg.gradGraph(unfuse(out)).run(...inputs), fg.gradGraph(g).run(...inputs), 0);
    // gradGraph differentiates the ops a fused node holds.
    expectSameTensors(fg.gradGraph(out).run(...inputs), fg.gradGraph(g).run(...inputs), 0);
  });
});

describe('fused graphs elsewhere', () => {
  it('the default pipeline ends with fusion, and the differential check passes with tolerance 0', () => {
    expect(fg.DEFAULT_PASSES.at(-1)).toBe('fusion');
    const g = graphOf(...MLP);
    const out = fg.optimize(g, { check: { inputs: inputsOf(g), tolerance: 0 } });
    expect(opsOf(out)).toEqual(['matmul', 'fused', 'sum']);
  });

  it('the differential check catches a fused body that computes something else', () => {
    // A broken "fusion" that turns the add into a sub inside the body.
    const broken = (g: fg.Graph): fg.Graph => {
      const out = fusion(g);
      const rw = new GraphRewriter(out);
      for (const n of out.nodes) {
        if (n.op !== 'fused') {
          rw.copy(n);
          continue;
        }
        const body = n.subgraphs[0];
        const bad = fg.parseGraph(body.toString().replace('= add', '= sub'));
        rw.replace(n, rw.emit('fused', n.inputs.map((v) => rw.value(v)), {}, { subgraphs: [bad], ids: n.outputs.map((v) => v.id) }).outputs);
      }
      return rw.build();
    };
    const g = graphOf(...MLP);
    const run = runPasses(g, [{ name: 'brokenFusion', run: broken }], { check: { inputs: inputsOf(g) } });
    expect(run.mismatch?.pass).toBe('brokenFusion');
  });

  it('a fused node counts as one launch, and its outputs come from the executor\'s buffer pool', () => {
    const g = fg.trace((x: fg.Tensor, b: fg.Tensor) => x.add(b).relu().mul(3).sum(), [fg.spec([64, 32], 'float64'), fg.spec([32], 'float64')]);
    const [plain, out] = [fg.compile(g), fg.compile(fusion(g))];
    const inputs = [randomTensor([64, 32], 1), randomTensor([32], 2)];
    expectSameTensors(out.run(...inputs), plain.run(...inputs), 0);
    expect(plain.stats.launches).toBe(4);
    expect(out.stats.launches).toBe(2);
    expect(out.stats.perOp.get('fused')?.count).toBe(1);
    out.run(...inputs);
    // A second run takes the fused node's output buffer from the pool (only the returned sum may need a fresh one).
    expect(out.stats.buffersReused).toBeGreaterThan(0);
    expect(out.stats.buffersAllocated).toBeLessThanOrEqual(1);
  });

  it('runs on a batch of size 0 and on symbolic dims bound at run time', () => {
    const out = fusion(graphOf(...MLP));
    for (const n of [0, 1, 5]) {
      const inputs = [randomTensor([n, 4], n), randomTensor([4, 3], 2), randomTensor([3], 3)];
      const [s, r] = out.run(...inputs);
      expect(r.shape).toEqual([n, 3]);
      expectClose(s.toArray(), inputs[0].matmul(inputs[1]).add(inputs[2]).relu().sum(1).toArray(), 1e-12);
    }
  });
});

describe('the safety rule: graph files cannot put code into generated kernels', () => {
  const file = (node: string, ...body: string[]): string =>
    ['graph g(%x: f32[3]) {', `  %2: f32[3] = ${node} %x {`, '    graph body(%x: f32[3]) {', ...body.map((l) => `      ${l}`), '    }', '  }', '  return %2', '}'].join('\n');
  const EVIL = '"); globalThis.pwned = 1; ("';

  it('the parser and verifier reject attributes on fused nodes and bodies with anything but templated ops', () => {
    expectThrows(() => fg.parseGraph(file(`fused[code=${JSON.stringify(EVIL)}]`, '%1: f32[3] = neg %x', 'return %1')), fg.GraphFormatError, /fused: argument 'code' expected no attributes/);
    expectThrows(() => fg.parseGraph(file('fused', `%1: f32[3] = cast[dtype=${JSON.stringify(EVIL)}] %x`, 'return %1')), fg.GraphFormatError, /cast/);
    expectThrows(() => fg.parseGraph(file('fused', '%1: f32[3] = constant[value=f32[3] [1, 2, 3]]', '%2: f32[3] = add %x, %1', 'return %2')), fg.GraphFormatError, /constant node .* cannot run in a fused kernel/);
    expectThrows(() => fg.parseGraph(file('fused', '%1: f32[3] = clone %x', 'return %1')), fg.GraphFormatError, /clone node .* cannot run in a fused kernel/);
    expectThrows(() => fg.parseGraph(file('fused', 'return %x')), fg.GraphFormatError, /body output 0 must be computed by a node of the body/);
    expectThrows(() => fg.parseGraph(file('fused', `%1: f32[3] = ${JSON.stringify(EVIL)} %x`, 'return %1')), fg.GraphFormatError);
    const json = fg.graphToJSON(fusion(graphOf(...MLP)));
    (json.graph.nodes[1] as { attrs?: Record<string, unknown> }).attrs = { kernel: EVIL };
    expectThrows(() => fg.graphFromJSON(json), fg.GraphFormatError, /fused: argument 'kernel' expected no attributes/);
  });

  it('attributes never reach the generated source, even on a node built without verification', () => {
    // A cast whose dtype attribute is hostile but whose declared type is float32: lowering reads types, not attrs.
    const b = new fg.GraphBuilder('body');
    const x = b.addInput({ shape: [3], dtype: 'float32' }, 'x');
    const c = b.addNode('cast', [x], { dtype: EVIL }, [{ shape: [3], dtype: 'float64' }]).outputs[0];
    const body = b.build([b.addNode('neg', [c], {}, [{ shape: [3], dtype: 'float64' }]).outputs[0]]);
    const source = fusedSource(lowerFusedBody(body), 'u');
    expect(source).not.toContain('pwned');
    // Verification rejects the node; run it anyway, straight on its kernel.
    const node = new fg.Node('fused', [], {}, undefined, undefined, [], [body]);
    expectThrows(() => fg.verifyGraph(body), fg.GraphFormatError, /cast: argument 'dtype'/);
    expect(runFused(node, [fg.tensor([1, -2, 0.5])])[0].toArray()).toEqual([-1, 2, -0.5]);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });
});
