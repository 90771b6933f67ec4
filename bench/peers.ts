/**
 * @file Loads the peers in-process (TensorFlow.js on its cpu and wasm backends, jax-js on
 * its wasm device) and turns each topic's per-library implementations into harness subjects.
 *
 * Every peer is optional: one that fails to load is reported with the reason and its
 * column shows n/a, and the rest of the suite runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BenchCase, Prepared, Subject } from './harness.js';

export type Tf = typeof import('@tensorflow/tfjs');
type TfTensor = import('@tensorflow/tfjs').Tensor;
export type Jax = typeof import('@jax-js/jax');
export type TfBackend = 'cpu' | 'wasm';

/** The table's columns, in order; flowgrad first, as the ratios' baseline. */
export const LIBRARIES = ['flowgrad', 'tfjs-cpu', 'tfjs-wasm', 'jax-js'] as const;
export type Library = (typeof LIBRARIES)[number];

/** What loaded, and why the rest did not. */
export interface Peers {
  tf?: Tf;
  /** Not-loaded reason per library column. */
  missing: Map<Library, string>;
  /** One line per peer: version and the engine features that matter for speed. */
  description: string[];
  jax?: Jax;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** A module's namespace, whether Node exposes a CommonJS package's exports as names or as `default`. */
function namespaceOf<T>(mod: unknown, probe: string): T {
  const m = mod as Record<string, unknown>;
  return (probe in m ? m : m.default) as T;
}

async function loadTfjs(peers: Peers): Promise<void> {
  let tf: Tf;
  try {
    // The full package, not tfjs-core alone: core's Node build registers no gradients.
    tf = namespaceOf<Tf>(await import('@tensorflow/tfjs'), 'setBackend');
    // Production mode skips debug checks and the "install tfjs-node" banner, as a tuned app would.
    tf.enableProdMode();
  } catch (e) {
    for (const lib of ['tfjs-cpu', 'tfjs-wasm'] as const) peers.missing.set(lib, `@tensorflow/tfjs did not load: ${errorText(e)}`);
    return;
  }
  peers.tf = tf;
  const parts = [`tfjs ${tf.version_core}`];
  try {
    if (!(await tf.setBackend('cpu'))) throw new Error('setBackend returned false');
    parts.push('cpu (JS)');
  } catch (e) {
    peers.missing.set('tfjs-cpu', `cpu backend failed: ${errorText(e)}`);
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    parts.push(`wasm (SIMD ${simd ? 'yes' : 'no'}, threads ${threads ? 'yes' : 'no'})`);
  } catch (e) {
    peers.missing.set('tfjs-wasm', `wasm backend failed: ${errorText(e)}`);
  }
  peers.description.push(parts.join(', '));
}

function jaxVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('@jax-js/jax');
    return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

async function loadJax(peers: Peers): Promise<void> {
  try {
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('cpu', 'wasm');
    if (!devices.includes('wasm')) throw new Error(`init gave devices [${devices.join(', ')}], no wasm`);
    jax.defaultDevice('wasm');
    peers.jax = jax;
    // jax-js spreads work over web Workers, which Node 20 lacks as a global.
    const threads = typeof (globalThis as { Worker?: unknown }).Worker !== 'undefined';
    peers.description.push(`jax-js ${jaxVersion()}, wasm device (threads ${threads ? 'yes' : 'no'})`);
  } catch (e) {
    peers.missing.set('jax-js', `@jax-js/jax did not load: ${errorText(e)}`);
  }
}

/** Loads every peer it can; never throws. */
export async function loadPeers(): Promise<Peers> {
  const peers: Peers = { missing: new Map(), description: [] };
  await loadTfjs(peers);
  await loadJax(peers);
  return peers;
}

type Build<L> = (lib: L) => Prepared | Promise<Prepared>;

/** One case's code per library. A library left out shows '—' in that row. */
export interface Implementations {
  flowgrad?: () => Prepared | Promise<Prepared>;
  /** Called once per tfjs backend, after that backend is made current. */
  tfjs?: Build<Tf>;
  jax?: Build<Jax>;
}

const unavailable = (library: Library, reason: string): Subject => ({
  library,
  prepare: () => {
    throw new Error(`not loaded (${reason})`);
  },
});

/**
 * Waits for a tfjs result by reading one element of it. tfjs's cpu and wasm backends run
 * kernels inside the op call, so this proves the result exists without paying for
 * `dataSync()` of the whole output — on the wasm backend a copy out of its heap that
 * flowgrad and jax-js never make (about 30 ms on top of tfjs-wasm's 100 ms for exp over 16M).
 */
export function tfSync(tf: Tf, result: TfTensor): void {
  const first = tf.tidy(() => tf.slice(tf.reshape(result, [-1]), 0, 1));
  first.dataSync();
  first.dispose();
}

/** Activates the backend, then checks after dispose that the case released every tensor it made. */
function tfjsSubject(tf: Tf, backend: TfBackend, build: Build<Tf>): Subject {
  const library: Library = `tfjs-${backend}`;
  return {
    library,
    async prepare() {
      await tf.setBackend(backend);
      await tf.ready();
      const before = tf.memory().numTensors;
      const prepared = await build(tf);
      return {
        ...prepared,
        dispose() {
          prepared.dispose?.();
          const leaked = tf.memory().numTensors - before;
          if (leaked > 0) console.error(`  warning: ${library} case left ${leaked} tensors undisposed`);
        },
      };
    },
  };
}

/** The harness subjects for one case, in column order. */
export function subjectsFor(peers: Peers, impls: Implementations): Subject[] {
  const out: Subject[] = [];
  if (impls.flowgrad) out.push({ library: 'flowgrad', prepare: impls.flowgrad });
  for (const backend of ['cpu', 'wasm'] as const) {
    const library: Library = `tfjs-${backend}`;
    if (!impls.tfjs) continue;
    const reason = peers.missing.get(library);
    out.push(reason !== undefined || !peers.tf ? unavailable(library, reason ?? 'tfjs missing') : tfjsSubject(peers.tf, backend, impls.tfjs));
  }
  if (impls.jax) {
    const reason = peers.missing.get('jax-js');
    const jax = peers.jax;
    out.push(reason !== undefined || !jax ? unavailable('jax-js', reason ?? 'jax-js missing') : { library: 'jax-js', prepare: () => impls.jax!(jax) });
  }
  return out;
}

/** One bench file: a name to select it by on the command line, and its cases. */
export interface Topic {
  name: string;
  title: string;
  cases(peers: Peers): BenchCase[];
  /** Lines printed under the topic's table: measured facts of this machine that bound every row. */
  afterword?(): string[];
}
