/**
 * The bounded queue's accounting, sized in bytes: frames hold budget from the moment the
 * producer hands them over until the writer reports them written. `acquire` waits (FIFO)
 * for room — back-pressure; `tryAcquire` never waits — for producers that cannot (live
 * camera), whose refusal the caller counts as a drop. A single item larger than the whole
 * budget is admitted when nothing else is held, so it cannot deadlock.
 */
export class ByteBudget {
  private held = 0;
  private readonly waiters: { bytes: number; resolve: () => void; reject: (e: Error) => void }[] =
    [];
  private failure: Error | null = null;

  constructor(readonly capacityBytes: number) {
    if (!(capacityBytes > 0))
      throw new RangeError(`capacityBytes must be > 0, got ${capacityBytes}`);
  }

  get heldBytes(): number {
    return this.held;
  }

  private fits(bytes: number): boolean {
    return this.held === 0 || this.held + bytes <= this.capacityBytes;
  }

  tryAcquire(bytes: number): boolean {
    if (this.failure) throw this.failure;
    if (this.waiters.length > 0 || !this.fits(bytes)) return false;
    this.held += bytes;
    return true;
  }

  acquire(bytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.held += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiters.push({ bytes, resolve, reject }));
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
    while (this.waiters.length > 0 && this.fits(this.waiters[0]!.bytes)) {
      const w = this.waiters.shift()!;
      this.held += w.bytes;
      w.resolve();
    }
  }

  /** Rejects every waiter and every later acquire with `err` (writer failed). */
  fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }
}
