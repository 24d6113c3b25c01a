/**
 * The simulated microscope's shared world: one clock, one XY stage mechanism, one focus
 * mechanism and the laser lines, all seen by the simulated camera. Simulated devices and
 * wire simulators both drive these mechanisms, so physics is the same whichever driver
 * talks to them. One world per host; never global.
 */
import { AxisMotion, type Clock } from './motion';

export interface SimLaserLine {
  wavelengthNm: number;
  maxPowerMw: number;
  emission: boolean;
  powerMw: number;
}

export interface SimWorldOptions {
  seed: number;
  cellCount: number;
  slideHalfWidthUm: number;
  clock?: Clock;
}

export class SimWorld {
  readonly clock: Clock;
  readonly stage: AxisMotion;
  readonly focus: AxisMotion;
  /** Keyed by device id. */
  readonly lasers = new Map<string, SimLaserLine>();

  constructor(readonly options: SimWorldOptions) {
    this.clock = options.clock ?? (() => performance.now());
    this.stage = new AxisMotion(this.clock, [0, 0], 5_000);
    this.focus = new AxisMotion(this.clock, [0], 500);
  }

  /** Registers a laser line (off, 0 mW) under its device id and returns it. */
  addLaser(deviceId: string, wavelengthNm: number, maxPowerMw: number): SimLaserLine {
    const line: SimLaserLine = { wavelengthNm, maxPowerMw, emission: false, powerMw: 0 };
    this.lasers.set(deviceId, line);
    return line;
  }

  laser(deviceId: string): SimLaserLine {
    const l = this.lasers.get(deviceId);
    if (!l) throw new Error(`no laser line ${deviceId} in the simulated world`);
    return l;
  }

  /** Emitted power per wavelength (mW), lines that are off contribute 0. */
  emittedPowerByWavelength(): Map<number, number> {
    const out = new Map<number, number>();
    for (const l of this.lasers.values()) {
      if (l.emission) out.set(l.wavelengthNm, (out.get(l.wavelengthNm) ?? 0) + l.powerMw);
    }
    return out;
  }
}
