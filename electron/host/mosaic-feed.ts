/**
 * Every frame, downsampled, for the navigator's mosaic (issue #17): the display channel is
 * latest-wins per page and run frames reach it at most every 100 ms, so frames a page never
 * sees are kept here as block means of at most FEED_MAX_SIDE px a side, with their metadata,
 * in a ring of FEED_CAPACITY; pages poll `navigator.frames` for those after a feed seq. Frames
 * are recorded only while a page has polled within FEED_IDLE_MS (no cost otherwise). The
 * buffer passed to add() is read synchronously and not kept.
 */
import type { FrameMeta } from '../api/contract';
import { blockMean } from '../api/block-mean';

export const FEED_MAX_SIDE = 128;
export const FEED_CAPACITY = 256;
export const FEED_IDLE_MS = 10_000;
/** Most frames one poll returns. */
export const FEED_PAGE = 64;

export type FeedMeta = Omit<FrameMeta, 'sentAtMs' | 'seq'>;

export interface FeedFrame {
  /** Feed-wide number, increasing. */
  seq: number;
  /** The frame's display-bus seq when it was published there, else null (a run frame). */
  busSeq: number | null;
  /** The frame as acquired (its full widthPx × heightPx, stage position, lasers). */
  meta: FeedMeta;
  /** Each feed pixel is the mean of factor × factor frame pixels (fewer at the edges). */
  factor: number;
  widthPx: number;
  heightPx: number;
  pixels: Uint16Array;
}

export class MosaicFeed {
  private readonly ring: FeedFrame[] = [];
  private seq = 0;
  private polledAt = -Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether a page polled recently (frames are recorded only then). */
  get active(): boolean {
    return this.now() - this.polledAt < FEED_IDLE_MS;
  }

  add(meta: FeedMeta, pixels: Uint16Array, busSeq: number | null): void {
    if (!this.active) return;
    // A run frame is noted once as acquired and again as the copy shown on the bus.
    const same = this.ring.findLast(
      (f) => f.meta.cameraSeq === meta.cameraSeq && f.meta.timestampMs === meta.timestampMs,
    );
    if (same) {
      same.busSeq ??= busSeq;
      return;
    }
    const factor = Math.max(1, Math.ceil(Math.max(meta.widthPx, meta.heightPx) / FEED_MAX_SIDE));
    const small = blockMean(pixels, meta.widthPx, meta.heightPx, factor);
    this.ring.push({ seq: ++this.seq, busSeq, meta, factor, ...small });
    if (this.ring.length > FEED_CAPACITY) this.ring.shift();
  }

  /** Frames after `afterSeq` (oldest first, at most FEED_PAGE) and the newest seq. */
  since(afterSeq: number): { frames: FeedFrame[]; lastSeq: number } {
    this.polledAt = this.now();
    const frames = this.ring.filter((f) => f.seq > afterSeq).slice(0, FEED_PAGE);
    return { frames, lastSeq: this.seq };
  }
}
