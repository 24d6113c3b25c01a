/**
 * Display frames → what the map places, and when. Pure apart from the coalescer's timer.
 * - Pixels: a reduced view ("AQF2") is placed at its own size (its `reduced` pixels, with
 *   reducedGeometry), never expanded back to the full image. A `lut8` view holds display
 *   values (the sender's LUT applied), not camera values: it is not placed at all, and its
 *   seq is not marked shown, so the host's mosaic feed (feed-poller.ts) supplies that frame.
 * - Timing: live frames (the camera in live mode, no run or automation active; runs and
 *   automation stop live first) are coalesced, the newest placed at most every LIVE_PLACE_MS;
 *   every other frame (snaps, run and automation frames) is placed on arrival, after any
 *   pending live frame (which is older).
 */
import type { DecodedFrame } from '../frames/decode-frame';
import type { AppState } from '../../electron/api/contract';
import type { Reduction } from './frame-placement';

export const LIVE_PLACE_MS = 150;

/** What the mosaic takes from a frame: camera values, and how they reduce the frame (if so). */
export interface MapPixels {
  pixels: Uint16Array;
  reduction: Reduction | null;
}

/** The frame's camera values for the map, or null when it carries none (codec lut8). */
export function mapPixels(frame: DecodedFrame): MapPixels | null {
  const { view, reduced } = frame;
  if (!view || !reduced) return { pixels: frame.pixels, reduction: null };
  if (view.codec === 'lut8' || !(reduced instanceof Uint16Array)) return null;
  const { region, level, widthPx, heightPx } = view;
  return {
    pixels: reduced,
    reduction: { x: region.x, y: region.y, factor: 2 ** level, widthPx, heightPx },
  };
}

const RUN_ACTIVE = new Set(['running', 'paused', 'cancelling']);
const AUTOMATION_DONE = new Set(['finished', 'failed', 'cancelled']);

/** Whether a frame arriving now is a live-view frame (coalesced) rather than a snap or a run's. */
export function isLiveFrame(
  s: Pick<AppState, 'camera' | 'run' | 'automation'> | null | undefined,
): boolean {
  if (!s?.camera?.live) return false;
  if (s.run && RUN_ACTIVE.has(s.run.state)) return false;
  return !s.automation || AUTOMATION_DONE.has(s.automation.phase);
}

/**
 * Keeps the newest pending live frame and hands it to `place` at most every `intervalMs`;
 * other frames pass straight through (after the pending one).
 */
export class LiveCoalescer {
  private pending: DecodedFrame | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastPlacedAt = -Infinity;

  constructor(
    private readonly place: (frame: DecodedFrame) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = LIVE_PLACE_MS,
  ) {}

  push(frame: DecodedFrame, live: boolean): void {
    if (!live) {
      this.flush();
      this.place(frame);
      return;
    }
    this.pending = frame;
    if (this.timer) return;
    const wait = this.lastPlacedAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Places the pending live frame now, if any. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const f = this.pending;
    if (!f) return;
    this.pending = null;
    this.lastPlacedAt = this.now();
    this.place(f);
  }

  /** Drops the pending frame (the controller stops). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
