/**
 * The focus-curve model behind autofocus.ts. Focus measures of sparse, point-like content
 * fall off as a Lorentzian of defocus (the measures grow as 1/σ² of a PSF whose σ² grows
 * as dz²): s(z) = b + a / (1 + ((z − z0)/w)²) over a floor b. Then −1/(s − b) is exactly a
 * parabola in z with its vertex at z0, so three samples around the peak predict it even
 * from the tails, where a parabola through the raw scores (Brent's step) cannot. Broader
 * or lumpier curves (thick cells) are still locally quadratic near their top, where the
 * same fit is a plain parabolic step.
 */

export interface Sample {
  zUm: number;
  score: number;
}

/**
 * Floor estimate just below every sample: the lowest score, less a hair (1e-6 of the score
 * range) so it stays finite under the transform. Samples far from focus sit on the floor,
 * so after a coarse scan this is close to the true floor; a floor set lower would bend the
 * transformed tails and bias the peak.
 */
export function floorBelow(samples: readonly Sample[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    lo = Math.min(lo, s.score);
    hi = Math.max(hi, s.score);
  }
  return lo - Math.max((hi - lo) * 1e-6, Math.abs(lo) * 1e-9, 1e-12);
}

/** Vertex of the parabola through three points, or null when they are not concave. */
export function parabolaVertex(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): number | null {
  const d01 = (y1 - y0) / (x1 - x0);
  const d12 = (y2 - y1) / (x2 - x1);
  const c2 = (d12 - d01) / (x2 - x0);
  if (!(c2 < 0)) return null;
  // y = y0 + d01 (x − x0) + c2 (x − x0)(x − x1) → y' = 0.
  return (x0 + x1) / 2 - d01 / (2 * c2);
}

/** The Lorentzian-model peak from three samples and a floor below them, or null. */
export function lorentzPeak(a: Sample, b: Sample, c: Sample, floor: number): number | null {
  const t = (s: Sample) => -1 / (s.score - floor);
  return parabolaVertex(a.zUm, t(a), b.zUm, t(b), c.zUm, t(c));
}

/**
 * Spread of the floor: 1.4826 × the median absolute deviation of the lower half of the
 * scores (the half farthest from any peak); 0 with fewer than 4 samples.
 */
export function floorNoise(samples: readonly Sample[]): number {
  if (samples.length < 4) return 0;
  const lower = samples
    .map((s) => s.score)
    .sort((x, y) => x - y)
    .slice(0, Math.ceil(samples.length / 2));
  const med = median(lower);
  return 1.4826 * median(lower.map((v) => Math.abs(v - med)));
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}
