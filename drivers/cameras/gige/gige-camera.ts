/**
 * `driver: "gige-vision"`: a GigE Vision camera behind the Camera interface. Standard SFNC
 * features drive it: Width/Height/OffsetX/OffsetY (ROI, binned pixels), BinningHorizontal/
 * Vertical, PixelFormat (monochrome formats into 16-bit frames), ExposureTime or
 * ExposureTimeAbs (µs), AcquisitionMode/Start/Stop, TriggerSelector/Mode/Source/Software.
 * snap() uses the software trigger when the camera has one, else SingleFrame mode.
 * Incomplete frames (packets lost beyond resend) are counted in `incompleteFrames` and
 * never delivered; snap() tries again up to `snapAttempts` times, then fails.
 * Every other feature is reachable by name (getFeature/setFeature/describeFeature).
 */
import dgram from 'node:dgram';
import type { Camera, CameraSensor, DeviceIdentity, RawFrame, RoiPx } from '../../devices';
import { DeviceEvents } from '../../device-events';
import type { DriverContext } from '../../driver-types';
import {
  DeviceError,
  DisconnectedError,
  LimitError,
  StateError,
  ValidationError,
} from '../../errors';
import { parseOrThrow } from '../../validation';
import type { FeatureInfo, FeatureValue, NodeMap } from '../genicam/node-map';
import { GigeAcquisition } from './gige-acquisition';
import { gigeCameraOptions, type GigeCameraOptions } from './gige-camera-options';
import { GigeControl } from './gige-control';

/** The local address the OS would use to reach `address` (no packet is sent). */
async function routeTo(address: string, port: number): Promise<string> {
  const s = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.connect(port, address, () => resolve());
    });
    return s.address().address;
  } finally {
    s.close();
  }
}

export class GigeCamera implements Camera {
  readonly kind = 'camera' as const;
  private readonly events = new DeviceEvents();
  private readonly opts: GigeCameraOptions;
  private control: GigeControl | null = null;
  private acq: GigeAcquisition | null = null;
  private sensorInfo: CameraSensor;
  private exposureFeature = 'ExposureTime';
  private binning = 1;
  private roi: RoiPx | null = null;

  constructor(
    readonly id: string,
    options: unknown,
    private readonly ctx: Pick<DriverContext, 'log'>,
  ) {
    this.opts = parseOrThrow(gigeCameraOptions, options, `device "${id}" options`);
    this.sensorInfo = { widthPx: 0, heightPx: 0, pixelSizeUm: this.opts.pixelSizeUm, bitDepth: 16 };
  }

  subscribe = this.events.subscribe.bind(this.events);

  get sensor(): CameraSensor {
    return this.sensorInfo;
  }

  /** Frames lost to missing packets since connect (never delivered). */
  get incompleteFrames(): number {
    return this.acq?.incompleteFrames ?? 0;
  }

  async connect(): Promise<DeviceIdentity> {
    if (this.control) await this.disconnect();
    const o = this.opts;
    this.events.setConnection('connecting');
    let control: GigeControl | null = null;
    try {
      control = await GigeControl.open({
        address: o.address,
        port: o.port,
        timeoutMs: o.timeoutMs,
        retries: o.retries,
      });
      const map = control.nodeMap;
      this.exposureFeature = map.has('ExposureTime') ? 'ExposureTime' : 'ExposureTimeAbs';
      const num = async (a: string, b: string) => Number(await map.getValue(map.has(a) ? a : b));
      const host = o.streamAddress ?? (await routeTo(o.address, o.port));
      const acq = await GigeAcquisition.open(control, host, o, (msg) =>
        this.ctx.log('warn', `${this.id}: ${msg}`),
      );
      this.sensorInfo = {
        widthPx: await num('SensorWidth', 'WidthMax'),
        heightPx: await num('SensorHeight', 'HeightMax'),
        pixelSizeUm: o.pixelSizeUm,
        bitDepth: acq.bitDepth,
      };
      this.control = control;
      this.acq = acq;
      control.onLost((err) => void this.lost(err));
      this.binning = map.has('BinningHorizontal')
        ? Number(await map.getValue('BinningHorizontal'))
        : 1;
      await this.applyRoi(null);
      this.events.setConnection('connected');
      return {
        vendor: control.info.vendor,
        model: control.info.model,
        serial: control.info.serial,
        firmware: control.info.firmware,
      };
    } catch (err) {
      await this.acq?.close().catch(() => undefined);
      this.acq = null;
      this.control = null;
      await control?.close().catch(() => undefined);
      this.events.setConnection('disconnected', err as Error);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    const control = this.control;
    const acq = this.acq;
    this.control = null;
    this.acq = null;
    if (acq) await acq.close();
    if (control) await control.close();
    this.events.setConnection('disconnected');
  }

  private async lost(err: Error): Promise<void> {
    if (!this.control) return;
    this.ctx.log('error', `${this.id}: ${err.message}`);
    const acq = this.acq;
    const control = this.control;
    this.control = null;
    this.acq = null;
    acq?.fail(err);
    await acq?.close().catch(() => undefined);
    await control.close().catch(() => undefined);
    this.events.setConnection('disconnected', err);
  }

  private ready(): { map: NodeMap; acq: GigeAcquisition } {
    if (!this.control || !this.acq) throw new DisconnectedError(`${this.id} is not connected`);
    return { map: this.control.nodeMap, acq: this.acq };
  }

  async getFeature(name: string): Promise<FeatureValue> {
    return this.ready().map.getValue(name);
  }

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
    this.events.emit({ type: 'changed' });
  }

