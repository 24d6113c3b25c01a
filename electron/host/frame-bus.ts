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

/** How a DisplayChannel prepares each frame before it is offered (see DisplayChannel). */
export interface FramePreparation<T> {
  prepare: (frame: HostFrame) => Promise<T>;
  /** A preparation that failed: its frame is skipped. */
  failed: (frame: HostFrame, err: unknown) => void;
}

/**
 * One client's display feed: keeps only the newest frame and sends the next one only after
 * the client acknowledged the previous, so each client is decimated to what it keeps up with.
 * With a `preparation`, each frame is prepared (for a remote client: copied, reduced and
 * encoded for its view) before it becomes the one to send, also while the previous one is in
 * flight, so an ack is answered at once with a prepared frame (issue #13). Latest wins there
 * too: at most one preparation runs; frames that arrive meanwhile are skipped but the newest,
 * which is prepared next; a prepared frame replaces an older one not yet sent, which is then
 * never sent. `restart` drops every preparation (the client changed what it wants).
 */
export class DisplayChannel<T = undefined> {
  private pending: { frame: HostFrame; prepared: T } | null = null;
  private inFlight: number | null = null;
  private enabled = false;
  private unsubscribe: (() => void) | null = null;
  private preparing = false;
  private next: HostFrame | null = null;
  /** Bumped by restart and disable: preparations started before are dropped. */
  private epoch = 0;

  constructor(
    private readonly bus: FrameBus,
    private readonly send: (frame: HostFrame, prepared: T) => void,
    private readonly preparation?: FramePreparation<T>,
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
      this.drop();
      this.inFlight = null;
    }
  }

  ack(seq: number): void {
    if (this.inFlight !== null && seq >= this.inFlight) {
      this.inFlight = null;
      this.flush();
    }
  }

  /** Drops the frames prepared so far and prepares the newest again. */
  restart(): void {
    this.drop();
    if (this.enabled && this.bus.latest) this.offer(this.bus.latest);
  }

  close(): void {
    this.setEnabled(false);
  }

  private drop(): void {
    this.epoch++;
    this.pending = null;
    this.next = null;
  }

  private offer(frame: HostFrame): void {
    if (!this.preparation) return this.ready(frame, undefined as T);
    if (this.preparing) this.next = frame;
    else this.prepare(this.preparation, frame);
  }

  private prepare(preparation: FramePreparation<T>, frame: HostFrame): void {
    this.preparing = true;
    const epoch = this.epoch;
    const done = () => {
      this.preparing = false;
      const next = this.next;
      this.next = null;
      if (next) this.prepare(preparation, next);
    };
    preparation.prepare(frame).then(
      (prepared) => {
        if (epoch === this.epoch) this.ready(frame, prepared);
        done();
      },
      (err: unknown) => {
        if (epoch === this.epoch) preparation.failed(frame, err);
        done();
      },
    );
  }

  private ready(frame: HostFrame, prepared: T): void {
    this.pending = { frame, prepared };
    this.flush();
  }

  private flush(): void {
    if (!this.enabled || this.inFlight !== null || !this.pending) return;
    const { frame, prepared } = this.pending;
    this.pending = null;
    this.inFlight = frame.meta.seq;
    this.send(frame, prepared);
  }
}
