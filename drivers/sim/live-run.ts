/**
 * Continuous acquisition timing for the simulated camera. Frame n+1's exposure starts
 * when frame n's read-out ends (period = exposure + read-out) or, if rendering is slower,
 * when a render slot frees up (period = render time / slots). Frames are delivered in
 * sequence order; a frame whose render failed is a gap in `seq`, as on a real camera.
 * `stop()` ends exposures at once and resolves after every exposed frame was delivered,
 * or after `stopTimeoutMs` (a render that never finishes is then counted lost, never
 * delivered late).
 */
import type { RawFrame } from '../devices';
import { realTime, type SimClock } from './sim-clock';

export interface CapturedFrame {
  meta: Omit<RawFrame, 'pixels'>;
  pixels: Promise<Uint16Array>;
}

export interface LiveSource {
  exposureMs(): number;
  readoutMs(): number;
  /** Frames that may render concurrently. */
  capacity(): number;
  /** Called at the end of an exposure. */
  capture(): CapturedFrame;
  /** A frame was lost (render failure). */
  onLost(seq: number, err: unknown): void;
}

export class LiveRun {
  private stopped = false;
  /** Set when stop() gave up waiting: nothing is delivered after that. */
  private closed = false;
  /** Cancels the pending end of exposure. */
  private cancelTimer: (() => void) | undefined;
  private inFlight = 0;
  private waitingForSlot = false;
  private nextStartMs: number;
  private readonly ready = new Map<number, RawFrame | null>();
  private order: number[] = [];
  private drained: Array<() => void> = [];

  constructor(
    private readonly source: LiveSource,
    private readonly onFrame: (frame: RawFrame) => void,
    /** What exposure and read-out times are waited on. */
    private readonly time: SimClock = realTime,
  ) {
    this.nextStartMs = time.now();
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    this.schedule();
  }

  async stop(stopTimeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.inFlight === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = new Promise<boolean>((r) => this.drained.push(() => r(true)));
    const timedOut = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), stopTimeoutMs);
    });
    const ok = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (!ok) {
      this.closed = true;
      for (const seq of this.order)
        this.source.onLost(seq, new Error('frame not rendered in time'));
      this.order = [];
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.inFlight >= this.source.capacity()) {
      this.waitingForSlot = true;
      return;
    }
    const now = this.time.now();
    const start = Math.max(this.nextStartMs, now);
    const delayMs = start + this.source.exposureMs() - now;
    this.cancelTimer = this.time.after(delayMs, () => this.endExposure());
  }

  private endExposure(): void {
    this.cancelTimer = undefined;
    if (this.stopped) return;
    this.nextStartMs = this.time.now() + this.source.readoutMs();
    const { meta, pixels } = this.source.capture();
    this.inFlight++;
    this.order.push(meta.seq);
    pixels
      .then(
        (px) => this.ready.set(meta.seq, { ...meta, pixels: px }),
        (err: unknown) => {
          this.ready.set(meta.seq, null);
          this.source.onLost(meta.seq, err);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.deliver();
        if (this.inFlight === 0) for (const r of this.drained.splice(0)) r();
        if (this.waitingForSlot) {
          this.waitingForSlot = false;
          this.schedule();
        }
      });
    this.schedule();
  }

  private deliver(): void {
    while (!this.closed && this.order.length > 0) {
      const seq = this.order[0] ?? -1;
      if (!this.ready.has(seq)) return;
      const frame = this.ready.get(seq);
      this.ready.delete(seq);
      this.order.shift();
      if (!frame) continue;
      try {
        this.onFrame(frame);
      } catch {
        // a consumer's failure must not stop acquisition
      }
    }
  }
}
