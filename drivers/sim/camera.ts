/**
 * Simulated sCMOS camera imaging the world's virtual sample (see sample.ts for the
 * orientation convention: stage +x moves content toward −x in the image). 16-bit; binning
 * 1/2/4 sums bins (signal ×b², read noise ×b, offset unchanged, as cameras that rescale
 * the black level report it); ROI in binned pixels; changing binning clears the ROI.
 * Rendering runs in worker threads; `stopLive`/`disconnect` leave no thread running.
 * With the `overlap` option, snaps overlap read-out with the next exposure (camera-options.ts).
 */
import type { Camera, CameraSensor, DeviceIdentity, RawFrame, RoiPx } from '../devices';
import { DeviceEvents } from '../device-events';
import { DisconnectedError, LimitError, StateError, ValidationError } from '../errors';
import { assertRoiOnSensor } from '../camera-roi';
import { parseOrThrow } from '../validation';
import {
  BINNINGS,
  MAX_EXPOSURE_MS,
  MIN_EXPOSURE_MS,
  OVERLAP_BUFFER_FRAMES,
  simCameraOptions,
  type SimCameraOptions,
} from './camera-options';
import { LiveRun, type CapturedFrame } from './live-run';
import { RenderPool } from './render-pool';
import { sleepOn } from './sim-clock';
import { hash32 } from './rng';
import { sampleFor, type VirtualSample } from './sample';
import type { SimWorld } from './world';

const EXPOSURE_LOG_CAPACITY = 10_000;

export class SimCamera implements Camera {
  readonly kind = 'camera' as const;
  readonly sensor: CameraSensor;
  private readonly events = new DeviceEvents();
  private readonly opts: SimCameraOptions;
  private readonly sample: VirtualSample;
  private pool: RenderPool;
  private exposureMs = 10;
  private binning = 1;
  private roi: RoiPx | null = null;
  private seq = 0;
  private live: LiveRun | undefined;
  /** Overlap mode: the next streamed exposure (started when the last snap's ended) and the scene then. */
  private next: { startMs: number; scene: string } | undefined;
  /** Live frames whose render failed (gaps in `seq`); for diagnostics. */
  lostFrames = 0;
  /**
   * Exposure windows on the world clock, oldest first (bounded): exposure start, end, and
   * the end of its read-out. For tests that check light against exposures.
   */
  readonly exposureLog: { startMs: number; endMs: number; readoutEndMs: number }[] = [];

  constructor(
    readonly id: string,
    /** The world it images (public for tests that read its laser timeline). */
    readonly world: SimWorld,
    options: unknown,
  ) {
    this.opts = parseOrThrow(simCameraOptions, options, `device "${id}" options`);
    this.sensor = {
      widthPx: this.opts.widthPx,
      heightPx: this.opts.heightPx,
      pixelSizeUm: this.opts.pixelSizeUm,
      bitDepth: 16,
    };
    this.sample = sampleFor(world);
    this.pool = new RenderPool(this.opts.renderWorkers);
  }

  subscribe = this.events.subscribe.bind(this.events);

  async connect(): Promise<DeviceIdentity> {
    this.seq = 0;
    this.events.setConnection('connected');
    return {
      vendor: 'Aquila',
      model:
        this.opts.mode === 'sample' ? 'Simulated sCMOS camera' : 'Simulated camera (test pattern)',
      serial: `SIM-${this.id}`,
      firmware: 'sim-1',
    };
  }

  async disconnect(): Promise<void> {
    await this.stopLive();
    this.next = undefined;
    await this.pool.close();
    this.pool = new RenderPool(this.opts.renderWorkers); // idle until the next frame
    this.events.setConnection('disconnected');
  }

  async setExposureMs(exposureMs: number): Promise<void> {
    this.assertConnected();
    if (!Number.isFinite(exposureMs)) {
      throw new ValidationError(
        `${this.id}: exposureMs must be a finite number, got ${exposureMs}`,
      );
    }
    if (exposureMs < MIN_EXPOSURE_MS || exposureMs > MAX_EXPOSURE_MS) {
      throw new LimitError(
        `${this.id}: exposure ${exposureMs} ms is outside ${MIN_EXPOSURE_MS}..${MAX_EXPOSURE_MS} ms`,
      );
    }
    this.exposureMs = exposureMs;
    this.next = undefined;
    this.events.emit({ type: 'changed' });
  }
  async getExposureMs(): Promise<number> {
    return this.exposureMs;
  }

