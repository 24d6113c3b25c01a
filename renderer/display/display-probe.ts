/**
 * `window.__aquilaDisplay`: what the live view has actually drawn, for end-to-end tests
 * and benchmarks. Updated in the render loop after each drawn frame.
 *
 * Latencies are epoch-ms differences between draw time (performance.timeOrigin +
 * performance.now()) and the host's `sentAtMs` / `timestampMs`; across machines (browser
 * through an SSH tunnel) they include the clock offset between the two hosts.
 */
import type { WireView } from '../../electron/api/frame-view';
import type { FrameMeta } from '../../electron/api/contract';

export const LATENCY_RING_SIZE = 512;

export interface DisplayProbe {
  framesDrawn: number;
  lastSeq: number;
  lastMeta: FrameMeta | null;
  /** The reduced view the last frame carried ("AQF2"), or null for a full frame. */
  lastView: WireView | null;
  /** Draw time − meta.sentAtMs, ms; ring buffer of the last LATENCY_RING_SIZE frames. */
  latenciesMs: number[];
  /** Draw time − meta.timestampMs (end of exposure), ms; same ring. */
  exposureLatenciesMs: number[];
  /** Which renderer is drawing: 'webgl2' or the 'canvas2d' fallback. */
  renderer: string;
  /** Raw value of image pixel (x, y) of the last drawn frame, or null outside it. */
  readPixel(x: number, y: number): number | null;
}

declare global {
  interface Window {
    __aquilaDisplay?: DisplayProbe;
  }
}

/** Fixed-capacity ring stored in a plain array (order is insertion order modulo wrap). */
export class RingRecorder {
  readonly values: number[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  push(v: number): void {
    if (this.values.length < this.capacity) this.values.push(v);
    else this.values[this.next] = v;
    this.next = (this.next + 1) % this.capacity;
  }
}

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Frames drawn per second over a sliding window (long enough to show rates below 1/s). */
export class RateMeter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs = 3000) {}

  tick(nowMs: number): void {
    this.times.push(nowMs);
    this.trim(nowMs);
  }

  rate(nowMs: number): number {
    this.trim(nowMs);
    if (this.times.length < 2) return 0;
    const span = (this.times[this.times.length - 1] as number) - (this.times[0] as number);
    return span > 0 ? ((this.times.length - 1) * 1000) / span : 0;
  }

  private trim(nowMs: number): void {
    while (this.times.length > 0 && (this.times[0] as number) < nowMs - this.windowMs) {
      this.times.shift();
    }
  }
}

/** Latest-wins slot: a new frame replaces one not yet drawn. */
export class LatestSlot<T> {
  private item: T | null = null;
  superseded = 0;

  put(item: T): void {
    if (this.item !== null) this.superseded++;
    this.item = item;
  }

  take(): T | null {
    const item = this.item;
    this.item = null;
    return item;
  }
}
