/**
 * SFNC acquisition over any GenICam transport: pixel format choice (monochrome, widest
 * first), snap (software trigger when the camera has one, else SingleFrame) and continuous
 * live, into 16-bit frames. A snapped 16-bit payload lands in the caller's buffer when it has
 * the frame's size: received straight into it where the transport uses StreamStart.buffer
 * (USB3 Vision), copied once otherwise (GigE). A live 16-bit payload in a buffer of its own
 * becomes the frame's pixels without a copy. Incomplete frames are counted, reported to `warn` and never
 * delivered; each one still takes a sequence number, so `RawFrame.seq` shows the gap.
 */
import type { RawFrame } from '../../devices';
import { StateError, TimeoutError } from '../../errors';
import type { NodeMap } from './node-map';
import {
  MONO_PREFERENCE,
  bitDepthOf,
  isPacked,
  payloadBytes,
  toMono16,
  type MonoFormat,
} from './pixels';
import type { GenicamTransport, IncompleteFrame, StreamFrame } from './transport';

export interface AcquisitionOptions {
  pixelFormat?: MonoFormat;
  /** Beyond exposure, how long snap waits for its frame before E_TIMEOUT. */
  frameWaitMs: number;
  /** Told of every incomplete frame (the log line is rate-limited). */
  onIncomplete?: (f: IncompleteFrame) => void;
}

export class GenicamAcquisition {
  incompleteFrames = 0;
  readonly bitDepth: number;
  private seq = 0;
  private live = false;
  private failSnap: ((err: Error) => void) | null = null;
  private readonly logged = new Map<string, { atMs: number; unlogged: number }>();

  private constructor(
    private readonly t: GenicamTransport,
    private readonly format: MonoFormat,
    private readonly opts: AcquisitionOptions,
    private readonly warn: (message: string) => void,
  ) {
    this.bitDepth = bitDepthOf(format);
  }

  /** Chooses and sets the pixel format: `opts.pixelFormat`, else the widest mono one offered. */
  static async open(
    t: GenicamTransport,
    opts: AcquisitionOptions,
    warn: (message: string) => void,
  ): Promise<GenicamAcquisition> {
    const offered = (await t.nodeMap.describe('PixelFormat')).entries ?? [];
    const format = opts.pixelFormat ?? MONO_PREFERENCE.find((f) => offered.includes(f));
    if (!format || !offered.includes(format))
      throw new StateError(
        `${t.label}: pixel format ${format ?? '(monochrome)'} not offered; it has ${offered.join(', ')}`,
      );
    await t.nodeMap.setValue('PixelFormat', format);
    return new GenicamAcquisition(t, format, opts, warn);
  }

  /** Payload words are the 16-bit pixels themselves (no unpacking). */
  private get unpacked16(): boolean {
    return this.bitDepth > 8 && !isPacked(this.format);
  }

  private get map(): NodeMap {
    return this.t.nodeMap;
  }

  isLive(): boolean {
    return this.live;
  }

  private async setIf(name: string, value: string | number): Promise<void> {
    if (!this.map.has(name)) return;
    const access = await this.map.access(name);
    if (access === 'RW' || access === 'WO') await this.map.setValue(name, value);
  }

  private async geometry(): Promise<{ width: number; height: number; payloadSize: number }> {
    const width = Number(await this.map.getValue('Width'));
    const height = Number(await this.map.getValue('Height'));
    const computed = payloadBytes(this.format, width * height);
    const payloadSize = this.map.has('PayloadSize')
      ? Number(await this.map.getValue('PayloadSize'))
      : computed;
    return { width, height, payloadSize: Math.max(payloadSize, computed) };
  }

  private async begin(
    payloadSize: number,
    target: ArrayBuffer | undefined,
    onFrame: (f: StreamFrame) => void,
    onIncomplete: (f: IncompleteFrame) => void,
  ): Promise<void> {
    let usedTarget = false;
    const inPlace = target && this.unpacked16 && target.byteLength === payloadSize;
    await this.t.stream.start({
      payloadSize,
      // the caller's buffer goes to the first frame only: two frames in flight never share it
      buffer: () => {
        if (!inPlace || usedTarget) return Buffer.from(new ArrayBuffer(payloadSize));
        usedTarget = true;
        return Buffer.from(target);
      },
      onFrame,
      onIncomplete: (f) => {
        this.incompleteFrames++;
        this.seq++;
        this.warnIncomplete(f);
        this.opts.onIncomplete?.(f);
        onIncomplete(f);
      },
    });
  }

  /**
   * One log line per incomplete frame, but at most one a second for each reason: a long
   * stall reports thousands of lost block ids at once. A line after a burst says how many of
   * that reason went unlogged.
   */
  private warnIncomplete(f: IncompleteFrame): void {
    const r = this.logged.get(f.reason) ?? { atMs: -Infinity, unlogged: 0 };
    this.logged.set(f.reason, r);
    r.unlogged++;
    const now = performance.now();
    if (now - r.atMs < 1000) return;
    const more = r.unlogged - 1;
    r.atMs = now;
    r.unlogged = 0;
    this.warn(
      `frame ${f.blockId} incomplete (${f.reason}${f.missingPackets !== undefined ? `, ${f.missingPackets} packets missing` : ''}); not delivered${more > 0 ? ` (and ${more} more since the last such line)` : ''}`,
    );
  }

