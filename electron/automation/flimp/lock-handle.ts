/**
 * The host's handle on A's FocusLock: remembers whether it was calibrated, mirrors its
 * status into AppState (every POLL_MS while it is not off, and at once on a change of
 * state), keeps its full-rate samples (`samples`, for the trace and QC) and gives automation
 * `hold()`: engage if off, then resolve while it holds, reject when lost. `holdsZ` is told
 * when the loop starts and stops moving Z (the host throttles the Z readout meanwhile).
 */
import { StateError } from '../../../drivers/errors';
import type { FocusLockView } from '../../api/contract';
import type { FocusLock } from '../focus-lock';
import { LockSamples } from '../lock-samples';

const POLL_MS = 250;
/** Samples kept: over a minute at the default 20 ms loop period. */
const SAMPLE_CAPACITY = 4096;
/** The published RMS error covers this much of the latest samples. */
const RMS_WINDOW_MS = 1000;

export class FocusLockControl {
  private calibrated = false;
  private timer: NodeJS.Timeout | null = null;
  private engaged = false;
  readonly samples = new LockSamples(SAMPLE_CAPACITY);

  constructor(
    readonly lock: FocusLock,
    private readonly positionUm: () => Promise<number>,
    private readonly publish: (view: FocusLockView) => void,
    private readonly holdsZ: (engaged: boolean) => void = () => {},
    /** Epoch ms of a sample: the instrument's clock (the lock loop's). */
    private readonly epochMs: () => number = Date.now,
  ) {
    lock.onLost(() => this.refresh());
    lock.onSample((errorUm) => this.samples.push({ tMs: this.epochMs(), errorUm }));
    this.refresh();
  }

  view(): FocusLockView {
    const s = this.lock.status();
    const v: FocusLockView = {
      state: s.state,
      errorUm: s.errorUm,
      offsetUm: s.offsetUm,
      signal: s.signal,
      calibrated: this.calibrated,
      rmsErrorUm: s.state === 'off' ? null : this.samples.rmsUm(this.epochMs() - RMS_WINDOW_MS),
    };
    if (s.reason !== undefined) v.reason = s.reason;
    return v;
  }

  refresh(): void {
    const v = this.view();
    this.publish(v);
    // A lost lock that recovers still moves Z: the loop runs until unlock.
    const engaged = v.state !== 'off';
    if (engaged !== this.engaged) this.holdsZ((this.engaged = engaged));
    if (v.state === 'off' || v.state === 'lost') {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    } else if (!this.timer) {
      this.timer = setInterval(() => this.refresh(), POLL_MS);
      this.timer.unref();
    }
  }

  async calibrate(o: { spanUm?: number | undefined; steps?: number | undefined }) {
    const options: { spanUm?: number; steps?: number } = {};
    if (o.spanUm !== undefined) options.spanUm = o.spanUm;
    if (o.steps !== undefined) options.steps = o.steps;
    const r = await this.lock.calibrate(options);
    this.calibrated = true;
    this.refresh();
    return r;
  }

  async engage(): Promise<void> {
    try {
      const pending = this.lock.lock();
      this.refresh();
      await pending;
    } finally {
      this.refresh();
    }
  }

  unlock(): void {
    this.lock.unlock();
    this.refresh();
  }

  setOffsetUm(offsetUm: number): void {
    this.lock.setOffsetUm(offsetUm);
    this.refresh();
  }

  /** Why the lock is lost, or null while it is off, locking or locked. */
  lostReason(): string | null {
    const s = this.lock.status();
    return s.state === 'lost' ? (s.reason ?? 'focus lock lost') : null;
  }

  /** For automation focus steps: the lock holds (engaged if it was off); rejects when it is lost. */
  async hold(signal: AbortSignal): Promise<{ zUm: number }> {
    if (signal.aborted) throw signal.reason;
    const s = this.lock.status();
    if (s.state === 'lost')
      throw new StateError(`focus lock lost${s.reason ? `: ${s.reason}` : ''}`);
    if (s.state !== 'locked') await this.engage();
    return { zUm: await this.positionUm() };
  }
}
