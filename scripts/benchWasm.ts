/**
 * @file Quick numbers for the wasm kernels (not a test, and not the peer benchmark in
 * bench/): matmul 1024² single- and multi-threaded, the conv2d benchmark shape with both
 * backward ops, the MLP's small-N matmuls and big elementwise ops, and exp/tanh/sigmoid
 * over 16M floats. Medians of several runs.
 * Also one eager SGD step of an MLP 784-256-256-10 (batch 128), the whole framework's path.
 *   node --import tsx scripts/benchWasm.ts [--quick]
 * The single-threaded rows run in a child process with FLOWGRAD_THREADS=1.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as fg from '../src/index.js';
import { registerWasmKernels } from '../src/kernels/wasm/index.js';
import { wasmKernels } from '../src/kernels/wasm/module.js';
import { threadCount } from '../src/kernels/wasm/pool.js';
import { applyOp } from '../src/ops/dispatch.js';
import { Tensor } from '../src/tensor/tensor.js';

registerWasmKernels();
const quick = process.argv.includes('--quick');
const child = process.argv.includes('--child');

function random(shape: number[], seed: number): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return Tensor.fromData(data, shape, 'float32');
}

const transposed = (t: Tensor): Tensor => new Tensor(t.storage, [t.shape[1], t.shape[0]], [t.strides[1], t.strides[0]], t.offset, t.dtype);

/** Median and best milliseconds of `runs` timed calls after `warmup` untimed ones. */
function time(f: () => unknown, runs: number, warmup = 3): { median: number; best: number } {
  for (let i = 0; i < warmup; i++) f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1], best: ms[0] };
}

const line = (name: string, t: { median: number; best: number }, rate: (ms: number) => string) =>
  console.log(`${name.padEnd(44)} median ${t.median.toFixed(3).padStart(8)} ms  ${rate(t.median).padStart(14)}   (best ${t.best.toFixed(3)} ms, ${rate(t.best)})`);

function matmulRows(label: string): void {
  const n = 1024;
  const gflops = (ms: number) => `${((2 * n ** 3) / ms / 1e6).toFixed(1)} GFLOP/s`;
  const a = random([n, n], 1);
  const b = random([n, n], 2);
  const runs = quick ? 5 : 21;
  line(`matmul ${n}² ${label}`, time(() => applyOp('matmul', [a, b], {}), runs), gflops);
  line(`matmul ${n}² aᵀ·b ${label}`, time(() => applyOp('matmul', [transposed(a), b], {}), runs), gflops);
  line(`matmul ${n}² a·bᵀ ${label}`, time(() => applyOp('matmul', [a, transposed(b)], {}), runs), gflops);
}

function convRows(label: string): void {
  const attrs = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups: 1 };
  const x = random([1, 32, 64, 64], 3);
  const w = random([64, 32, 3, 3], 4);
  const dy = random([1, 64, 64, 64], 5);
  const flops = 2 * 64 * 32 * 9 * 64 * 64;
  const gflops = (ms: number) => `${(flops / ms / 1e6).toFixed(1)} GFLOP/s`;
  const runs = quick ? 9 : 51;
  line(`conv2d 1×32×64×64→64 3×3 ${label}`, time(() => applyOp('conv2d', [x, w], attrs), runs), gflops);
  line(`conv2dBackwardInput ${label}`, time(() => applyOp('conv2dBackwardInput', [dy, w], { ...attrs, inputShape: [1, 32, 64, 64] }), runs), gflops);
  line(`conv2dBackwardWeight ${label}`, time(() => applyOp('conv2dBackwardWeight', [x, dy], { ...attrs, weightShape: [64, 32, 3, 3] }), runs), gflops);
}

/** The MLP step's classifier matmuls (N = 10, and its backward shapes): latency-bound, so many runs. */
function smallMatmulRows(label: string): void {
  const runs = quick ? 200 : 2000;
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const h = random([128, 256], 8);
  const w = random([256, 10], 9);
  const g = random([128, 10], 10);
  line(`matmul [128,256]·[256,10] ${label}`, time(() => applyOp('matmul', [h, w], {}), runs, runs), us);
  line(`matmul [256,128]ᵀ·[128,10] ${label}`, time(() => applyOp('matmul', [transposed(h), g], {}), runs, runs), us);
  line(`matmul [128,10]·[10,256]ᵀ ${label}`, time(() => applyOp('matmul', [g, transposed(w)], {}), runs, runs), us);
}

/** Elementwise ops on an MLP parameter's shape [784, 256] (the SGD update's scalar mul and sub). */
function elementwiseRows(): void {
  const runs = quick ? 200 : 2000;
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const p = random([784, 256], 11);
  const q = random([784, 256], 12);
  const s = Tensor.fromData(new Float32Array([0.1]), [], 'float32');
  line('mul [784,256]·scalar', time(() => applyOp('mul', [p, s], {}), runs, runs), us);
  line('sub [784,256] − [784,256]', time(() => applyOp('sub', [p, q], {}), runs, runs), us);
  line('relu [784,256]', time(() => applyOp('relu', [p], {}), runs, runs), us);
}

function unaryRows(): void {
  const n = 2 ** 24;
  const x = random([n], 6);
  const gbs = (ms: number) => `${((n * 4) / ms / 1e6).toFixed(2)} GB/s`;
  for (const op of ['exp', 'tanh', 'sigmoid'] as const) line(`${op} over 16M float32 (input bytes/s)`, time(() => applyOp(op, [x], {}), quick ? 3 : 11), gbs);
}

function mlpRow(label: string): void {
  const layers = [784, 256, 256, 10];
  const params: fg.Tensor[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    params.push(random([layers[l], layers[l + 1]], 10 + l).mul(0.05).detach().requiresGrad_());
    params.push(random([layers[l + 1]], 20 + l).mul(0.05).detach().requiresGrad_());
  }
  const x = random([128, 784], 7);
  const y = fg.tensor(Int32Array.from({ length: 128 }, (_, i) => (i * 7) % 10));
  const step = () => {
    let h = x;
    for (let i = 0; i < params.length; i += 2) {
      h = fg.add(fg.matmul(h, params[i]), params[i + 1]);
      if (i + 2 < params.length) h = fg.relu(h);
    }
    const loss = fg.crossEntropy(h, y);
    loss.backward();
    fg.noGrad(() => {
      for (const q of params) {
        q.sub_(q.grad!.mul(0.1));
        q.grad = null;
      }
    });
    return loss.item();
  };
  line(`MLP 784-256-256-10 b128 eager step ${label}`, time(step, quick ? 10 : 60, 10), (ms) => `${(1000 / ms).toFixed(0)} steps/s`);
}

if (child) {
  matmulRows('1 thread');
  convRows('1 thread');
  smallMatmulRows('1 thread');
  mlpRow('1 thread');
} else {
  const { relaxedSimd } = wasmKernels();
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`wasm build: ${relaxedSimd ? 'relaxed SIMD (FMA)' : 'plain SIMD'}, ${threadCount()} threads\n`);
  process.stdout.write(
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...(quick ? ['--quick'] : [])], {
      env: { ...process.env, FLOWGRAD_THREADS: '1' },
      encoding: 'utf8',
    }),
  );
  matmulRows(`${threadCount()} threads`);
  convRows(`${threadCount()} threads`);
  mlpRow(`${threadCount()} threads`);
  elementwiseRows();
  unaryRows();
}
