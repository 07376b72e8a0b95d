/**
 * Counts failed sign-ins per key (an IP address, an e-mail) in a sliding window of fixed size; past
 * the limit the key must wait for the window to pass. Kept in memory: each process counts its own.
 */
export class Throttle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Milliseconds to wait before the key may try again; 0 when it may now. */
  waitMs(key: string, now = Date.now()): number {
    const times = this.recent(key, now);
    return times.length < this.limit ? 0 : times[0]! + this.windowMs - now;
  }

  fail(key: string, now = Date.now()): void {
    // Keys are pruned when seen again; many one-off keys are swept all at once.
    if (this.failures.size > 10_000) for (const known of [...this.failures.keys()]) this.recent(known, now);
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}
