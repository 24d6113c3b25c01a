/**
 * The time the simulated devices keep: how long a move, an exposure or a read-out lasts is
 * waited for on a `SimClock`. The real one is real time. `FastClock` (dry runs, issue #15) is
 * real time plus every wait that nothing was working through, skipped: when the only thing
 * left to happen is a timer on this clock, time jumps to it. So a dry run's duration is its
 * real work (script, host, rendering) plus the device time it would have waited, while the
 * waiting itself costs nothing. Work the clock must not jump over while it runs (a frame
 * rendering on another thread) is announced with `hold`.
 */

export interface SimClock {
  /** Monotonic ms, on the `performance.now()` scale. */
  now(): number;
  /** Epoch ms of the monotonic time `at` (default: now), on the `Date.now()` scale. */
  epochMs(at?: number): number;
  /** Calls `fn` once `ms` of this clock passed (0: on the next turn); returns a cancel. */
  after(ms: number, fn: () => void): () => void;
  /** `work` is under way: the clock does not skip ahead until it settles. Returns `work`. */
  hold<T>(work: Promise<T>): Promise<T>;
}

export const realTime: SimClock = {
  now: () => performance.now(),
  epochMs: (at) => (at === undefined ? Date.now() : performance.timeOrigin + at),
  // Never early: a Node timer may fire up to 1 ms before its time, so the rest is waited out
  // in event-loop turns (setImmediate), not in another timer.
  after(ms, fn) {
    const atMs = performance.now() + Math.max(0, ms);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let turn: ReturnType<typeof setImmediate> | undefined;
    const due = () => {
      if (performance.now() >= atMs) fn();
      else turn = setImmediate(due);
    };
    if (ms >= 1) timer = setTimeout(due, ms);
    else turn = setImmediate(due);
    return () => {
      clearTimeout(timer);
      clearImmediate(turn);
    };
  },
  hold: (work) => work,
};

/** Resolves after `ms` of `clock`. */
export function sleepOn(clock: SimClock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}

interface Timer {
  atMs: number;
  seq: number;
  fn: () => void;
}

/** Real time plus skipped waits (see the module comment). */
export class FastClock implements SimClock {
  private offsetMs = 0;
  private seq = 0;
  /** Pending timers, earliest first (equal times in the order they were set). */
  private timers: Timer[] = [];
  private holds = 0;
  private stepQueued = false;
  private realTimer: ReturnType<typeof setTimeout> | undefined;

  /** Time skipped so far, ms. */
  get skippedMs(): number {
    return this.offsetMs;
  }

  now(): number {
    return performance.now() + this.offsetMs;
  }

  epochMs(at?: number): number {
    return at === undefined ? Date.now() + this.offsetMs : performance.timeOrigin + at;
  }

  after(ms: number, fn: () => void): () => void {
    const t: Timer = { atMs: this.now() + Math.max(0, ms), seq: this.seq++, fn };
    const i = this.timers.findIndex((o) => o.atMs > t.atMs);
    this.timers.splice(i < 0 ? this.timers.length : i, 0, t);
    this.queueStep();
    return () => {
      this.timers = this.timers.filter((o) => o !== t);
    };
  }

  hold<T>(work: Promise<T>): Promise<T> {
    this.holds++;
    const done = () => {
      this.holds--;
      this.queueStep();
    };
    work.then(done, done);
    return work;
  }

  /**
   * Steps run on the event loop's check phase, after the promise jobs and I/O callbacks
   * already due: a chain of awaits on this clock sets its next timer before the next step.
   */
  private queueStep(): void {
    if (this.stepQueued) return;
    this.stepQueued = true;
    setImmediate(() => {
      this.stepQueued = false;
      this.step();
    });
  }

  private step(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const first = this.timers[0];
    if (!first) return;
    const waitMs = first.atMs - this.now();
    if (waitMs > 0 && this.holds > 0) {
      // Work is under way: wait for it (its end steps again) or for the timer, in real time.
      this.realTimer = setTimeout(() => this.queueStep(), waitMs);
      return;
    }
    if (waitMs > 0) this.offsetMs += waitMs;
    this.timers.shift();
    first.fn();
    this.queueStep();
  }
}
