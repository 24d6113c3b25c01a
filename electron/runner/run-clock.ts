/**
 * Run time for `min_start_time`: an event timer that starts with the run, restarts at
 * events with `reset_event_timer`, and does not advance while the run is paused (as in
 * pymmcore-plus, a pause shifts the rest of the schedule). Waits wake early on `wake()`.
 */
export class RunClock {
  private originMs: number;
  private pausedAtMs: number | null = null;
  private pausedTotalMs = 0;
  private runStartMs: number;
  private runPausedMs = 0;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly now: () => number,
    /** Calls `fn` after `ms` on the clock `now` reads; returns a cancel. Default: setTimeout. */
    private readonly after: (ms: number, fn: () => void) => () => void = (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  ) {
    this.originMs = now();
    this.runStartMs = this.originMs;
  }

  /** Marks the run start: the event timer and the active-time count start now. */
  startRun(): void {
    this.resetTimer();
    this.runStartMs = this.originMs;
    this.runPausedMs = 0;
  }

  /** Time since startRun, pauses excluded, ms. */
  activeMs(): number {
    const pausing = this.pausedAtMs === null ? 0 : this.now() - this.pausedAtMs;
    return this.now() - this.runStartMs - this.runPausedMs - pausing;
  }

  /** Run time excluding pauses, ms since the timer's origin. */
  elapsedMs(): number {
    const pausing = this.pausedAtMs === null ? 0 : this.now() - this.pausedAtMs;
    return this.now() - this.originMs - this.pausedTotalMs - pausing;
  }

  resetTimer(): void {
    this.originMs = this.now();
    this.pausedTotalMs = 0;
  }

  pause(): void {
    this.pausedAtMs ??= this.now();
  }

  resume(): void {
    if (this.pausedAtMs !== null) {
      const pausedMs = this.now() - this.pausedAtMs;
      this.pausedTotalMs += pausedMs;
      this.runPausedMs += pausedMs;
    }
    this.pausedAtMs = null;
  }

  /** Ends any pending wait now. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Resolves true when the timer reaches `targetMs`, false if woken first. */
  async waitUntil(targetMs: number): Promise<boolean> {
    for (;;) {
      const remaining = targetMs - this.elapsedMs();
      if (remaining <= 0) return true;
      let cancel: (() => void) | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        this.wakeUp = () => resolve(true);
        cancel = this.after(Math.min(remaining, 1_000), () => resolve(false));
      });
      cancel?.();
      this.wakeUp = null;
      if (woken) return false;
    }
  }

  /** Resolves at the next wake(). */
  async sleepUntilWoken(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    });
    this.wakeUp = null;
  }
}
