/**
 * @file The wasm backend's runtime: module selection, the thread pool (overlapping use,
 * process exit) and the scratch arena (nothing held between calls).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelOf } from '../../src/kernels/registry.js';
import { arenaBytesInUse } from '../../src/kernels/wasm/heap.js';
import { wasmKernels } from '../../src/kernels/wasm/module.js';
import { threadCount, warmUpPool } from '../../src/kernels/wasm/pool.js';
import { expectMatchesReference, randomF32 } from './wasmHelpers.js';
import { REFERENCE_ONLY } from '../helpers/backend.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = (path: string) => pathToFileURL(`${root}${path}`).href;
const matmulType = (m: number, n: number) => [{ shape: [m, n], dtype: 'float32' as const }];

describe.skipIf(REFERENCE_ONLY)('wasm module', () => {
  it('uses the relaxed-SIMD (FMA) build on Node ≥ 20', () => {
    // Node 20 needs the V8 flag the loader sets; later Node versions validate it as is.
    expect(wasmKernels().relaxedSimd).toBe(true);
  });
});

describe.skipIf(REFERENCE_ONLY)('wasm scratch arena', () => {
  it('holds nothing between calls, and keeps the memory size of the largest call', () => {
    const a = randomF32([300, 200], 1);
    const b = randomF32([200, 100], 2);
    const matmul = kernelOf('matmul', 'wasm')!.kernel;
    matmul([a, b], {}, matmulType(300, 100));
    const bytes = wasmKernels().memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) matmul([a, b], {}, matmulType(300, 100));
    expect(arenaBytesInUse()).toBe(0);
    expect(wasmKernels().memory.buffer.byteLength).toBe(bytes);
  });

  it('releases its space when a kernel throws', () => {
    const exp = kernelOf('exp', 'wasm')!.kernel;
    const bad = { ...randomF32([4], 3), isContiguous: () => true, storage: null } as never;
    expect(() => exp([bad], {}, [{ shape: [4], dtype: 'float32' }])).toThrow();
    expect(arenaBytesInUse()).toBe(0);
  });
});

describe.skipIf(REFERENCE_ONLY)('wasm thread pool', () => {
  it('has one slot per available core', () => {
    expect(threadCount()).toBeGreaterThanOrEqual(1);
  });

  it('can be started ahead of the first big job, and then computes as before', async () => {
    await warmUpPool();
    await warmUpPool();
    expectMatchesReference('matmul', [randomF32([300, 200], 50), randomF32([200, 310], 51)], {}, { rtol: 1e-5, atol: 2e-4 });
  });

  it('runs in-order jobs (the threaded unary ops) with the workers, on contiguous and strided inputs', async () => {
    await warmUpPool();
    for (const op of ['exp', 'tanh', 'sigmoid', 'log']) {
      const x = op === 'log' ? randomF32([1031, 1029], 60, 1e-3, 50) : randomF32([1031, 1029], 61, -20, 20);
      expectMatchesReference(op, [x], {}, { rtol: 1e-6, atol: 1e-37 });
      expectMatchesReference(op, [x.transpose(0, 1)], {}, { rtol: 1e-6, atol: 1e-37 });
    }
  });

  it('gives correct results when async callers interleave', async () => {
    const run = async (seed: number) => {
      for (let i = 0; i < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        expectMatchesReference('matmul', [randomF32([150, 170], seed + i), randomF32([170, 190], seed + 10 + i)], {}, { rtol: 1e-5, atol: 2e-4 });
      }
    };
    await Promise.all([run(100), run(200), run(300)]);
  });

  it('lets the process exit as soon as the work is done, and works in several threads at once', () => {
    // Two worker threads each load flowgrad (each its own pool) and multiply at the same
    // time; the process must then exit by itself although pool workers are blocked waiting.
    const script = `
      import { Worker } from 'node:worker_threads';
      const code = \`
        import { parentPort } from 'node:worker_threads';
        const { tsImport } = await import('${source('node_modules/tsx/dist/esm/api/index.mjs')}');
        const { Tensor } = await tsImport('${source('src/tensor/tensor.ts')}', '${source('')}');
        const { matmulKernel } = await tsImport('${source('src/kernels/wasm/matmul.ts')}', '${source('')}');
        const n = 256; const a = new Float32Array(n * n).fill(1); const b = new Float32Array(n * n).fill(2);
        let ok = true;
        for (let r = 0; r < 5; r++) {
          const [c] = matmulKernel([Tensor.fromData(a, [n, n], 'float32'), Tensor.fromData(b, [n, n], 'float32')], {}, [{ shape: [n, n], dtype: 'float32' }]);
          ok = ok && c.storage.data.every((v) => v === 2 * n);
        }
        parentPort.postMessage(ok);
      \`;
      const results = await Promise.all([0, 1].map(() => new Promise((resolve, reject) => {
        const w = new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)));
        w.on('message', resolve);
        w.on('error', reject);
      })));
      const { Tensor } = await import('${source('src/tensor/tensor.ts')}');
      const { matmulKernel } = await import('${source('src/kernels/wasm/matmul.ts')}');
      // A pool started ahead of time must not keep the process alive either.
      await (await import('${source('src/kernels/wasm/pool.ts')}')).warmUpPool();
      const n = 512; const a = new Float32Array(n * n).fill(1);
      const [c] = matmulKernel([Tensor.fromData(a, [n, n], 'float32'), Tensor.fromData(a, [n, n], 'float32')], {}, [{ shape: [n, n], dtype: 'float32' }]);
      console.log(JSON.stringify({ workers: results, main: c.storage.data[0] === n }));
    `;
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ workers: [true, true], main: true });
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
