/**
 * Focus lock: holds the objective–coverslip distance read by a reflection focus sensor by
 * moving Z. Calibrate once (sensor px per µm of Z), then lock() captures the current plane
 * and a PI loop keeps the spot there (plus any offset) every `periodMs`.
 *
 * Contract:
 * - Z moves only through `deps.focus`, the caller's guarded Z drive: a move the safety layer
 *   refuses ends the lock as lost with that reason; the lock never clips or retries it.
 * - Each correction is bounded by `maxStepUm`.
 * - Lost lock: `lostAfterSamples` consecutive bad samples (no usable spot — no signal,
 *   blocked, out of capture range — or, once locked, |error| > `maxErrorUm`). Listeners of
 *   onLost are told once per loss. With `recover` the loop keeps reading and re-acquires as
 *   soon as the spot is back on the sensor (anywhere in the capture range, walking back in
 *   bounded steps); without, it stops (state stays 'lost' until unlock / lock).
 * - While locked the lock owns Z: callers unlock before moving Z themselves, or use
 *   setOffsetUm.
 */
import { StateError } from '../../drivers/errors';
import type { FocusSensor } from '../../drivers/devices';
import {
  calibrateFocusSensor,
  FocusLockError,
  meanReading,
  type CalibrationOptions,
  type CalibrationResult,
  type FocusDrive,
} from './focus-lock-calibration';

export { FocusLockError, type FocusDrive } from './focus-lock-calibration';

export interface FocusLockOptions {
  /** Loop period, ms (default 20). */
  periodMs?: number;
  /** Proportional gain on the change of error (default 0.2). */
  kp?: number;
  /** Integral gain: fraction of the error corrected per iteration (default 0.6). */
  ki?: number;
  /** Largest Z correction per iteration, µm (default 0.5). */
  maxStepUm?: number;
  /** Corrections smaller than this are not sent to Z, µm (default 0.001). */
  minStepUm?: number;
  /** |error| beyond this counts as a bad sample, µm (default 2). */
  maxErrorUm?: number;
  /** Consecutive bad samples that make the lock lost (default 5). */
  lostAfterSamples?: number;
  /** |error| within which the lock counts as locked, µm (default 0.05). */
  lockedWithinUm?: number;
  /** Iterations lock() waits to reach 'locked' before it rejects (default 250). */
  acquireIterations?: number;
  /** Re-acquire after a loss when the spot comes back (default false: stop). */
  recover?: boolean;
  /** Waits between iterations; tests and benches pass one that advances a simulated clock. */
  sleep?: (ms: number) => Promise<void>;
}

export type FocusLockState = 'off' | 'locking' | 'locked' | 'lost';

export interface FocusLockStatus {
  state: FocusLockState;
  /** Last measured distance from the lock plane (+ offset), µm; null without a usable spot. */
  errorUm: number | null;
  offsetUm: number;
  signal: number;
  reason?: string;
}

const defaults = {
  periodMs: 20,
  kp: 0.2,
  ki: 0.6,
  maxStepUm: 0.5,
  minStepUm: 0.001,
  maxErrorUm: 2,
  lostAfterSamples: 5,
  lockedWithinUm: 0.05,
  acquireIterations: 250,
  recover: false,
};

export class FocusLock {
  private readonly o: typeof defaults & { sleep: (ms: number) => Promise<void> };
  private pxPerUm: number | undefined;
  private basePx = 0;
  private offsetUm = 0;
  /** Correction not yet sent to Z (below minStepUm), µm. */
  private pendingUm = 0;
  private state: FocusLockState = 'off';
  private errorUm: number | null = null;
  private signal = 0;
  private reason: string | undefined;
  /** Incremented by lock/unlock; a loop whose run id is stale exits. */
  private run = 0;
  private readonly lostListeners = new Set<(reason: string) => void>();
  private readonly stateListeners = new Set<() => void>();
  private readonly sampleListeners = new Set<(errorUm: number | null) => void>();

