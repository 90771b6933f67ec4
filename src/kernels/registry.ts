/**
 * @file The kernel table: implementations per (op, device type, dtype) with priority.
 *
 * Lookup prefers the most specific entry (device and dtype) over a catch-all on dtype, over
 * a fallback for any device; among entries equally specific, the highest priority wins, so
 * a fast backend registers beside the reference kernels and takes over where it applies.
 */
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TensorType } from '../tensor/type.js';

/**
 * A kernel computes an op's outputs from concrete inputs. `outTypes` holds the shapes and
 * dtypes the op's schema inferred, so kernels need not recompute them.
 */
/**
 * A kernel computes its outputs from its inputs. A kernel whose entry sets `writesInto` may
 * be given `into`, a contiguous tensor of outTypes[0] (possibly aliasing input 0 exactly,
 * for in-place ops), and must then write its single output there and return [into].
 */
export type Kernel<A = any> = (inputs: readonly Tensor[], attrs: A, outTypes: readonly TensorType[], into?: Tensor) => Tensor[];

export interface KernelEntry {
  /** Which backend provides it ('reference', 'wasm', …), for stats and tests. */
  readonly backend: string;
  readonly device: string | '*';
  readonly dtype: DType | '*';
  readonly priority: number;
  readonly kernel: Kernel;
  /** The dispatcher copies non-contiguous inputs before calling kernels that set this. */
  readonly contiguousInputs?: boolean;
  /** The kernel can write its output into a given tensor (see Kernel). */
  readonly writesInto?: boolean;
  /** Returns false for inputs this kernel does not handle (the next entry then runs). */
  readonly accepts?: (inputs: readonly Tensor[], attrs: any) => boolean;
}

const table = new Map<string, KernelEntry[]>();

export function registerKernel(op: string, entry: Omit<KernelEntry, 'priority' | 'device' | 'dtype'> & Partial<KernelEntry>): void {
  const full: KernelEntry = { device: 'cpu', dtype: '*', priority: 0, ...entry };
  const list = table.get(op) ?? [];
  list.push(full);
  list.sort((a, b) => specificity(b) - specificity(a) || b.priority - a.priority);
  table.set(op, list);
}

const specificity = (e: KernelEntry): number => (e.device !== '*' ? 2 : 0) + (e.dtype !== '*' ? 1 : 0);

/** The device type of a device name: 'cpu:1' → 'cpu'. */
export const deviceType = (device: string): string => {
  const colon = device.indexOf(':');
  return colon < 0 ? device : device.slice(0, colon);
};

export function findKernel(op: string, device: string, dtype: DType, inputs: readonly Tensor[], attrs: unknown): KernelEntry | undefined {
  const list = table.get(op);
  if (!list) return undefined;
  const dev = deviceType(device);
  for (const e of list) {
    if ((e.device === '*' || e.device === dev) && (e.dtype === '*' || e.dtype === dtype) && (!e.accepts || e.accepts(inputs, attrs))) return e;
  }
  return undefined;
}

/** Every entry for an op, most preferred first (tests compare fast kernels with the reference). */
export const kernelsFor = (op: string): readonly KernelEntry[] => table.get(op) ?? [];

/** The entry of one backend, to call it directly (fast kernels are tested against 'reference'). */
export const kernelOf = (op: string, backend: string): KernelEntry | undefined => kernelsFor(op).find((e) => e.backend === backend);
