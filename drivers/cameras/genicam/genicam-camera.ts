/**
 * A GenICam camera behind the Camera interface, whatever carries it (GigE Vision, USB3
 * Vision: see transport.ts). Standard SFNC features drive it: Width/Height/OffsetX/OffsetY
 * (ROI, binned pixels), BinningHorizontal/Vertical, PixelFormat (monochrome into 16-bit
 * frames), ExposureTime or ExposureTimeAbs (µs), AcquisitionMode/Start/Stop and
 * TriggerSelector/Mode/Source/Software (genicam-acquisition.ts). Every other feature is
 * reachable by name (getFeature/setFeature/describeFeature/listFeatures).
 *
 * When the device is lost the camera emits `disconnected` with a DisconnectedError, a snap
 * in flight rejects with it, live ends, and — unless `reconnectMs` is 0 — it tries to open
 * the device again every `reconnectMs`. On success it re-applies exposure, binning and ROI
 * and emits `connected`; live is not restarted (the caller that started it decides).
 * Features set by name are not re-applied.
 */
import type { Camera, CameraSensor, DeviceIdentity, RawFrame, RoiPx } from '../../devices';
import { DeviceEvents } from '../../device-events';
import type { DriverContext } from '../../driver-types';
import {
  DeviceError,
  DisconnectedError,
  StateError,
  TimeoutError,
  ValidationError,
} from '../../errors';
import { GenicamAcquisition } from './genicam-acquisition';
import type { FeatureInfo, FeatureValue, NodeMap } from './node-map';
import type { MonoFormat } from './pixels';
import { applyBinning, applyRoi } from './sfnc-geometry';
import type { GenicamTransport } from './transport';

export interface GenicamCameraOptions {
  pixelFormat?: MonoFormat;
  pixelSizeUm: number;
  snapAttempts: number;
  /** Period of reconnect attempts after the device is lost; 0 = stay disconnected. */
  reconnectMs: number;
  /** The transport's wait for a frame's missing data; snap waits twice that plus 2 s. */
  frameTimeoutMs: number;
}

interface Session {
  t: GenicamTransport;
  acq: GenicamAcquisition;
}

export class GenicamCamera implements Camera {
  readonly kind = 'camera' as const;
  private readonly events = new DeviceEvents();
  private session: Session | null = null;
  private sensorInfo: CameraSensor;
  private exposureFeature = 'ExposureTime';
  private binning = 1;
  private roi: RoiPx | null = null;
  /** Exposure the user asked for; re-applied on reconnect. */
  private exposureUs: number | null = null;
  private retry: NodeJS.Timeout | null = null;
  private opening: Promise<DeviceIdentity> | null = null;
  /** Acquisitions of sessions that ended (their incomplete frames still count). */
  private readonly ended: GenicamAcquisition[] = [];

  constructor(
    readonly id: string,
    private readonly common: GenicamCameraOptions,
    private readonly openTransport: () => Promise<GenicamTransport>,
    protected readonly ctx: Pick<DriverContext, 'log'>,
  ) {
    this.sensorInfo = { widthPx: 0, heightPx: 0, pixelSizeUm: common.pixelSizeUm, bitDepth: 16 };
  }

  subscribe = this.events.subscribe.bind(this.events);

  get sensor(): CameraSensor {
    return this.sensorInfo;
  }

  /** Frames lost in transport since this camera was created (never delivered). */
  get incompleteFrames(): number {
    let n = this.session?.acq.incompleteFrames ?? 0;
    for (const acq of this.ended) n += acq.incompleteFrames;
    return n;
  }

  async connect(): Promise<DeviceIdentity> {
    this.stopRetrying();
    if (this.opening) await this.opening.catch(() => undefined);
    if (this.session) await this.disconnect();
    this.events.setConnection('connecting');
    try {
      return await this.open(false);
    } catch (err) {
      this.events.setConnection('disconnected', err as Error);
      throw err;
    }
  }

  /** Opens the transport and brings the camera to the wanted state. */
  private open(restore: boolean): Promise<DeviceIdentity> {
    const run = async () => {
      const t = await this.openTransport();
      let acq: GenicamAcquisition | null = null;
      try {
        const map = t.nodeMap;
        this.exposureFeature = map.has('ExposureTime') ? 'ExposureTime' : 'ExposureTimeAbs';
        const num = async (a: string, b: string) => Number(await map.getValue(map.has(a) ? a : b));
        const { pixelFormat, frameTimeoutMs } = this.common;
        acq = await GenicamAcquisition.open(
          t,
          {
            pixelFormat,
            frameWaitMs: 2 * frameTimeoutMs + 2_000,
            onIncomplete: (f) => this.events.emit({ type: 'incomplete-frame', ...f }),
          },
          (msg) => this.ctx.log('warn', `${this.id}: ${msg}`),
        );
        this.sensorInfo = {
          widthPx: await num('SensorWidth', 'WidthMax'),
          heightPx: await num('SensorHeight', 'HeightMax'),
          pixelSizeUm: this.common.pixelSizeUm,
          bitDepth: acq.bitDepth,
        };
        const roi = restore ? this.roi : null;
        if (restore) {
          if (this.exposureUs !== null) await map.setValue(this.exposureFeature, this.exposureUs);
          await applyBinning(map, this.binning, this.id);
        } else {
          this.binning = map.has('BinningHorizontal')
            ? Number(await map.getValue('BinningHorizontal'))
            : 1;
        }
        this.roi = await applyRoi(map, roi, this.sensorInfo, this.binning, this.id);
        this.session = { t, acq };
        t.onLost((err) => void this.lost(err));
        this.events.setConnection('connected');
        return t.identity;
      } catch (err) {
        await acq?.close().catch(() => undefined);
        await t.close().catch(() => undefined);
        throw err;
      }
    };
    this.opening = run().finally(() => (this.opening = null));
    return this.opening;
  }

