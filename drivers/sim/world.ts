/**
 * The simulated microscope's shared world: one clock, one XY stage mechanism, one focus
 * mechanism and the laser lines, all seen by the simulated camera. Simulated devices and
 * wire simulators both drive these mechanisms, so physics is the same whichever driver
 * talks to them. One world per host; never global.
 */
import { FocalSurface } from './focal-surface';
import { AxisMotion, type Clock } from './motion';
import { SimTruth } from './truth';
import type { SimWorldOptions } from './world-options';

export type {
  SimCameraMount,
  SimCoverslipOptions,
  SimDriftOptions,
  SimSampleType,
  SimWorldOptions,
} from './world-options';

export interface SimLaserLine {
  wavelengthNm: number;
  maxPowerMw: number;
  /** Every change is recorded in the world's `emissionTimeline`. */
  emission: boolean;
  powerMw: number;
}

/** A line's emission switched on or off at `atMs` (world clock). */
export interface EmissionChange {
  laserId: string;
  on: boolean;
  atMs: number;
}

/** Timeline entries kept (oldest dropped first): hours of live switching, bounded memory. */
const TIMELINE_CAPACITY = 10_000;

export class SimWorld {
  readonly clock: Clock;
  readonly stage: AxisMotion;
  readonly focus: AxisMotion;
  /** Keyed by device id. */
  readonly lasers = new Map<string, SimLaserLine>();
  /** Counts changes of any line's emission or power (so a camera can tell light was constant). */
  lightChanges = 0;
  /** Coverslip and drift: where the sample is at any world time. */
  readonly surface: FocalSurface;
  /** Ground truth for tests and benchmarks; algorithms must never read it. */
  readonly truth: SimTruth;
  /** Emission changes of every line, as the light itself switched (for tests and diagnostics). */
  readonly emissionTimeline: EmissionChange[] = [];

  constructor(readonly options: SimWorldOptions) {
    this.clock = options.clock ?? (() => performance.now());
    this.surface = new FocalSurface(options);
    this.truth = new SimTruth(this);
    this.stage = new AxisMotion(this.clock, [0, 0], 5_000);
    this.focus = new AxisMotion(this.clock, [0], 500);
  }

  /** Registers a laser line (off, 0 mW) under its device id and returns it. */
  addLaser(deviceId: string, wavelengthNm: number, maxPowerMw: number): SimLaserLine {
    let emission = false;
    let powerMw = 0;
    const changed = () => this.lightChanges++;
    const line: SimLaserLine = {
      wavelengthNm,
      maxPowerMw,
      get emission() {
        return emission;
      },
      set emission(on: boolean) {
        if (on !== emission) {
          changed();
          record({ laserId: deviceId, on, atMs: clock() });
        }
        emission = on;
      },
      get powerMw() {
        return powerMw;
      },
      set powerMw(mw: number) {
        if (mw !== powerMw) changed();
        powerMw = mw;
      },
    };
    const clock = this.clock;
    const record = (c: EmissionChange) => {
      if (this.emissionTimeline.push(c) > TIMELINE_CAPACITY) this.emissionTimeline.shift();
    };
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
