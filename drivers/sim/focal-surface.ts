/**
 * Where the sample is, over time: the coverslip surface (tilt, curvature, offset, holes)
 * and the drifts that move it — thermal focus drift (z) and slow XY drift of the sample
 * relative to the stage. Deterministic from the seed and a pure function of world time, so
 * the camera, the focus sensor and the ground truth agree whatever order they ask in.
 *
 * Coordinates: "sample" (x, y) are fixed to the slide; the sample point (x, y) sits at
 * stage coordinates (x + dx(t), y + dy(t)) where (dx, dy) is the XY drift. The coverslip
 * moves with the slide, so its height is a function of sample coordinates.
 *
 * Without `coverslip` / `drift` options the surface is the original simulator's: a seeded
 * tilt of ≤ 1 µm/mm and a thermal drift settling by 1.5–3 µm over ~20 min with a ±0.3 µm,
 * 6 min oscillation, no XY drift.
 */
import { hash32, uniform } from './rng';
import type { SimCoverslipOptions, SimDriftOptions, SimWorldOptions } from './world-options';

const MS_PER_MIN = 60_000;

export class FocalSurface {
  private readonly tiltX: number; // µm per µm
  private readonly tiltY: number;
  private readonly curvature: number; // µm per µm²
  private readonly offsetUm: number;
  private readonly holes: NonNullable<SimCoverslipOptions['holes']>;
  private readonly zDrift: (tMs: number) => number;
  private readonly xyDir: { x: number; y: number };
  private readonly xyUmPerMs: number;

  constructor(options: Pick<SimWorldOptions, 'seed' | 'coverslip' | 'drift'>) {
    const surf = uniform(hash32(options.seed, 0x5e7f));
    const legacyTiltX = (surf() * 2 - 1) * 1e-3; // up to 1 µm per mm
    const legacyTiltY = (surf() * 2 - 1) * 1e-3;
    const legacyDriftUm = (surf() < 0.5 ? -1 : 1) * (1.5 + surf() * 1.5);
    const c = options.coverslip;
    this.tiltX = c ? c.tiltXUmPerMm / 1000 : legacyTiltX;
    this.tiltY = c ? c.tiltYUmPerMm / 1000 : legacyTiltY;
    this.curvature = c ? c.curvatureUmPerMm2 / 1e6 : 0;
    this.offsetUm = c?.offsetUm ?? 0;
    this.holes = c?.holes ?? [];
    const d = options.drift;
    this.zDrift = d ? steppedDrift(options.seed, d) : legacyDrift(legacyDriftUm);
    const angle = uniform(hash32(options.seed, 0x7d1f))() * 2 * Math.PI;
    this.xyDir = { x: Math.cos(angle), y: Math.sin(angle) };
    this.xyUmPerMs = (d?.xyUmPerMin ?? 0) / MS_PER_MIN;
  }

  /** Coverslip height (µm, focus-drive coordinates) at sample point (x, y), time `atMs`. */
  heightUm(sampleXUm: number, sampleYUm: number, atMs: number): number {
    return this.shapeUm(sampleXUm, sampleYUm) + this.zDrift(Math.max(0, atMs));
  }

  /** The coverslip's shape alone (offset, tilt, curvature): heightUm without the drift. */
  shapeUm(sampleXUm: number, sampleYUm: number): number {
    return (
      this.offsetUm +
      this.tiltX * sampleXUm +
      this.tiltY * sampleYUm +
      this.curvature * (sampleXUm * sampleXUm + sampleYUm * sampleYUm)
    );
  }

  /** Thermal focus drift alone (µm) at `atMs`: the part of heightUm that changes with time. */
  zDriftUm(atMs: number): number {
    return this.zDrift(Math.max(0, atMs));
  }

  /** XY drift of the sample relative to the stage (µm) at `atMs`. */
  xyDriftUm(atMs: number): { xUm: number; yUm: number } {
    const d = this.xyUmPerMs * Math.max(0, atMs);
    return { xUm: d * this.xyDir.x, yUm: d * this.xyDir.y };
  }

  /** Sample point → stage coordinates at `atMs`. */
  toStage(sampleXUm: number, sampleYUm: number, atMs: number): { xUm: number; yUm: number } {
    const d = this.xyDriftUm(atMs);
    return { xUm: sampleXUm + d.xUm, yUm: sampleYUm + d.yUm };
  }

  /** Stage coordinates → sample point at `atMs`. */
  toSample(stageXUm: number, stageYUm: number, atMs: number): { xUm: number; yUm: number } {
    const d = this.xyDriftUm(atMs);
    return { xUm: stageXUm - d.xUm, yUm: stageYUm - d.yUm };
  }

  /** True inside a hole of the carrier (no coverslip: no sample, no reflection). */
  inHole(sampleXUm: number, sampleYUm: number): boolean {
    return this.holes.some((h) => Math.hypot(sampleXUm - h.xUm, sampleYUm - h.yUm) <= h.radiusUm);
  }
}

function legacyDrift(amplitudeUm: number): (tMs: number) => number {
  return (t) =>
    amplitudeUm * (1 - Math.exp(-t / 1_200_000)) + 0.3 * Math.sin((2 * Math.PI * t) / 360_000);
}

/**
 * Seeded drift: piecewise-linear z whose rate changes every minute (zUmPerMin ± 50 %), plus
 * steps of ±zStepUm each minute with probability zStepProbPerMin at a random instant.
 * Per-minute knots are cached as they are first needed.
 */
function steppedDrift(seed: number, d: SimDriftOptions): (tMs: number) => number {
  const knots = [0]; // z at the start of minute k, steps included
  const minutes: { rate: number; step?: { atMin: number; um: number } }[] = [];
  const minute = (k: number) => {
    while (minutes.length <= k) {
      const j = minutes.length;
      const r = uniform(hash32(seed, 0x57e9, j));
      const m: (typeof minutes)[number] = {
        rate: d.zUmPerMin * (1 + (uniform(hash32(seed, 0xd21f, j))() - 0.5)),
      };
      if (r() < d.zStepProbPerMin) m.step = { atMin: r(), um: (r() < 0.5 ? -1 : 1) * d.zStepUm };
      minutes.push(m);
      knots.push((knots[j] ?? 0) + m.rate + (m.step?.um ?? 0));
    }
    return minutes[k] ?? { rate: 0 };
  };
  return (tMs) => {
    const tMin = tMs / MS_PER_MIN;
    const k = Math.floor(tMin);
    const m = minute(k);
    const f = tMin - k;
    return (knots[k] ?? 0) + m.rate * f + (m.step && f >= m.step.atMin ? m.step.um : 0);
  };
}
