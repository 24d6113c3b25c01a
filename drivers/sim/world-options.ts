/** The simulated world's options (world.ts), apart so the modules the world builds on can read them. */
import type { Clock } from './motion';

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
/**
 * How the simulated camera is mounted: the mapping of the config's `stageOrientation`
 * (electron/config/stage-orientation.ts has the contract). A sample point (dx, dy) µm from
 * the stage position is imaged (dx, dy) → (−dy, dx) when `rotate90`, then with x negated
 * when `flipX` and y when `flipY`, in image axes (x right, y down) about the sensor centre.
 */
export interface SimCameraMount {
  flipX: boolean;
  flipY: boolean;
  rotate90: boolean;
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
  /** Absent: identity (image +x is stage +x, image +y is stage +y). */
  cameraMount?: SimCameraMount;
  clock?: Clock;
}