  constructor(
    private readonly deps: { sensor: FocusSensor; focus: FocusDrive; log?: (m: string) => void },
    options: FocusLockOptions = {},
  ) {
    const { sleep, ...rest } = options;
    this.o = {
      ...defaults,
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      sleep: sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
  }

  /** Measures sensor px per µm of Z around the current position (Z returns there). */
  async calibrate(options?: CalibrationOptions): Promise<CalibrationResult> {
    if (this.state === 'locking' || this.state === 'locked') {
      throw new StateError('focus lock: unlock before calibrating');
    }
    const result = await calibrateFocusSensor(this.deps.sensor, this.deps.focus, options);
    this.pxPerUm = result.pxPerUm;
    this.deps.log?.(
      `focus lock calibrated: ${result.pxPerUm.toFixed(2)} px/µm, residual ${result.residualPx.toFixed(2)} px`,
    );
    return result;
  }

  /**
   * Holds the current plane and resolves once locked; rejects with E_FOCUS_LOCK if there is
   * no usable spot, or if the lock is lost or not reached within `acquireIterations`. The
   * current plane is taken to be at the current offset, so a later setOffsetUm(o) moves
   * focus by o minus the offset at lock time. Locking again re-captures the current plane.
   */
  async lock(): Promise<void> {
    if (this.pxPerUm === undefined) {
      throw new StateError('focus lock: not calibrated; run calibrate() first');
    }
    this.run++;
    const r = await meanReading(this.deps.sensor, 5);
    if (r.positionPx === null) {
      this.setState('off', null, r.signal);
      throw new FocusLockError(
        `focus lock: no usable focus-sensor spot to lock on (signal ${r.signal.toFixed(2)})`,
      );
    }
    this.basePx = r.positionPx - this.offsetUm * this.pxPerUm;
    this.reason = undefined;
    this.setState('locking', null, r.signal);
    const run = ++this.run;
    const reached = new Promise<void>((resolve, reject) => {
      let iterations = 0;
      const check = () => {
        iterations++;
        if (run !== this.run) return done(new FocusLockError('focus lock: unlocked while locking'));
        if (this.state === 'locked') return done();
        if (this.state === 'lost')
          return done(new FocusLockError(`focus lock lost while locking: ${this.reason}`));
        if (iterations > this.o.acquireIterations)
          return done(
            new FocusLockError(
              `focus lock: not locked after ${this.o.acquireIterations} iterations (last error ${this.errorUm === null ? 'unknown: no usable spot' : `${this.errorUm.toFixed(3)} µm`})`,
            ),
          );
      };
      const done = (err?: Error) => {
        this.stateListeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      this.stateListeners.add(check);
    });
    void this.loop(run);
    return reached;
  }

  /** Stops the loop and leaves Z where it is. */
  unlock(): void {
    this.run++;
    this.reason = undefined;
    this.setState('off', this.errorUm, this.signal);
  }

  /**
   * Target plane relative to the reference plane, µm (+ = objective moves +z); applies at
   * once while locked, else at the next lock (see lock()).
   */
  setOffsetUm(offsetUm: number): void {
    if (!Number.isFinite(offsetUm)) {
      throw new FocusLockError(`focus lock: offset ${offsetUm} µm is not a finite number`);
    }
    this.offsetUm = offsetUm;
    if (this.state === 'locked') this.setState('locking', this.errorUm, this.signal);
  }

  status(): FocusLockStatus {
    const s: FocusLockStatus = {
      state: this.state,
      errorUm: this.errorUm,
      offsetUm: this.offsetUm,
      signal: this.signal,
    };
    if (this.reason !== undefined) s.reason = this.reason;
    return s;
  }

  onLost(listener: (reason: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Called once per loop iteration with its measured error (null: no usable spot). */
  onSample(listener: (errorUm: number | null) => void): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  private setState(state: FocusLockState, errorUm: number | null, signal: number): void {
    this.state = state;
    this.errorUm = errorUm;
    this.signal = signal;
    for (const l of [...this.stateListeners]) l();
  }

  private async loop(run: number): Promise<void> {
    let bad = 0;
    let prevErrorUm = 0;
    let inside = 0;
    const k = this.pxPerUm ?? 1;
    this.pendingUm = 0;
    let zUm: number | undefined;
    while (run === this.run) {
      try {
        const r = await this.deps.sensor.read();
        if (run !== this.run) return;
        const errorUm =
          r.positionPx === null ? null : (r.positionPx - this.basePx) / k - this.offsetUm;
        for (const l of this.sampleListeners) l(errorUm);
        // While (re-)acquiring, any spot on the sensor is worth following (bounded steps);
        // once locked, an error beyond maxErrorUm means the lock no longer holds.
        const usable =
          errorUm !== null && (this.state !== 'locked' || Math.abs(errorUm) <= this.o.maxErrorUm);
        if (!usable) {
          bad++;
          if (this.state !== 'lost' && bad >= this.o.lostAfterSamples) {
            const why =
              errorUm === null
                ? `no usable focus-sensor spot for ${bad} samples (signal ${r.signal.toFixed(2)})`
                : `focus error ${errorUm.toFixed(2)} µm beyond ±${this.o.maxErrorUm} µm for ${bad} samples`;
            this.lose(why, errorUm, r.signal);
            if (!this.o.recover) return;
          } else {
            this.setState(this.state, errorUm, r.signal);
          }
        } else {
          if (this.state === 'lost') {
            zUm = undefined; // Z may have been moved while the lock was lost
            this.deps.log?.('focus lock re-acquired');
            this.reason = undefined;
            this.state = 'locking';
            prevErrorUm = errorUm;
          }
          bad = 0;
          inside = Math.abs(errorUm) <= this.o.lockedWithinUm ? inside + 1 : 0;
          zUm = await this.correct(
            errorUm,
            prevErrorUm,
            zUm ?? (await this.deps.focus.positionUm()),
          );
          prevErrorUm = errorUm;
          if (run !== this.run) return;
          this.setState(inside >= 3 ? 'locked' : 'locking', errorUm, r.signal);
        }
      } catch (err) {
        if (run !== this.run) return;
        const code = (err as { code?: unknown }).code;
        const what = `${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}`;
        this.lose(`focus lock stopped: ${what}`, this.errorUm, this.signal);
        return;
      }
      await this.o.sleep(this.o.periodMs);
    }
  }

  /**
   * One PI step (velocity form): Δz = −(kp·Δe + ki·e), bounded by maxStepUm. Steps below
   * minStepUm accumulate until they are worth a move. Returns Z after the step.
   */
  private async correct(errorUm: number, prevErrorUm: number, zUm: number): Promise<number> {
    const raw = this.pendingUm - (this.o.kp * (errorUm - prevErrorUm) + this.o.ki * errorUm);
    this.pendingUm = Math.max(-this.o.maxStepUm, Math.min(this.o.maxStepUm, raw));
    if (Math.abs(this.pendingUm) < this.o.minStepUm) return zUm;
    const step = this.pendingUm;
    this.pendingUm = 0;
    return this.deps.focus.moveToUm(zUm + step);
  }

  private lose(reason: string, errorUm: number | null, signal: number): void {
    this.reason = reason;
    this.deps.log?.(`focus lock lost: ${reason}`);
    this.setState('lost', errorUm, signal);
    for (const l of [...this.lostListeners]) l(reason);
  }
}
