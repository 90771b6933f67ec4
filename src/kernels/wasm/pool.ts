/**
 * @file A lazily started pool of worker threads that share the wasm memory, for the big
 * kernels (matmul, conv2d). The API stays synchronous: the calling thread opens a job,
 * takes tasks itself, and waits (Atomics.wait) only for workers that joined.
 *
 * Protocol, over the int32 control words at address 0 of the shared memory:
 * - The caller writes KIND/ARGS/NTASKS, resets NEXT, stores CLOSED = 0, bumps GEN, notifies.
 * - A worker woken by GEN increments INFLIGHT, then joins only if CLOSED is still 0; it
 *   claims task indices with an atomic add on NEXT until they run out, then decrements
 *   INFLIGHT. Seq-cst atomics make "joined" and "closed" mutually visible.
 * - When no task is left the caller stores CLOSED = 1 and waits until INFLIGHT is 0; only
 *   then does it release the arena space the job used.
 * A worker still starting, or busy elsewhere, is never waited for: the caller does its share.
 * Workers are unref()ed, so an idle pool never keeps the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { internal } from '../../errors.js';
import { wasmKernels } from './module.js';
import { WORKER_SOURCE } from './workerSource.js';

/** Indices of the control words (shared with workerSource.ts). */
export const CTL = { GEN: 0, CLOSED: 1, NEXT: 2, NTASKS: 3, INFLIGHT: 4, KIND: 5, ARGS: 6, ERROR: 7, DONE: 8, READY: 9 } as const;

/** Atomic loads (~5 ns each) a thread spins on before it sleeps: a few tens of microseconds. */
export const SPIN_CHECKS = 4000;

let ctl: Int32Array | null = null;
let workers: Worker[] | null = null;
/** Settles once every worker has loaded the kernels (or failed to start). */
let workersReady: Promise<void> = Promise.resolve();
let busy = false;
let threads = 0;

/**
 * Threads that take part in a parallel job: this one plus the workers. FLOWGRAD_THREADS caps
 * it; it is fixed at the first call, since each thread owns a scratch slot by its index.
 */
export function threadCount(): number {
  if (threads === 0) {
    const cap = Number(process.env.FLOWGRAD_THREADS);
    const n = Number.isInteger(cap) && cap > 0 ? Math.min(cap, availableParallelism()) : availableParallelism();
    threads = Math.max(1, Math.min(n, 16));
  }
  return threads;
}

function control(): Int32Array {
  if (!ctl) {
    ctl = new Int32Array(wasmKernels().memory.buffer, 0, 16);
    Atomics.store(ctl, CTL.CLOSED, 1);
  }
  return ctl;
}

function startWorkers(): void {
  const { module, memory } = wasmKernels();
  workers = [];
  const started: Promise<void>[] = [];
  for (let thread = 1; thread < threadCount(); thread++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, thread, ctl: CTL, spin: SPIN_CHECKS } });
    worker.unref();
    // A worker that fails to start never joins a job, so the caller simply does its share.
    worker.on('error', () => undefined);
    started.push(new Promise((resolve) => {
      worker.once('message', () => resolve());
      worker.once('error', () => resolve());
      worker.once('exit', () => resolve());
    }));
    workers.push(worker);
  }
  workersReady = Promise.all(started).then(() => undefined);
}

/**
 * Starts the worker threads now, rather than at the first big job, and resolves once each is
 * ready for work. A worker takes tens of milliseconds to start, during which big jobs run on
 * the calling thread alone (e.g. the first ~20 calls of a 1 ms conv2d), so a benchmark's
 * warm-up or a server's start-up can await this to get full speed from the first call.
 * Never needed for correctness; the pool still never keeps the process alive.
 */
export function warmUpPool(): Promise<void> {
  if (threadCount() < 2) return Promise.resolve();
  if (!workers) startWorkers();
  return workersReady;
}

/**
 * Runs tasks [0, nTasks) of job `kind` with arguments at byte address `args`; returns when
 * all are done. `parallel: false` (small jobs) runs them here without waking the pool.
 */
