/**
 * @file conv2d forward: 1×32×64×64 → 64 channels, 3×3 kernel, stride 1, same padding, no bias (ms).
 *
 * flowgrad and jax-js take NCHW input with [out, in, kH, kW] weights; tfjs gets the same
 * numbers in its native NHWC / [kH, kW, in, out] layout (rearranged before timing, and its
 * result rearranged back before the comparison), so nobody pays for a layout it does not use.
 */
import * as fg from '../src/index.js';
import type { BenchCase } from './harness.js';
import { permute, uniform } from './inputs.js';
import { type Peers, type Topic, subjectsFor, tfSync } from './peers.js';

const [N, C_IN, H, W] = [1, 32, 64, 64];
const C_OUT = 64;
const K = 3;

function conv2dCase(peers: Peers): BenchCase {
  const xData = uniform(N * C_IN * H * W, -1, 1, 21);
  const wData = uniform(C_OUT * C_IN * K * K, -0.2, 0.2, 22);
  return {
    name: 'conv2d 3×3 same',
    size: `${N}×${C_IN}×${H}×${W} → ${C_OUT}`,
    measure: { unit: 'ms' },
    subjects: subjectsFor(peers, {
      flowgrad() {
        const x = fg.tensor(xData).reshape([N, C_IN, H, W]);
        const w = fg.tensor(wData).reshape([C_OUT, C_IN, K, K]);
        const forward = () => fg.conv2d(x, w, null, { stride: 1, padding: (K - 1) / 2 });
        return {
          run: () => void forward(),
          result: () => forward().dataSync() as Float32Array,
        };
      },
      tfjs(tf) {
        const x = tf.tensor4d(permute(xData, [N, C_IN, H, W], [0, 2, 3, 1]), [N, H, W, C_IN]);
        const w = tf.tensor4d(permute(wData, [C_OUT, C_IN, K, K], [2, 3, 1, 0]), [K, K, C_IN, C_OUT]);
        const forward = () => tf.conv2d(x, w, 1, 'same');
        return {
          run() {
            const y = forward();
            tfSync(tf, y);
            y.dispose();
          },
          result() {
            const y = forward();
            const nhwc = y.dataSync() as Float32Array;
            y.dispose();
            return permute(nhwc, [N, H, W, C_OUT], [0, 3, 1, 2]);
          },
          dispose: () => tf.dispose([x, w]),
        };
      },
      jax({ numpy: np, lax }) {
        const x = np.array(xData).reshape([N, C_IN, H, W]);
        const w = np.array(wData).reshape([C_OUT, C_IN, K, K]);
        const forward = () => lax.convGeneralDilated(x.ref, w.ref, [1, 1], 'SAME');
        return {
          async run() {
            const y = forward();
            await y.blockUntilReady();
            y.dispose();
          },
          result: () => forward().dataSync() as Float32Array,
          dispose() {
            x.dispose();
            w.dispose();
          },
        };
      },
    }),
  };
}

export const topic: Topic = {
  name: 'conv2d',
  title: 'conv2d forward (ms per call, lower is better)',
  cases: (peers) => [conv2dCase(peers)],
};
