/**
 * Token bucket in bytes. `take(n)` waits until the bucket is non-negative, then debits n
 * (the bucket may go negative, so requests larger than the burst still pass, at the long-run
 * rate). A rate of `undefined` means unlimited. The rate can change at any time.
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private rateBytesPerS: number | undefined,
    private readonly burstBytes = 1024 * 1024,
  ) {
    this.tokens = 0;
  }

  setRate(rateBytesPerS: number | undefined): void {
    this.refill();
    this.rateBytesPerS = rateBytesPerS;
  }

  get rate(): number | undefined {
    return this.rateBytesPerS;
  }

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const rate = this.rateBytesPerS;
      if (rate === undefined) return;
      this.refill();
      if (this.tokens >= 0) {
        this.tokens -= bytes;
        return;
      }
      const waitMs = Math.min(1_000, Math.ceil((-this.tokens / rate) * 1_000));
      await new Promise((r) => setTimeout(r, Math.max(1, waitMs)));
    }
  }

  private refill(): void {
    const now = performance.now();
    const rate = this.rateBytesPerS;
    if (rate !== undefined)
      this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.last) / 1_000) * rate);
    this.last = now;
  }
}
