/**
 * XY drift correction between ROIs (plan `driftCorrection`): each imaged ROI's series
 * measures how far the sample moved while the stage stood still (first → last frame by
 * phase correlation); the run's drift velocity is the sum of those shifts over the sum of
 * the series' durations (a duration-weighted mean), and an ROI found at time tf is imaged at
 * its found position + velocity × (now − tf), the correction bounded by `maxStepUm`.
 *
 * Sign: a registration shift (dx, dy) px means content at x in the first frame is at x + dx
 * in the last: the sample moved by the stage offset that image offset shows
 * (pixel-to-stage.ts imageToStageOffset: (+dx, +dy) × pixel size with the identity
 * orientation), and so do the ROIs not yet imaged.
 */
import type { StageOrientation } from '../../api/contract';
import { imageToStageOffset } from '../../api/shared/orientation';

/** Registrations below this correlation peak (0..1) are not trusted as drift. */
export const MIN_DRIFT_CONFIDENCE = 0.3;

export interface XYUm {
  xUm: number;
  yUm: number;
}

/** The sample's shift in stage µm from a registration shift in px of frames so oriented. */
export function driftFromShift(
  shift: { dxPx: number; dyPx: number },
  pixelUm: number,
  orientation: StageOrientation,
): XYUm {
  return imageToStageOffset(orientation, shift.dxPx * pixelUm, shift.dyPx * pixelUm);
}

export class DriftEstimate {
  private sumXUm = 0;
  private sumYUm = 0;
  private sumMs = 0;
  private count = 0;

  constructor(readonly maxStepUm: number) {}

  /** ROIs whose drift went into the estimate. */
  get samples(): number {
    return this.count;
  }

  /**
   * Adds one series: the sample moved `driftUm` over `spanMs`; ignored when not confident,
   * not finite or without duration.
   */
  add(driftUm: XYUm, spanMs: number, confidence: number): boolean {
    if (!(confidence >= MIN_DRIFT_CONFIDENCE) || !(spanMs > 0)) return false;
    if (!Number.isFinite(driftUm.xUm) || !Number.isFinite(driftUm.yUm)) return false;
    this.sumXUm += driftUm.xUm;
    this.sumYUm += driftUm.yUm;
    this.sumMs += spanMs;
    this.count++;
    return true;
  }

  /** Estimated drift velocity, µm per ms; null before any trusted series. */
  velocityUmPerMs(): XYUm | null {
    if (this.count === 0) return null;
    return { xUm: this.sumXUm / this.sumMs, yUm: this.sumYUm / this.sumMs };
  }

  /**
   * What to add to a position found at `foundAtMs` to image it at `atMs`: velocity × elapsed
   * time, scaled down to `maxStepUm` when longer; zero before any estimate.
   */
  correctionUm(foundAtMs: number, atMs: number): XYUm {
    const v = this.velocityUmPerMs();
    if (!v) return { xUm: 0, yUm: 0 };
    const dt = Math.max(0, atMs - foundAtMs);
    const x = v.xUm * dt;
    const y = v.yUm * dt;
    const len = Math.hypot(x, y);
    const k = len > this.maxStepUm ? this.maxStepUm / len : 1;
    return { xUm: x * k, yUm: y * k };
  }
}
