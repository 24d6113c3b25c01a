/**
 * AcquisitionEngine over the device interfaces (drivers/devices.ts). The host hands it the
 * devices as its safety layer exposes them, so envelope limits and the e-stop apply to runs
 * like to every other caller. One laser line per channel preset: applying a channel
 * switches every other line off and sets the preset's power; the line is switched on at
 * `acquireFrame` and, with auto-shutter, off again after that frame's read-out (otherwise
 * it stays on until `lasersOff`).
 *
 * Frame metadata (`lasersMw`) comes from the line states the engine holds, not from the
 * wire: read from every line at run start (snapshotHardware) and updated with each change
 * the engine makes once the device acknowledged it (an emission-on resolves only when the
 * driver confirmed emission). So a frame costs no laser reads; changes made by another
 * client between an event's setup and its frame are not seen (setup switches other lines
 * off every event).
 */
import type { Camera, Laser, XYStage, ZDrive } from '../../drivers/devices';
import { StateError } from '../../drivers/errors';
import type { AcquiredFrame, AcquisitionEngine, EventSetup, HardwareSnapshot } from './types';

export interface EngineDevices {
  stage: XYStage | null;
  focus: ZDrive | null;
  camera: Camera;
  lasers: readonly Laser[];
  /**
   * Auto-shutter (read at every frame): the channel's line is switched on right before each
   * exposure and off after its read-out. Without it (or false) the line stays on from the
   * first frame of a channel until `lasersOff` or another channel.
   */
  autoShutter?: () => boolean;
  /** mW·ms per line emitted within a window (the safety layer's EmissionLog), for `doseMwMs`. */
  doseMwMs?: (startMs: number, endMs: number) => Record<string, number>;
}

interface LineState {
  emission: boolean;
  powerMw: number;
}

export class DeviceEngine implements AcquisitionEngine {
  private activeLaser: Laser | null = null;
  private frameSeq = 0;
  /** Laser id → the line's state as last read or acknowledged (see the file comment). */
  private readonly held = new Map<string, LineState>();

  constructor(private readonly devices: EngineDevices) {}

  async snapshotHardware(): Promise<HardwareSnapshot> {
    const { stage, focus, camera, lasers } = this.devices;
    const laserPowersMw: Record<string, number> = {};
    for (const l of lasers) {
      const powerMw = await l.getPowerMw();
      laserPowersMw[l.id] = powerMw;
      this.held.set(l.id, { emission: await l.getEmission(), powerMw });
    }
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
      if (p !== undefined) await this.setPower(l, p);
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
      for (const l of lasers) if (l !== laser) await this.setEmission(l, false);
      await this.setPower(laser, powerMw);
      this.activeLaser = laser;
    }
    if (setup.exposureMs !== undefined) await camera.setExposureMs(setup.exposureMs);
  }

  async acquireFrame(into?: ArrayBuffer): Promise<AcquiredFrame> {
    const { stage, focus, camera, lasers, autoShutter, doseMwMs } = this.devices;
    const laser = this.activeLaser;
    const strict = autoShutter?.() ?? false;
    if (laser && !this.line(laser).emission) await this.setEmission(laser, true);
    const lasersMw: Record<string, number> = {};
    for (const l of lasers) {
      const held = this.line(l);
      lasersMw[l.id] = held.emission ? held.powerMw : 0;
    }
    let raw;
    try {
      raw = await camera.snap(into);
    } finally {
      if (strict && laser) await this.setEmission(laser, false);
    }
    const dose = doseMwMs?.(raw.timestampMs - raw.exposureMs, raw.timestampMs);
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
        ...(dose && { doseMwMs: dose }),
      },
    };
  }

  /** Tries every line even if one fails, then reports the failures together. */
  async lasersOff(): Promise<void> {
    const failed: string[] = [];
    for (const l of this.devices.lasers) {
      try {
        await this.setEmission(l, false);
      } catch (err) {
        failed.push(`${l.id}: ${(err as Error).message}`);
      }
    }
    if (failed.length) throw new StateError(`lasers not confirmed off: ${failed.join('; ')}`);
  }

  /** The held state of a line (off at 0 mW until snapshotHardware read it). */
  private line(l: Laser): LineState {
    let held = this.held.get(l.id);
    if (!held) this.held.set(l.id, (held = { emission: false, powerMw: 0 }));
    return held;
  }

  /** A failed "off" is held as on (it may be), a failed "on" as off (so it is sent again). */
  private async setEmission(l: Laser, on: boolean): Promise<void> {
    try {
      await l.setEmission(on);
      this.line(l).emission = on;
    } catch (err) {
      this.line(l).emission = !on;
      throw err;
    }
  }

  private async setPower(l: Laser, powerMw: number): Promise<void> {
    await l.setPowerMw(powerMw);
    this.line(l).powerMw = powerMw;
  }
}
