/**
 * Runs `task` at most once per `intervalMs` however often it is poked, and never drops the
 * last poke: the first poke after a quiet interval runs at once, pokes within the interval
 * are coalesced into one run at its end. A task that reads the current value therefore
 * always ends up delivering the latest one.
 */
export class LatestThrottle {
  private lastRunMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly intervalMs: number,
    private readonly task: () => void,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${intervalMs}`);
  }

  poke(): void {
    if (this.timer) return;
    const wait = this.lastRunMs + this.intervalMs - this.nowMs();
    if (wait <= 0) return this.runNow();
    this.timer = setTimeout(() => this.runNow(), wait);
    this.timer.unref?.();
  }

  /** Runs a pending (coalesced) poke now, leaving nothing scheduled. */
  close(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.runNow();
  }

  private runNow(): void {
    this.timer = null;
    this.lastRunMs = this.nowMs();
    this.task();
  }
}
