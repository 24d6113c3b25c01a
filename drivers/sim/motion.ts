/**
 * Constant-speed motion of one or more axes, evaluated against a clock. Used by the
 * simulated stage and focus drive and by the wire simulators, so "a move takes time" and
 * "the camera sees where the stage really is" hold for every implementation.
 */

export type Clock = () => number; // ms, monotonic

export class AxisMotion {
  private fromUm: number[];
  private toUm: number[];
  private startMs = 0;
  private durationMs = 0;

  constructor(
    private readonly clock: Clock,
    initialUm: number[],
    /** Speed along the path, µm/s. */
    public speedUmPerS: number,
  ) {
    this.fromUm = [...initialUm];
    this.toUm = [...initialUm];
  }

  /** Current position, µm, per axis. */
  positionUm(atMs: number = this.clock()): number[] {
    if (this.durationMs <= 0) return [...this.toUm];
    const f = Math.min(1, Math.max(0, (atMs - this.startMs) / this.durationMs));
    return this.fromUm.map((a, i) => a + ((this.toUm[i] ?? a) - a) * f);
  }

  isBusy(atMs: number = this.clock()): boolean {
    return this.durationMs > 0 && atMs < this.startMs + this.durationMs;
  }

  /** Starts a move; returns its duration in ms. */
  moveTo(targetUm: number[]): number {
    const now = this.clock();
    const from = this.positionUm(now);
    const dist = Math.hypot(...from.map((a, i) => (targetUm[i] ?? a) - a));
    this.fromUm = from;
    this.toUm = from.map((a, i) => targetUm[i] ?? a);
    this.startMs = now;
    this.durationMs = this.speedUmPerS > 0 ? (dist / this.speedUmPerS) * 1000 : 0;
    return this.durationMs;
  }

  /** Halts where the axes are now. */
  stop(): void {
    const here = this.positionUm();
    this.fromUm = here;
    this.toUm = [...here];
    this.durationMs = 0;
  }

  /** Redefines the current position without moving (zeroing / "HERE"). */
  setPositionUm(positionUm: number[]): void {
    this.fromUm = [...positionUm];
    this.toUm = [...positionUm];
    this.durationMs = 0;
  }

  /** ms until the current move ends (0 if idle). */
  remainingMs(atMs: number = this.clock()): number {
    return Math.max(0, this.startMs + this.durationMs - atMs);
  }
}
