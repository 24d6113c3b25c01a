/**
 * AcquisitionEngine over the device interfaces (drivers/devices.ts). The host hands it the
 * devices as its safety layer exposes them, so envelope limits and the e-stop apply to runs
 * like to every other caller. One laser line per channel preset: applying a channel
 * switches every other line off and sets the preset's power; the line is switched on at
 * `acquireFrame` and stays on until `lasersOff`.
 */
import type { Camera, Laser, XYStage, ZDrive } from '../../drivers/devices';
import { StateError } from '../../drivers/errors';
import type { AcquiredFrame, AcquisitionEngine, EventSetup, HardwareSnapshot } from './types';

export interface EngineDevices {
  stage: XYStage | null;
  focus: ZDrive | null;
  camera: Camera;
  lasers: readonly Laser[];
}

export class DeviceEngine implements AcquisitionEngine {
  private activeLaser: Laser | null = null;
  private frameSeq = 0;

  constructor(private readonly devices: EngineDevices) {}

  async snapshotHardware(): Promise<HardwareSnapshot> {
    const { stage, focus, camera, lasers } = this.devices;
    const laserPowersMw: Record<string, number> = {};
    for (const l of lasers) laserPowersMw[l.id] = await l.getPowerMw();
    return {
      xyUm: stage ? await stage.getPositionUm() : null,
      zUm: focus ? await focus.getPositionUm() : null,
      exposureMs: await camera.getExposureMs(),
      laserPowersMw,
    };
  }

  async restoreHardware(s: HardwareSnapshot): Promise<void> {
    const { stage, focus, camera, lasers } = this.devices;
    if (stage && s.xyUm) await stage.moveToUm(s.xyUm);
    if (focus && s.zUm !== null) await focus.moveToUm(s.zUm);
    if (s.exposureMs !== null) await camera.setExposureMs(s.exposureMs);
    for (const l of lasers) {
      const p = s.laserPowersMw[l.id];
      if (p !== undefined) await l.setPowerMw(p);
    }
    this.activeLaser = null;
  }

  async setupEvent(setup: EventSetup): Promise<void> {
    const { stage, focus, camera, lasers } = this.devices;
    if (setup.xUm !== undefined || setup.yUm !== undefined) {
      if (!stage) throw new StateError('the plan moves in XY but no XY stage is configured');
      const here = await stage.getPositionUm();
      await stage.moveToUm({ xUm: setup.xUm ?? here.xUm, yUm: setup.yUm ?? here.yUm });
    }
    if (setup.zUm !== undefined) {
      if (!focus) throw new StateError('the plan moves in Z but no focus drive is configured');
      await focus.moveToUm(setup.zUm);
    }
    if (setup.channel) {
      const { laserId, powerMw, name } = setup.channel;
      const laser = lasers.find((l) => l.id === laserId);
      if (!laser)
        throw new StateError(`channel "${name}" uses laser "${laserId}", which is not connected`);
      for (const l of lasers) if (l !== laser) await l.setEmission(false);
      await laser.setPowerMw(powerMw);
      this.activeLaser = laser;
    }
    if (setup.exposureMs !== undefined) await camera.setExposureMs(setup.exposureMs);
  }

  async acquireFrame(into?: ArrayBuffer): Promise<AcquiredFrame> {
    const { stage, focus, camera, lasers } = this.devices;
    const laser = this.activeLaser;
    if (laser && !(await laser.getEmission())) await laser.setEmission(true);
    const lasersMw: Record<string, number> = {};
    for (const l of lasers) lasersMw[l.id] = (await l.getEmission()) ? await l.getPowerMw() : 0;
    const raw = await camera.snap(into);
    const xy = stage ? await stage.getPositionUm() : { xUm: 0, yUm: 0 };
    const zUm = focus ? await focus.getPositionUm() : 0;
    return {
      pixels: raw.pixels,
      meta: {
        seq: this.frameSeq++,
        cameraSeq: raw.seq,
        widthPx: raw.widthPx,
        heightPx: raw.heightPx,
        bitDepth: camera.sensor.bitDepth,
        binning: raw.binning,
        pixelSizeUm: camera.sensor.pixelSizeUm, // binning 1, per FrameMeta; the frame spans × binning
        exposureMs: raw.exposureMs,
        timestampMs: raw.timestampMs,
        stage: { xUm: xy.xUm, yUm: xy.yUm, zUm },
        lasersMw,
      },
    };
  }

  /** Tries every line even if one fails, then reports the failures together. */
  async lasersOff(): Promise<void> {
    const failed: string[] = [];
    for (const l of this.devices.lasers) {
      try {
        await l.setEmission(false);
      } catch (err) {
        failed.push(`${l.id}: ${(err as Error).message}`);
      }
    }
    if (failed.length) throw new StateError(`lasers not confirmed off: ${failed.join('; ')}`);
  }
}
