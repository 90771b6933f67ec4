/**
 * @file The code of a pool worker (pool.ts), run with `new Worker(code, { eval: true })` so
 * that it loads the same way from the TypeScript sources and from dist/. It instantiates
 * the wasm module over the shared memory and loops: wait for a job, take tasks, report.
 * Nothing from outside the library is ever pasted into it.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, thread, ctl: CTL, spin } = workerData;
const { runTask } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, 0, 16);
// Tells warmUpPool (pool.ts) that this thread can take tasks.
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  // Jobs often come back to back (im2col, then gemm): spin a little before sleeping.
  for (let i = 0; i < spin && Atomics.load(ctl, CTL.GEN) === seen; i++);
  Atomics.wait(ctl, CTL.GEN, seen);
  seen = Atomics.load(ctl, CTL.GEN);
  Atomics.add(ctl, CTL.INFLIGHT, 1);
  if (Atomics.load(ctl, CTL.CLOSED) === 0) {
    const kind = ctl[CTL.KIND], args = ctl[CTL.ARGS], n = ctl[CTL.NTASKS], flags = ctl[CTL.DONE];
    // An in-order job (runJobInOrder) has a done flag per task, which the caller waits on.
    const done = flags === 0 ? null : new Int32Array(memory.buffer, flags, n);
    try {
      for (let t = Atomics.add(ctl, CTL.NEXT, 1); t < n; t = Atomics.add(ctl, CTL.NEXT, 1)) {
        // A streamed job's inputs arrive in task order, microseconds apart.
        while (Atomics.load(ctl, CTL.READY) <= t);
        runTask(kind, args, t, thread);
        if (done) {
          Atomics.store(done, t, 1);
          Atomics.notify(done, t);
        }
      }
    } catch {
      Atomics.store(ctl, CTL.ERROR, 1);
    }
  }
  Atomics.sub(ctl, CTL.INFLIGHT, 1);
  Atomics.notify(ctl, CTL.INFLIGHT);
}
`;