  async disconnect(): Promise<void> {
    this.stopRetrying();
    if (this.opening) await this.opening.catch(() => undefined);
    const s = this.session;
    this.session = null;
    if (s) {
      this.ended.push(s.acq);
      await s.acq.close();
      await s.t.close();
    }
    this.events.setConnection('disconnected');
  }

  private stopRetrying(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async lost(err: Error): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = null;
    const error =
      err instanceof DisconnectedError
        ? err
        : new DisconnectedError(`${this.id}: ${err.message}`, { cause: err.message });
    this.ctx.log('error', `${this.id}: ${error.message}`);
    this.ended.push(s.acq);
    s.acq.fail(error);
    await s.acq.close().catch(() => undefined);
    await s.t.close().catch(() => undefined);
    this.events.setConnection('disconnected', error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.common.reconnectMs <= 0 || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.open(true).then(
        () => this.ctx.log('info', `${this.id}: reconnected; live view was not restarted`),
        (err: Error) => {
          // an absent camera is expected here; anything else (e.g. the ROI no longer fits) is news
          const absent = err instanceof DisconnectedError || err instanceof TimeoutError;
          this.ctx.log(absent ? 'debug' : 'warn', `${this.id}: reconnect failed: ${err.message}`);
          this.scheduleReconnect();
        },
      );
    }, this.common.reconnectMs);
    this.retry.unref();
  }

  private ready(): Session & { map: NodeMap } {
    if (!this.session) throw new DisconnectedError(`${this.id} is not connected`);
    return { ...this.session, map: this.session.t.nodeMap };
  }

  async getFeature(name: string): Promise<FeatureValue> {
    return this.ready().map.getValue(name);
  }

  /** Sets a feature by name; `null` executes a Command feature. */
  async setFeature(name: string, value: FeatureValue | null): Promise<void> {
    const { map } = this.ready();
    if (value === null) await map.execute(name);
    else await map.setValue(name, value);
    this.events.emit({ type: 'changed' });
  }

  async describeFeature(name: string): Promise<FeatureInfo> {
    return this.ready().map.describe(name);
  }

  listFeatures(): string[] {
    return this.ready().map.features();
  }

  async setExposureMs(exposureMs: number): Promise<void> {
    const { map } = this.ready();
    if (!Number.isFinite(exposureMs))
      throw new ValidationError(
        `${this.id}: exposureMs must be a finite number, got ${exposureMs}`,
      );
    await map.setValue(this.exposureFeature, exposureMs * 1000);
    this.exposureUs = exposureMs * 1000;
    this.events.emit({ type: 'changed' });
  }

  async getExposureMs(): Promise<number> {
    return Number(await this.ready().map.getValue(this.exposureFeature)) / 1000;
  }

  async setBinning(binning: number): Promise<void> {
    const { map } = this.ready();
    this.assertIdle();
    await applyBinning(map, binning, this.id);
    this.binning = binning;
    this.roi = await applyRoi(map, null, this.sensorInfo, binning, this.id);
    this.events.emit({ type: 'changed' });
  }

  async getBinning(): Promise<number> {
    this.ready();
    return this.binning;
  }

  async setRoi(roi: RoiPx | null): Promise<void> {
    const { map } = this.ready();
    this.assertIdle();
    this.roi = await applyRoi(map, roi, this.sensorInfo, this.binning, this.id);
    this.events.emit({ type: 'changed' });
  }

  async getRoi(): Promise<RoiPx | null> {
    return this.roi && { ...this.roi };
  }

  private assertIdle(): void {
    if (this.session?.acq.isLive())
      throw new StateError(`${this.id}: stop live acquisition before changing binning or ROI`);
  }

  async snap(into?: ArrayBuffer): Promise<RawFrame> {
    const { acq } = this.ready();
    const exposureMs = await this.getExposureMs();
    for (let attempt = 1; ; attempt++) {
      const frame = await acq.snap(into, exposureMs, this.binning);
      if (frame) return frame;
      if (attempt >= this.common.snapAttempts)
        throw new DeviceError(`${this.id}: ${attempt} frames in a row arrived incomplete`, {
          incompleteFrames: acq.incompleteFrames,
        });
    }
  }

  async startLive(onFrame: (frame: RawFrame) => void): Promise<void> {
    const { acq } = this.ready();
    await acq.startLive(onFrame, await this.getExposureMs(), this.binning);
    this.events.emit({ type: 'changed' });
  }

  async stopLive(): Promise<void> {
    const acq = this.session?.acq;
    if (!acq?.isLive()) return;
    await acq.stopLive();
    this.events.emit({ type: 'changed' });
  }

  isLive(): boolean {
    return this.session?.acq.isLive() ?? false;
  }
}