  private toRaw(f: StreamFrame, exposureMs: number, binning: number, into?: ArrayBuffer): RawFrame {
    return {
      seq: this.seq++,
      widthPx: f.width,
      heightPx: f.height,
      pixels: toMono16(f.pixelFormat, f.data, f.width, f.height, into),
      timestampMs: Date.now(),
      exposureMs,
      binning,
    };
  }

  /** Ends acquisition on the device and the stream; skips the device when it is gone. */
  private async end(): Promise<void> {
    if (!this.t.isLost()) {
      await this.map.execute('AcquisitionStop').catch(() => undefined);
      await this.setIf('TLParamsLocked', 0).catch(() => undefined);
    }
    await this.t.stream.stop().catch(() => undefined);
  }

  /** One frame: resolves null when it arrived incomplete. */
  async snap(
    into: ArrayBuffer | undefined,
    exposureMs: number,
    binning: number,
  ): Promise<RawFrame | null> {
    if (this.live)
      throw new StateError(`${this.t.label}: live acquisition is running; stop it first`);
    const software =
      this.map.has('TriggerSoftware') &&
      ((await this.map.describe('TriggerSource')).entries ?? []).includes('Software');
    await this.setIf('TriggerSelector', 'FrameStart');
    if (software) {
      await this.setIf('AcquisitionMode', 'Continuous');
      await this.map.setValue('TriggerMode', 'On');
      await this.map.setValue('TriggerSource', 'Software');
    } else {
      await this.setIf('TriggerMode', 'Off');
      await this.map.setValue('AcquisitionMode', 'SingleFrame');
    }
    const { payloadSize, width, height } = await this.geometry();
    const target = into && into.byteLength === width * height * 2 ? into : undefined;
    const waitMs = exposureMs + this.opts.frameWaitMs;
    let timer: NodeJS.Timeout | undefined;
    let settle: { resolve: (f: RawFrame | null) => void; reject: (e: Error) => void } | null = null;
    const result = new Promise<RawFrame | null>((resolve, reject) => {
      settle = { resolve, reject };
      this.failSnap = reject;
      timer = setTimeout(
        () =>
          reject(new TimeoutError(`${this.t.label}: no frame within ${waitMs} ms of the trigger`)),
        waitMs,
      );
    });
    try {
      await this.begin(
        payloadSize,
        target,
        (f) => {
          try {
            settle!.resolve(this.toRaw(f, exposureMs, binning, target));
          } catch (err) {
            settle!.reject(err as Error);
          }
        },
        () => settle!.resolve(null),
      );
      await this.setIf('TLParamsLocked', 1);
      await this.map.execute('AcquisitionStart');
      if (software) await this.map.execute('TriggerSoftware');
      return await result;
    } finally {
      result.catch(() => undefined);
      clearTimeout(timer);
      this.failSnap = null;
      await this.end();
    }
  }

  async startLive(
    onFrame: (frame: RawFrame) => void,
    exposureMs: number,
    binning: number,
  ): Promise<void> {
    if (this.live) throw new StateError(`${this.t.label}: live acquisition is already running`);
    await this.setIf('TriggerSelector', 'FrameStart');
    await this.setIf('TriggerMode', 'Off');
    await this.setIf('AcquisitionMode', 'Continuous');
    const { payloadSize } = await this.geometry();
    await this.begin(
      payloadSize,
      undefined,
      (f) => {
        if (!this.live) return;
        // runs in the transport's receive handler: nothing may escape it
        try {
          // a 16-bit payload in a buffer of its own becomes the frame's pixels without a copy
          const own = this.unpacked16 ? (f.data.buffer as ArrayBuffer) : undefined;
          onFrame(this.toRaw(f, exposureMs, binning, own));
        } catch (err) {
          this.warn(`live frame ${f.blockId} dropped: ${(err as Error).message}`);
        }
      },
      () => undefined,
    );
    this.live = true;
    try {
      await this.setIf('TLParamsLocked', 1);
      await this.map.execute('AcquisitionStart');
    } catch (err) {
      this.live = false;
      await this.end();
      throw err;
    }
  }

  /** Frames that complete while the device stops are still delivered (or counted). */
  async stopLive(): Promise<void> {
    if (!this.live) return;
    await this.end();
    this.live = false;
  }

  /** The camera is gone: a snap in progress rejects with `err`, live ends. */
  fail(err: Error): void {
    this.live = false;
    this.failSnap?.(err);
  }

  async close(): Promise<void> {
    if (this.live) await this.stopLive().catch(() => undefined);
    this.live = false;
  }
}
