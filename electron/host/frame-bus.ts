/**
 * Camera frames → host frames with metadata → subscribers. Writer sinks subscribe losslessly
 * (they apply their own back-pressure); display clients take frames through a
 * DisplayChannel, which is latest-wins with one frame in flight per client.
 */
import type { RawFrame } from '../../drivers/devices';
import type { FrameMeta } from '../api/contract';
import { MosaicFeed } from './mosaic-feed';
import type { StateStore } from './state-store';

export interface HostFrame {
  meta: Omit<FrameMeta, 'sentAtMs'>;
  pixels: Uint16Array;
}

export type FrameListener = (frame: HostFrame) => void;

export class FrameBus {
  private seq = 0;
  private readonly listeners = new Set<FrameListener>();
  private latestFrame: HostFrame | null = null;
  /** Every frame noted here or published, downsampled, for the navigator (issue #17). */
  readonly mosaicFeed = new MosaicFeed();

  /** `dose`: mW·ms per line emitted within a window (the safety layer's EmissionLog). */
  constructor(
    private readonly store: StateStore,
    private readonly dose?: (startMs: number, endMs: number) => Record<string, number>,
  ) {}

  get latest(): HostFrame | null {
    return this.latestFrame;
  }

  /**
   * Stamps a camera frame with the host's knowledge at publication time: stage position
   * (as last read; during motion it is polled every 50 ms), laser powers and pixel size,
   * and the dose each line delivered within the exposure.
   */
  publish(raw: RawFrame): HostFrame {
    const s = this.store.state;
    const doseMwMs = this.dose?.(raw.timestampMs - raw.exposureMs, raw.timestampMs);
    const lasersMw: Record<string, number> = {};
    for (const l of Object.values(s.lasers)) {
      const emitted = doseMwMs ? doseMwMs[l.id] !== undefined : l.emission;
      lasersMw[l.id] = emitted ? l.powerMw : 0;
    }
    const frame: HostFrame = {
      meta: {
        seq: ++this.seq,
        cameraSeq: raw.seq,
        widthPx: raw.widthPx,
        heightPx: raw.heightPx,
        bitDepth: s.camera?.bitDepth ?? 16,
        binning: raw.binning,
        pixelSizeUm: s.camera?.pixelSizeUm ?? 1,
        exposureMs: raw.exposureMs,
        timestampMs: raw.timestampMs,
        stage: { xUm: s.stage?.xUm ?? 0, yUm: s.stage?.yUm ?? 0, zUm: s.focus?.zUm ?? 0 },
        lasersMw,
        ...(doseMwMs && { doseMwMs }),
      },
      pixels: raw.pixels,
    };
    this.latestFrame = frame;
    this.mosaicFeed.add(frame.meta, frame.pixels, frame.meta.seq);
    for (const l of [...this.listeners]) l(frame);
    return frame;
  }

  /** A frame not (necessarily) shown — every run frame: only the mosaic feed records it. */
  note(meta: Omit<FrameMeta, 'sentAtMs' | 'seq'>, pixels: Uint16Array): void {
    this.mosaicFeed.add(meta, pixels, null);
  }

  /** Whether anyone (a display client) is listening now. */
  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * Shows a frame that belongs to someone else (a run's frame, about to be transferred to the
   * writer thread): copies it, so listeners never see a detached buffer. Callers decimate.
   * The copy lies in a SharedArrayBuffer, so the view worker reads it in place
   * (electron/remote/view-frames.ts) instead of copying it again.
   */
  publishCopy(meta: Omit<FrameMeta, 'sentAtMs' | 'seq'>, pixels: Uint16Array): void {
    if (!this.hasListeners) {
      this.note(meta, pixels);
      return;
    }
    const copy = new Uint16Array(new SharedArrayBuffer(pixels.byteLength));
    copy.set(pixels);
    const frame: HostFrame = { meta: { ...meta, seq: ++this.seq }, pixels: copy };
    this.latestFrame = frame;
    this.mosaicFeed.add(frame.meta, frame.pixels, frame.meta.seq);
    for (const l of [...this.listeners]) l(frame);
  }

  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * One client's display feed: keeps only the newest frame and sends the next one only after
 * the client acknowledged the previous, so each client is decimated to what it keeps up with.
 */
export class DisplayChannel {
  private pending: HostFrame | null = null;
  private inFlight: number | null = null;
  private enabled = false;
  private unsubscribe: (() => void) | null = null;

  /** `waiting`: called with each frame that has to wait for the ack of the one in flight. */
  constructor(
    private readonly bus: FrameBus,
    private readonly send: (frame: HostFrame) => void,
    private readonly waiting?: (frame: HostFrame) => void,
  ) {}

  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (enabled) {
      this.unsubscribe = this.bus.subscribe((f) => this.offer(f));
      if (this.bus.latest) this.offer(this.bus.latest);
    } else {
      this.unsubscribe?.();
      this.unsubscribe = null;
      this.pending = null;
      this.inFlight = null;
    }
  }

  ack(seq: number): void {
    if (this.inFlight !== null && seq >= this.inFlight) {
      this.inFlight = null;
      this.flush();
    }
  }

  close(): void {
    this.setEnabled(false);
  }

  private offer(frame: HostFrame): void {
    this.pending = frame;
    if (this.enabled && this.inFlight !== null) this.waiting?.(frame);
    this.flush();
  }

  private flush(): void {
    if (!this.enabled || this.inFlight !== null || !this.pending) return;
    const frame = this.pending;
    this.pending = null;
    this.inFlight = frame.meta.seq;
    this.send(frame);
  }
}
