/**
 * Frames the display channel skipped, from the host's mosaic feed (`navigator.frames`,
 * electron/host/mosaic-feed.ts): polled every FEED_POLL_MS while started, decoded and handed
 * on oldest first. The first poll only learns where the feed is (older frames predate the
 * page); a failed poll (disconnected, refused) is retried at the next.
 */
import type { CommandResult, FrameMeta } from '../../electron/api/contract';
import type { HostClient } from '../state/host-client';

export const FEED_POLL_MS = 500;

type Wire = CommandResult<'navigator.frames'>['frames'][number];

export interface FeedFrame {
  busSeq: number | null;
  /** The frame's metadata as acquired (its full size; no display seq). */
  meta: Omit<FrameMeta, 'seq' | 'sentAtMs'>;
  factor: number;
  widthPx: number;
  heightPx: number;
  pixels: Uint16Array;
}

export class FeedPoller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private after: number | null = null;
  private running = false;

  constructor(
    private readonly client: HostClient,
    private readonly onFrame: (f: FeedFrame) => void,
  ) {}

  start(): void {
    this.running = true;
    void this.poll();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    this.timer = null;
    try {
      const r = await this.client.connection.call('navigator.frames', {
        afterSeq: this.after ?? Number.MAX_SAFE_INTEGER,
      });
      if (this.after !== null && this.running) for (const f of r.frames) this.onFrame(decode(f));
      this.after = r.frames.at(-1)?.seq ?? r.lastSeq;
    } catch {
      // Not connected or refused: the next poll tries again.
    }
    if (this.running) this.timer = setTimeout(() => void this.poll(), FEED_POLL_MS);
  }
}

function decode(f: Wire): FeedFrame {
  const bytes = Uint8Array.from(atob(f.pixelsBase64), (ch) => ch.charCodeAt(0));
  return {
    busSeq: f.busSeq,
    meta: f.meta as unknown as FeedFrame['meta'],
    factor: f.factor,
    widthPx: f.widthPx,
    heightPx: f.heightPx,
    pixels: new Uint16Array(bytes.buffer),
  };
}
