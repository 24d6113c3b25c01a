/**
 * Pause / cancel / abort for an automation run. The executor calls `checkpoint()` at every
 * frame, tile and ROI boundary: it throws RunStopped once cancel or abort (e-stop) was asked
 * for, and while a pause is pending it runs `onPause` (lasers off) and waits for resume.
 * `signal` aborts in-flight waits and autofocus searches.
 */
import { AquilaError, StateError } from '../../../drivers/errors';
import { realTime, type SimClock } from '../../../drivers/sim/sim-clock';

/** Thrown out of the run loop when it is to stop; `kind` says why. */
export class RunStopped extends AquilaError {
  constructor(
    readonly kind: 'cancelled' | 'aborted',
    message: string,
  ) {
    super(kind === 'cancelled' ? 'E_CANCELLED' : 'E_ABORTED', message);
  }
}

export class RunControl {
  private pauseRequested = false;
  private paused = false;
  private stop: RunStopped | null = null;
  private readonly abortController = new AbortController();
  private wake: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();

  /** `time`: the clock `sleep` waits on (the host's instrument time). */
  constructor(private readonly time: SimClock = realTime) {}

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isPauseRequested(): boolean {
    return this.pauseRequested;
  }

  get stopReason(): RunStopped | null {
    return this.stop;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pause(): void {
    if (this.stop) throw new StateError('the automation run is stopping');
    if (this.paused || this.pauseRequested) return;
    this.pauseRequested = true;
    this.changed();
  }

  resume(): void {
    if (!this.paused && !this.pauseRequested)
      throw new StateError('the automation run is not paused');
    this.pauseRequested = false;
    this.paused = false;
    this.wakeUp();
    this.changed();
  }

  cancel(): void {
    this.halt(new RunStopped('cancelled', 'cancelled by the operator'));
  }

  /** E-stop or a fatal condition: stop at once. */
  abort(reason: string): void {
    this.halt(new RunStopped('aborted', reason));
  }

  private halt(reason: RunStopped): void {
    this.stop ??= reason;
    this.pauseRequested = false;
    this.paused = false;
    if (!this.abortController.signal.aborted) this.abortController.abort(this.stop);
    this.wakeUp();
    this.changed();
  }

  /** Throws RunStopped when stopping; applies a pending pause (calls onPause, then waits). */
  async checkpoint(onPause: () => Promise<void>): Promise<void> {
    if (this.stop) throw this.stop;
    if (!this.pauseRequested) return;
    this.pauseRequested = false;
    this.paused = true;
    this.changed();
    await onPause();
    while (this.paused && !this.stop) await new Promise<void>((r) => (this.wake = r));
    if (this.stop) throw this.stop;
  }

  /** Waits `ms` of the run's clock unless stopped first (then throws RunStopped). */
  async sleep(ms: number): Promise<void> {
    if (this.stop) throw this.stop;
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const cancel = this.time.after(ms, done);
      const onAbort = () => done();
      function done() {
        cancel();
        signal.removeEventListener('abort', onAbort);
        resolve();
      }
      const signal = this.signal;
      signal.addEventListener('abort', onAbort);
    });
    if (this.stop) throw this.stop;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
