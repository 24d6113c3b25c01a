/**
 * How a FLImP run applies drift correction (drift-correction.ts): it remembers where and when
 * each scanned tile's frame was taken, learns the drift from each imaged ROI's series, and
 * gives an ROI about to be imaged the correction for the time since its tile was found.
 */
import { DriftEstimate, type XYUm } from './drift-correction';
import type { FlimpPlan } from './plan-schema';
import type { RoiEnd } from './run-view';
import type { FlimpDeps } from './types';

export interface TileFound extends XYUm {
  foundAtMs: number;
}

export class RunDrift {
  /** Stage position of each scanned tile's frame, and when it was taken. */
  private readonly tileAt = new Map<number, TileFound>();
  /** The measured XY drift, when the plan asks for drift correction. */
  private readonly estimate: DriftEstimate | null;

  constructor(
    dc: FlimpPlan['driftCorrection'],
    private readonly log: FlimpDeps['log'],
  ) {
    this.estimate = dc?.xy ? new DriftEstimate(dc.maxStepUm) : null;
  }

  noteTile(index: number, at: TileFound): void {
    this.tileAt.set(index, at);
  }

  /**
   * Where ROI's tile `index` was found, and the correction to image it at `nowMs`
   * (undefined without drift correction).
   */
  forRoi(index: number, nowMs: number): { tile: TileFound; correction: XYUm | undefined } {
    const tile = this.tileAt.get(index)!;
    return { tile, correction: this.estimate?.correctionUm(tile.foundAtMs, nowMs) };
  }

  /** Adds an imaged ROI's measured drift to the estimate (with drift correction on). */
  learn(rec: RoiEnd): void {
    const drift = this.estimate;
    if (!drift || !rec.driftUm || !rec.driftSpanMs) return;
    if (drift.add(rec.driftUm, rec.driftSpanMs, rec.driftConfidence ?? 0)) {
      const v = drift.velocityUmPerMs()!;
      this.log(
        'info',
        `Drift estimate after ROI ${rec.id}: (${(v.xUm * 60_000).toFixed(2)}, ${(v.yUm * 60_000).toFixed(2)}) µm/min`,
      );
    }
  }
}
