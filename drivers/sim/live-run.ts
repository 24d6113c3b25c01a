/**
 * Continuous acquisition timing for the simulated camera. Frame n+1's exposure starts
 * when frame n's read-out ends (period = exposure + read-out) or, if rendering is slower,
 * when a render slot frees up (period = render time / slots). Frames are delivered in
 * sequence order; a frame whose render failed is a gap in `seq`, as on a real camera.
 * An exposure ends no sooner than `exposureMs` after it started: Node timers may fire up to
 * 1 ms early (libuv keeps a millisecond clock), so after an early timer the remainder is
 * waited out in event-loop turns — otherwise the first exposure would reach back before
 * live started (and before its light).
 * `stop()` ends exposures at once and resolves after every exposed frame was delivered,
 * or after `stopTimeoutMs` (a render that never finishes is then counted lost, never
 * delivered late).
 */
import type { RawFrame } from '../devices';

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
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private inFlight = 0;
  private waitingForSlot = false;
  private nextStartMs = performance.now();
  /** When the exposure in progress ends (performance.now() clock). */
  private exposureEndMs = 0;
  private readonly ready = new Map<number, RawFrame | null>();
  private order: number[] = [];
  private drained: Array<() => void> = [];

  constructor(
    private readonly source: LiveSource,
    private readonly onFrame: (frame: RawFrame) => void,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    this.schedule();
  }

  async stop(stopTimeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
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
    const now = performance.now();
    const start = Math.max(this.nextStartMs, now);
    this.exposureEndMs = start + this.source.exposureMs();
    const delayMs = this.exposureEndMs - now;
    if (delayMs >= 1) this.timer = setTimeout(() => this.endExposure(), delayMs);
    else this.immediate = setImmediate(() => this.endExposure());
  }

  private endExposure(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.stopped) return;
    const leftMs = this.exposureEndMs - performance.now();
    if (leftMs > 0) {
      this.immediate = setImmediate(() => this.endExposure());
      return;
    }
    this.nextStartMs = performance.now() + this.source.readoutMs();
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