  async setBinning(binning: number): Promise<void> {
    this.assertConnected();
    if (!(BINNINGS as readonly number[]).includes(binning)) {
      throw new ValidationError(
        `${this.id}: binning ${binning} is not supported (use ${BINNINGS.join(', ')})`,
      );
    }
    if (binning !== this.binning) this.roi = null;
    this.binning = binning;
    this.next = undefined;
    this.events.emit({ type: 'changed' });
  }
  async getBinning(): Promise<number> {
    return this.binning;
  }

  async setRoi(roi: RoiPx | null): Promise<void> {
    this.assertConnected();
    if (roi !== null) {
      const { w, h } = this.binnedSize();
      assertRoiOnSensor(this.id, roi, w, h, this.binning);
    }
    this.roi = roi && { ...roi };
    this.next = undefined;
    this.events.emit({ type: 'changed' });
  }
  async getRoi(): Promise<RoiPx | null> {
    return this.roi && { ...this.roi };
  }

  async snap(into?: ArrayBuffer): Promise<RawFrame> {
    this.assertConnected();
    if (this.live) throw new StateError(`${this.id}: live acquisition is running; stop it first`);
    const time = this.world.time;
    const startMs = this.takeNextExposure() ?? time.now();
    // The sensor keeps its own time: the exposure ends (read-out and, in overlap mode, the
    // next exposure start) at `endMs`, however late the host's timer fires.
    const endMs = startMs + this.exposureMs;
    if (endMs > time.now()) await sleepOn(time, endMs - time.now());
    this.assertConnected();
    const { meta, pixels } = this.capture(into, endMs, startMs);
    if (this.opts.overlap) this.next = { startMs: endMs, scene: this.scene() };
    const [px] = await Promise.all([
      pixels,
      sleepOn(time, endMs + this.opts.readoutMs - time.now()),
    ]);
    return { ...meta, pixels: px };
  }

  /**
   * Start of the next streamed exposure if a snap may take it (see `overlap`): the scene
   * as when the last exposure ended, and that frame not yet pushed out of the buffer.
   */
  private takeNextExposure(): number | undefined {
    const next = this.next;
    this.next = undefined;
    if (!next || next.scene !== this.scene()) return undefined;
    if (this.world.time.now() > next.startMs + OVERLAP_BUFFER_FRAMES * this.exposureMs)
      return undefined;
    return next.startMs;
  }

  /** What lights and places the image: light changes so far, stage and focus position. */
  private scene(): string {
    const now = this.world.clock();
    return JSON.stringify([
      this.world.lightChanges,
      this.world.stage.positionUm(now),
      this.world.focus.positionUm(now),
    ]);
  }

  async startLive(onFrame: (frame: RawFrame) => void): Promise<void> {
    this.assertConnected();
    if (this.live) throw new StateError(`${this.id}: live acquisition is already running`);
    const run = new LiveRun(
      {
        exposureMs: () => this.exposureMs,
        readoutMs: () => this.opts.readoutMs,
        capacity: () => this.pool.capacity,
        capture: () => this.capture(),
        onLost: () => {
          this.lostFrames++;
        },
      },
      onFrame,
      this.world.time,
    );
    this.live = run;
    run.start();
    this.events.emit({ type: 'changed' });
  }

  async stopLive(): Promise<void> {
    const run = this.live;
    if (!run) return;
    await run.stop();
    this.live = undefined;
    this.events.emit({ type: 'changed' });
  }

  /** Render worker threads alive now (0 after disconnect); for diagnostics and tests. */
  get renderThreads(): number {
    return this.pool.threads;
  }

  isLive(): boolean {
    return this.live?.running ?? false;
  }

  private assertConnected(): void {
    if (this.events.state !== 'connected')
      throw new DisconnectedError(`${this.id} is not connected`);
  }