export function runJob(kind: number, args: number, nTasks: number, parallel: boolean): void {
  const { exports } = wasmKernels();
  if (!parallel || nTasks < 2 || threadCount() < 2 || busy) {
    for (let t = 0; t < nTasks; t++) exports.runTask(kind, args, t, 0);
    return;
  }
  withJob(kind, args, nTasks, 0, nTasks, (c) => {
    for (let t = Atomics.add(c, CTL.NEXT, 1); t < nTasks; t = Atomics.add(c, CTL.NEXT, 1)) exports.runTask(kind, args, t, 0);
  });
}

/**
 * A streamed job: `produce(t)` moves task t's input into wasm memory and `consume(t)` its
 * result out, both on this thread and in task order, while the workers compute: a worker
 * starts task t as soon as it is produced, and consume(t) runs as soon as task t is done.
 * Waiting for a task, this thread takes the next unclaimed one itself rather than idle (so
 * it never waits on a worker that has not started). `flags` is the byte address of nTasks
 * int32 words for the done flags.
 */
export function runJobInOrder(
  kind: number, args: number, nTasks: number, flags: number,
  produce: ((task: number) => void) | null, consume: (task: number) => void,
): void {
  const { exports } = wasmKernels();
  if (nTasks < 2 || threadCount() < 2 || busy) {
    for (let t = 0; t < nTasks; t++) {
      produce?.(t);
      exports.runTask(kind, args, t, 0);
      consume(t);
    }
    return;
  }
  const done = new Int32Array(wasmKernels().memory.buffer, flags, nTasks);
  done.fill(0);
  withJob(kind, args, nTasks, flags, produce ? 0 : nTasks, (c) => {
    if (produce) {
      for (let t = 0; t < nTasks; t++) {
        produce(t);
        Atomics.store(c, CTL.READY, t + 1);
      }
    }
    for (let next = 0; next < nTasks; next++) {
      while (Atomics.load(done, next) === 0) {
        const t = Atomics.add(c, CTL.NEXT, 1);
        if (t < nTasks) {
          exports.runTask(kind, args, t, 0);
          Atomics.store(done, t, 1);
        } else {
          // A worker holds task `next` and will finish it, unless it failed.
          if (Atomics.load(c, CTL.ERROR) !== 0) return;
          for (let i = 0; i < SPIN_CHECKS && Atomics.load(done, next) === 0; i++);
          Atomics.wait(done, next, 0, 1);
        }
      }
      consume(next);
    }
  });
}

/**
 * Publishes a job to the workers, runs `work` on this thread, then waits until no worker is
 * in the job. Workers take task t only once t < the READY word (`ready` to start with).
 */
function withJob(kind: number, args: number, nTasks: number, flags: number, ready: number, work: (c: Int32Array) => void): void {
  if (!workers) startWorkers();
  const c = control();
  busy = true;
  try {
    c[CTL.KIND] = kind;
    c[CTL.ARGS] = args;
    c[CTL.NTASKS] = nTasks;
    c[CTL.DONE] = flags;
    c[CTL.READY] = ready;
    Atomics.store(c, CTL.ERROR, 0);
    Atomics.store(c, CTL.NEXT, 0);
    Atomics.store(c, CTL.CLOSED, 0);
    Atomics.add(c, CTL.GEN, 1);
    Atomics.notify(c, CTL.GEN);
    work(c);
  } finally {
    // Even if a task trapped here, workers may still be reading the job: wait for them.
    // A worker usually finishes within microseconds of this thread: spin briefly before
    // sleeping, since a futex wake-up costs tens of microseconds.
    Atomics.store(c, CTL.CLOSED, 1);
    // A worker waiting for an input that will never come (work threw) must not wait forever.
    Atomics.store(c, CTL.READY, nTasks);
    for (let i = 0; i < SPIN_CHECKS && Atomics.load(c, CTL.INFLIGHT) !== 0; i++);
    for (let n = Atomics.load(c, CTL.INFLIGHT); n !== 0; n = Atomics.load(c, CTL.INFLIGHT)) Atomics.wait(c, CTL.INFLIGHT, n);
    busy = false;
  }
  if (Atomics.load(c, CTL.ERROR) !== 0) throw internal(`a wasm worker thread failed in job kind ${kind}`);
}
