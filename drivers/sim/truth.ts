/**
 * Ground truth of the simulated world, for tests and benchmarks only: automation
 * algorithms must never read it (they see the sample through the camera and focus sensor).
 * Every reading is at the world clock's "now" and in stage coordinates.
 */
import { DEFOCUS_SLOPE, psfSigmaUm } from './optics';
import type { Clock } from './motion';
import { sampleFor, type SampleSource } from './sample';

/** What the truth reads: the world's clock, options and coverslip (a SimWorld). */
export interface TruthSource extends SampleSource {
  readonly clock: Clock;
}

/** Emission wavelength the depth of field is quoted at (GFP-like), nm. */
const DOF_EMISSION_NM = 510;

export interface TruthRect {
  xUm: number;
  yUm: number;
  widthUm: number;
  heightUm: number;
}

export class SimTruth {
  /**
   * Full z range over which a point's image stays within √2 of its in-focus width (the
   * simulator's defocus model, optics.ts): 2 σ0 / DEFOCUS_SLOPE, µm.
   */
  readonly depthOfFieldUm = (2 * psfSigmaUm(DOF_EMISSION_NM, 0)) / DEFOCUS_SLOPE;

  constructor(private readonly world: TruthSource) {}

  /** Objective z (µm) that puts the sample in focus at stage position (x, y), now. */
  focusZUm(xUm: number, yUm: number): number {
    const now = this.world.clock();
    const p = this.world.surface.toSample(xUm, yUm, now);
    return this.world.surface.heightUm(p.xUm, p.yUm, now);
  }

  /** Current drift of the sample relative to the stage, µm. */
  xyDriftUm(): { xUm: number; yUm: number } {
    return this.world.surface.xyDriftUm(this.world.clock());
  }

  /**
   * Centres (stage coordinates, now) and radii of the cells — or beads — whose centre lies
   * in `rect` ({xUm, yUm} is the corner of least x and y).
   */
  cellsIn(rect: TruthRect): { xUm: number; yUm: number; radiusUm: number }[] {
    const now = this.world.clock();
    const surface = this.world.surface;
    const a = surface.toSample(rect.xUm, rect.yUm, now);
    const x1 = a.xUm + rect.widthUm;
    const y1 = a.yUm + rect.heightUm;
    const sample = sampleFor(this.world);
    const out: { xUm: number; yUm: number; radiusUm: number }[] = [];
    for (const i of sample.cellsIn(a.xUm, a.yUm, x1, y1)) {
      const c = sample.cellCentreUm(i);
      if (!c || c.xUm < a.xUm || c.xUm > x1 || c.yUm < a.yUm || c.yUm > y1) continue;
      out.push({ ...surface.toStage(c.xUm, c.yUm, now), radiusUm: c.radiusUm });
    }
    return out;
  }
}