  async getExposureMs(): Promise<number> {
    return Number(await this.ready().map.getValue(this.exposureFeature)) / 1000;
  }

  async setBinning(binning: number): Promise<void> {
    const { map } = this.ready();
    if (!Number.isInteger(binning) || binning < 1)
      throw new ValidationError(`${this.id}: binning must be a positive integer, got ${binning}`);
    if (!map.has('BinningHorizontal')) {
      if (binning !== 1) throw new LimitError(`${this.id}: this camera has no binning`);
      return;
    }
    this.assertIdle();
    await map.setValue('OffsetX', 0);
    await map.setValue('OffsetY', 0);
    await map.setValue('BinningHorizontal', binning);
    if (map.has('BinningVertical')) await map.setValue('BinningVertical', binning);
    this.binning = binning;
    await this.applyRoi(null);
    this.events.emit({ type: 'changed' });
  }

  async getBinning(): Promise<number> {
    this.ready();
    return this.binning;
  }

  async setRoi(roi: RoiPx | null): Promise<void> {
    this.ready();
    this.assertIdle();
    await this.applyRoi(roi);
    this.events.emit({ type: 'changed' });
  }

  async getRoi(): Promise<RoiPx | null> {
    return this.roi && { ...this.roi };
  }

  private assertIdle(): void {
    if (this.acq?.isLive())
      throw new StateError(`${this.id}: stop live acquisition before changing binning or ROI`);
  }

  private async applyRoi(roi: RoiPx | null): Promise<void> {
    const { map } = this.ready();
    const w = Math.floor(this.sensorInfo.widthPx / this.binning);
    const h = Math.floor(this.sensorInfo.heightPx / this.binning);
    const r = roi ?? { xPx: 0, yPx: 0, widthPx: w, heightPx: h };
    for (const key of ['xPx', 'yPx', 'widthPx', 'heightPx'] as const)
      if (!Number.isInteger(r[key]))
        throw new ValidationError(`${this.id}: roi.${key} must be an integer, got ${r[key]}`);
    if (
      r.xPx < 0 ||
      r.yPx < 0 ||
      r.widthPx < 1 ||
      r.heightPx < 1 ||
      r.xPx + r.widthPx > w ||
      r.yPx + r.heightPx > h
    )
      throw new LimitError(
        `${this.id}: ROI x=${r.xPx} y=${r.yPx} ${r.widthPx}×${r.heightPx} lies outside the ${w}×${h} sensor at binning ${this.binning}`,
      );
    await map.setValue('OffsetX', 0);
    await map.setValue('OffsetY', 0);
    await map.setValue('Width', r.widthPx);
    await map.setValue('Height', r.heightPx);
    await map.setValue('OffsetX', r.xPx);
    await map.setValue('OffsetY', r.yPx);
    this.roi = roi && { ...roi };
  }

  async snap(into?: ArrayBuffer): Promise<RawFrame> {
    const { acq } = this.ready();
    const exposureMs = await this.getExposureMs();
    for (let attempt = 1; ; attempt++) {
      const frame = await acq.snap(into, exposureMs, this.binning);
      if (frame) return frame;
      if (attempt >= this.opts.snapAttempts)
        throw new DeviceError(
          `${this.id}: ${attempt} frames in a row arrived incomplete (packets lost)`,
          {
            incompleteFrames: acq.incompleteFrames,
          },
        );
    }
  }

  async startLive(onFrame: (frame: RawFrame) => void): Promise<void> {
    const { acq } = this.ready();
    await acq.startLive(onFrame, await this.getExposureMs(), this.binning);
    this.events.emit({ type: 'changed' });
  }

  async stopLive(): Promise<void> {
    if (!this.acq?.isLive()) return;
    await this.acq.stopLive();
    this.events.emit({ type: 'changed' });
  }

  isLive(): boolean {
    return this.acq?.isLive() ?? false;
  }
}

export function createGigeCamera(
  spec: { id: string; options: unknown },
  ctx: Pick<DriverContext, 'log'>,
): GigeCamera {
  return new GigeCamera(spec.id, spec.options, ctx);
}