  private binnedSize(): { w: number; h: number } {
    return {
      w: Math.floor(this.sensor.widthPx / this.binning),
      h: Math.floor(this.sensor.heightPx / this.binning),
    };
  }

  /**
   * Ends an exposure now: fixes the scene (stage, focus, lasers at mid-exposure). `into`:
   * see Camera.snap (filled when it has exactly this frame's size). `endMs`: when the
   * exposure ended by the sensor's timing (`world.time`), for the timestamp
   * and, for a frame held in the overlap buffer, the time the scene is imaged at.
   */
  private capture(into?: ArrayBuffer, endMs?: number, startMs?: number): CapturedFrame {
    // The exposure log is on the world clock (as the lasers' emission timeline is): the
    // sensor's end time (performance clock) shifted by how long ago it was.
    const endW = this.world.clock() - (endMs === undefined ? 0 : this.world.time.now() - endMs);
    const logged = {
      startMs:
        endW - (endMs !== undefined && startMs !== undefined ? endMs - startMs : this.exposureMs),
      endMs: endW,
      readoutEndMs: endW + this.opts.readoutMs,
    };
    this.exposureLog.push(logged);
    if (this.exposureLog.length > EXPOSURE_LOG_CAPACITY) this.exposureLog.shift();
    const frame = this.render(into, endMs);
    // Read-out ends when the pixels are out (the render stands for the sensor's transfer;
    // simulated time does not skip past it).
    this.world.time.hold(frame.pixels).catch(() => undefined);
    const done = () => {
      logged.readoutEndMs = Math.max(logged.readoutEndMs, this.world.clock());
    };
    frame.pixels.then(done, done);
    return frame;
  }

  private render(into: ArrayBuffer | undefined, endMs: number | undefined): CapturedFrame {
    const seq = this.seq++;
    const timestampMs =
      endMs === undefined ? this.world.time.epochMs() : Math.round(this.world.time.epochMs(endMs));
    const { w, h } = this.binnedSize();
    const roi = this.roi ?? { xPx: 0, yPx: 0, widthPx: w, heightPx: h };
    const meta = {
      seq,
      widthPx: roi.widthPx,
      heightPx: roi.heightPx,
      timestampMs,
      exposureMs: this.exposureMs,
      binning: this.binning,
    };
    if (this.opts.mode === 'test-pattern') {
      const job = { kind: 'pattern', seq, widthPx: roi.widthPx, heightPx: roi.heightPx } as const;
      return { meta, pixels: this.pool.render(job, into) };
    }
    // A frame held in the overlap buffer is imaged at its own time; otherwise at the world's
    // now (a late timer's few ms ignored, so a fixed test clock gives fixed frames).
    const heldMs = endMs === undefined ? 0 : this.world.time.now() - endMs;
    const midMs =
      this.world.clock() - (heldMs > this.exposureMs ? heldMs : 0) - this.exposureMs / 2;
    const [xUm = 0, yUm = 0] = this.world.stage.positionUm(midMs);
    const [zUm = 0] = this.world.focus.positionUm(midMs);
    const emitters = this.sample.expose({
      fov: {
        centreXUm: xUm,
        centreYUm: yUm,
        pixelUm: this.sensor.pixelSizeUm * this.binning,
        sensorWidthPx: w,
        sensorHeightPx: h,
        roi,
      },
      focusUm: zUm,
      atMs: midMs,
      exposureMs: this.exposureMs,
      powerByNm: this.world.emittedPowerByWavelength(),
      bleach: true,
    });
    const seed = this.world.options.seed;
    const render = {
      widthPx: roi.widthPx,
      heightPx: roi.heightPx,
      emitters,
      noise: {
        offsetAdu: this.opts.offsetAdu,
        readNoiseAdu: this.opts.readNoiseE * this.opts.gainAduPerE * this.binning,
        gainAduPerE: this.opts.gainAduPerE,
        seed,
      },
      frameSeed: hash32(seed, seq),
    };
    return { meta, pixels: this.pool.render({ kind: 'sample', render }, into) };
  }
}
