/**
 * When to stop measuring a backend that keeps running past `--timeout`: after two timeouts in a row. The cpu backend
 * times out on every CNN, and waiting for each would cost minutes per network; one slow network on a fast backend
 * (DenseNet on wasm) must not hide the networks after it.
 */
export const TIMEOUTS_BEFORE_SKIPPING = 2;

export class ConsecutiveTimeouts {
  private readonly counts = new Map<string, number>();

  /** Records one measurement's outcome; true when the backend should be skipped for the remaining networks. */
  record(backend: string, timedOut: boolean): boolean {
    const count = timedOut ? (this.counts.get(backend) ?? 0) + 1 : 0;
    this.counts.set(backend, count);
    return count >= TIMEOUTS_BEFORE_SKIPPING;
  }
}
