/**
 * Eager memory soak: trains a small MLP for many steps with no manual release (no tidy,
 * dispose or .ref) and reports RSS and heap at the start and end. `npm run soak [-- steps]`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as fg from '../src/index.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

export interface SoakResult {
  steps: number;
  start: { rssMB: number; heapMB: number; externalMB: number };
  end: { rssMB: number; heapMB: number; externalMB: number };
  firstLoss: number;
  lastLoss: number;
}

const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
/** Memory after a full collection; array-buffer backing stores are freed on a background thread, hence the pause. */
async function sample() {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapMB: mb(m.heapUsed), externalMB: mb(m.external + m.arrayBuffers) };
}

export async function soak(steps: number, warmup = 200): Promise<SoakResult> {
  fg.manualSeed(0);
  const model = new fg.nn.Sequential(new fg.nn.Linear(32, 64), new fg.nn.ReLU(), new fg.nn.Linear(64, 10));
  const opt = new fg.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = fg.randn([64, 32]);
  const y = fg.tensor(Array.from({ length: 64 }, (_, i) => i % 10), { dtype: 'int32' });
  const step = () => {
    opt.zeroGrad();
    const loss = fg.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
  let firstLoss = NaN;
  for (let i = 0; i < warmup; i++) firstLoss = i === 0 ? step() : (step(), firstLoss);
  const start = await sample();
  let lastLoss = NaN;
  for (let i = 0; i < steps; i++) lastLoss = step();
  return { steps, start, end: await sample(), firstLoss, lastLoss };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const steps = Number(process.argv[2] ?? 10_000);
  const r = await soak(steps);
  console.log(`eager soak: ${r.steps} training steps after warm-up, loss ${r.firstLoss.toFixed(4)} → ${r.lastLoss.toFixed(4)}`);
  console.log(`  start: rss ${r.start.rssMB} MB, heap ${r.start.heapMB} MB, array buffers + external ${r.start.externalMB} MB`);
  console.log(`  end:   rss ${r.end.rssMB} MB, heap ${r.end.heapMB} MB, array buffers + external ${r.end.externalMB} MB`);
}
