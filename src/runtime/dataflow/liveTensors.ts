/**
 * @file Bytes alive during a dataflow run: the tensors kernels made, each counted while some
 * stored value (in any iteration) or pending Merge holds it. A value forwarded by Switch,
 * Merge, Enter, Exit or NextIteration is the same tensor, counted once.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Token } from './frameState.js';
import { bytesOf } from './stats.js';

export class LiveTensors {
  private readonly holders = new Map<Tensor, number>();
  bytes = 0;
  /** Tensors made in this run. */
  made = 0;

  /** A tensor a kernel just made (not yet held by any value). */
  add(t: Tensor): void {
    if (this.holders.has(t)) return;
    this.holders.set(t, 0);
    this.bytes += bytesOf(t);
    this.made++;
  }

  retain(token: Token): void {
    const n = token instanceof Tensor ? this.holders.get(token) : undefined;
    if (n !== undefined) this.holders.set(token as Tensor, n + 1);
  }

  release(token: Token): void {
    const n = token instanceof Tensor ? this.holders.get(token) : undefined;
    if (n === undefined) return;
    if (n > 1) this.holders.set(token as Tensor, n - 1);
    else {
      this.holders.delete(token as Tensor);
      this.bytes -= bytesOf(token as Tensor);
    }
  }

  clear(): void {
    this.holders.clear();
    this.bytes = 0;
    this.made = 0;
  }
}
