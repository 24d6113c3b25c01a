/**
 * The simulated microscope's shared world: one clock, one XY stage mechanism, one focus
 * mechanism and the laser lines, all seen by the simulated camera. Simulated devices and
 * wire simulators both drive these mechanisms, so physics is the same whichever driver
 * talks to them. One world per host; never global.
 */
import { FocalSurface } from './focal-surface';
import { AxisMotion, type Clock } from './motion';
import { SimTruth } from './truth';

export interface SimLaserLine {
  wavelengthNm: number;
  maxPowerMw: number;
  emission: boolean;
  powerMw: number;
}

/**
 * What the slide holds: `cells` (the original: cells scattered uniformly), `sparse-cells`
 * (FLImP-like: single cells and small groups, mostly empty area), `dense-tissue` (packed
 * cells filling the slide region; `cellCount` is ignored), `beads` (`cellCount`
 * sub-resolution beads, bright in every channel), `empty`.
 */
export type SimSampleType = 'cells' | 'sparse-cells' | 'dense-tissue' | 'beads' | 'empty';

export interface SimCoverslipOptions {
  tiltXUmPerMm: number;
  tiltYUmPerMm: number;
  /** Paraboloid about the stage origin: + (x² + y²) × this, x and y in mm. */
  curvatureUmPerMm2: number;
  /** Coverslip height at the origin at t = 0, focus-drive µm. */
  offsetUm: number;
  /** Holes in the carrier (sample coordinates): no coverslip, no sample, no reflection. */
  holes?: { xUm: number; yUm: number; radiusUm: number }[];
}

export interface SimDriftOptions {
  /** Mean thermal focus drift rate, µm/min (each minute's rate varies ±50 %). */
  zUmPerMin: number;
  /** Chance per minute of an abrupt focus step. */
  zStepProbPerMin: number;
  /** Size of a focus step, µm (sign random). */
  zStepUm: number;
  /** Sample XY drift relative to the stage, µm/min (direction seeded). */
  xyUmPerMin: number;
}

export interface SimWorldOptions {
  seed: number;
  cellCount: number;
  slideHalfWidthUm: number;
  /** Default `cells`. */
  sample?: SimSampleType;
  /** Absent: a seeded tilt ≤ 1 µm/mm (see focal-surface.ts). */
  coverslip?: SimCoverslipOptions;
  /** Absent: the original settling thermal drift, no steps, no XY drift. */
  drift?: SimDriftOptions;
  clock?: Clock;
}

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
        if (on !== emission) changed();
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
