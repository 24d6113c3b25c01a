/**
 * Software autofocus: a coarse scan that brackets the peak, then model-fitted steps to it.
 *
 * 1. Coarse: COARSE_POINTS images evenly over [start − range, start + range] clipped to the
 *    Z limits (ascending, one direction of approach). Focus-measure tails are monotone far
 *    from focus, so the best of them lies next to the peak.
 * 2. Fit: the best sample and its neighbours predict the peak under a Lorentzian model
 *    (autofocus-model.ts), which is exact for point-like content and a parabolic step near
 *    any smooth top. The prediction is imaged; a prediction that is unusable (not concave,
 *    outside the bracket, on top of an earlier sample) is replaced by a golden-section step
 *    into the larger side of the bracket, so the bracket always shrinks, as in Brent's method.
 * 3. Stop when the predicted peak lies within tolerance/2 of the best image and images
 *    within 8 × tolerance flank it on both sides (the top was seen from both sides; until
 *    then one image is taken on the open side, 2 × tolerance past the best); move to the
 *    prediction (no image there).
 *
 * Failure (AquilaError E_AUTOFOCUS, after moving back to the start): a flat or noisy curve
 * (peak above the floor less than `minContrast` × the floor or 4 × the floor's noise), a
 * peak at the edge of the searched range, or no convergence within `maxImages`. Option
 * errors are E_INVALID and a start outside the Z limits E_LIMIT, both before any move.
 *
 * Z: every commanded position lies within target.limitsUm.
 *
 * Abort (signal): no further move or image; Z stays where the last move left it (an abort
 * may come from an e-stop, when motion is refused) and the abort reason is thrown (an
 * AquilaError as is; anything else as E_CANCELLED).
 */
import type { RoiPx } from '../../drivers/devices';
import { AquilaError, LimitError, ValidationError } from '../../drivers/errors';
import { FOCUS_MEASURES, type FocusMeasureName } from './kernels/focus-measures';
import { floorBelow, floorNoise, lorentzPeak, median, type Sample } from './autofocus-model';

export interface FocusTarget {
  positionUm(): Promise<number>;
  moveToUm(zUm: number): Promise<void>;
  /** Snap one frame at the current z and return its focus measure. */
  score(): Promise<number>;
  limitsUm: { min: number; max: number };
}

export interface AutofocusOptions {
  /** Half-width of the search around the start, µm. */
  rangeUm: number;
  /** Accuracy asked for, µm. */
  toleranceUm: number;
  /** The measure FocusTarget.score computes (checked, reported; the target applies it). */
  measure: FocusMeasureName;
  /** The ROI FocusTarget.score measures in, if any (the target applies it). */
  roi?: RoiPx;
  /** Image budget; default 40. */
  maxImages?: number;
  /** Least peak height over the floor, as a fraction of the floor; default 0.05. */
  minContrast?: number;
}

export interface AutofocusResult {
  /** Where Z was left: the fitted peak. */
  zUm: number;
  startZUm: number;
  images: number;
  /** Every image, in the order taken. */
  curve: { zUm: number; score: number }[];
  peakScore: number;
  /** Spread of the floor (scores far from the peak), measure units. */
  noiseScore: number;
}

export const COARSE_POINTS = 5;
const GOLDEN = 0.381966;

export async function autofocus(
  target: FocusTarget,
  options: AutofocusOptions,
  signal?: AbortSignal,
): Promise<AutofocusResult> {
  const o = checkOptions(options, target.limitsUm);
  checkAbort(signal);
  const startZUm = await target.positionUm();
  const { min, max } = target.limitsUm;
  if (!(startZUm >= min && startZUm <= max)) {
    throw new LimitError(
      `autofocus: Z ${startZUm} µm is outside the Z limits ${min}..${max} µm; move inside them first`,
    );
  }
  const lo = Math.max(min, startZUm - o.rangeUm);
  const hi = Math.min(max, startZUm + o.rangeUm);
  const curve: Sample[] = [];
  const fail = (why: string, details?: Record<string, unknown>) =>
    new AquilaError('E_AUTOFOCUS', `${why} (${o.measure}, ${curve.length} images)`, {
      startZUm,
      images: curve.length,
      ...details,
    });
  const snap = async (zUm: number): Promise<void> => {
    if (curve.length >= o.maxImages) {
      throw fail(`autofocus did not converge to ±${o.toleranceUm} µm within ${o.maxImages} images`);
    }
    const z = Math.min(hi, Math.max(lo, zUm));
    checkAbort(signal);
    await target.moveToUm(z);
    checkAbort(signal);
    curve.push({ zUm: z, score: await target.score() });
  };

  try {
    if (hi - lo < o.toleranceUm) {
      throw fail(
        `the Z limits leave less than ${o.toleranceUm} µm to search around ${startZUm} µm`,
      );
    }
    for (let i = 0; i < COARSE_POINTS; i++) await snap(lo + ((hi - lo) * i) / (COARSE_POINTS - 1));
    const floor = median(curve.map((s) => s.score));
    const noise = floorNoise(curve);
    const enough = (peak: number) =>
      peak - floor > Math.max(o.minContrast * Math.abs(floor), 4 * noise);
    const flat = () => {
      const peak = Math.max(...curve.map((s) => s.score));
      return fail(
        `no focus found in ±${o.rangeUm} µm; peak contrast ${fmt(peak - floor)} vs noise ${fmt(noise)} (floor ${fmt(floor)})`,
        { peakScore: peak, floorScore: floor, noiseScore: noise },
      );
    };
    if (!enough(Math.max(...curve.map((s) => s.score)))) throw flat();

    for (;;) {
      const step = nextStep(curve, lo, hi, o.toleranceUm);
      if (step.done) {
        const best = bestOf(curve);
        if (!enough(best.score)) throw flat();
        if (step.zUm <= lo + o.toleranceUm / 2 || step.zUm >= hi - o.toleranceUm / 2) {
          throw fail(
            `the focus lies at or beyond the edge of the search range ${fmt(lo)}..${fmt(hi)} µm (best at ${fmt(best.zUm)} µm)`,
          );
        }
        checkAbort(signal);
        await target.moveToUm(step.zUm);
        return {
          zUm: step.zUm,
          startZUm,
          images: curve.length,
          curve: curve.map((s) => ({ ...s })),
          peakScore: best.score,
          noiseScore: noise,
        };
      }
      await snap(step.zUm);
    }
  } catch (err) {
    if (!signal?.aborted) await target.moveToUm(startZUm).catch(() => undefined);
    throw err;
  }
}

/** The next z to image, or the converged peak. */
function nextStep(
  curve: readonly Sample[],
  lo: number,
  hi: number,
  tol: number,
): { done: boolean; zUm: number } {
  const sorted = [...curve].sort((a, b) => a.zUm - b.zUm);
  let ib = 0;
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as Sample).score > (sorted[ib] as Sample).score) ib = i;
  }
  const best = sorted[ib] as Sample;
  const left = sorted[ib - 1];
  const right = sorted[ib + 1];
  const from = left?.zUm ?? lo;
  const to = right?.zUm ?? hi;
  // Three samples around the top (two on one side at an edge of the sampled span).
  const k = Math.min(Math.max(ib - 1, 0), sorted.length - 3);
  const [a, b, c] = [sorted[k], sorted[k + 1], sorted[k + 2]] as [Sample, Sample, Sample];
  let z = lorentzPeak(a, b, c, floorBelow(sorted));
  if (z !== null) z = Math.min(to, Math.max(from, z));

  // Done when the prediction sits on the best image and close images flank it on both
  // sides: a fit from one side alone, with the other neighbour far out in the tail, is
  // biased toward the best image. Otherwise look at the open side, just past the best.
  const near = 8 * tol;
  const leftClose = left !== undefined && best.zUm - left.zUm <= near;
  const rightClose = right !== undefined && right.zUm - best.zUm <= near;
  if (z !== null && Math.abs(z - best.zUm) <= tol / 2) {
    if ((leftClose && rightClose) || to - from <= tol) return { done: true, zUm: z };
    const side = !rightClose && (leftClose || z >= best.zUm) ? 1 : -1;
    const probe = best.zUm + side * Math.max(2 * tol, 2 * Math.abs(z - best.zUm));
    if (probe > from && probe < to) return { done: false, zUm: probe };
    return { done: true, zUm: z };
  }
  const tooClose = (v: number) => sorted.some((s) => Math.abs(s.zUm - v) < tol / 4);
  if (z === null || tooClose(z) || z <= from || z >= to) {
    // Golden-section step into the larger side of the bracket.
    z =
      best.zUm - from > to - best.zUm
        ? best.zUm - GOLDEN * (best.zUm - from)
        : best.zUm + GOLDEN * (to - best.zUm);
    if (to - from <= tol) return { done: true, zUm: best.zUm };
  }
  return { done: false, zUm: z };
}

function bestOf(curve: readonly Sample[]): Sample {
  return curve.reduce((a, b) => (b.score > a.score ? b : a));
}

function checkOptions(o: AutofocusOptions, limits: FocusTarget['limitsUm']) {
  const bad = (what: string) => new ValidationError(`autofocus: ${what}`);
  if (!(Number.isFinite(o.rangeUm) && o.rangeUm > 0))
    throw bad(`rangeUm ${o.rangeUm} is not a positive number`);
  if (!(Number.isFinite(o.toleranceUm) && o.toleranceUm > 0 && o.toleranceUm < o.rangeUm)) {
    throw bad(`toleranceUm ${o.toleranceUm} is not a positive number below rangeUm`);
  }
  if (!FOCUS_MEASURES.includes(o.measure)) {
    throw bad(`unknown focus measure "${String(o.measure)}" (one of ${FOCUS_MEASURES.join(', ')})`);
  }
  const maxImages = o.maxImages ?? 40;
  if (!(Number.isInteger(maxImages) && maxImages > COARSE_POINTS)) {
    throw bad(`maxImages ${maxImages} must be an integer above ${COARSE_POINTS}`);
  }
  const minContrast = o.minContrast ?? 0.05;
  if (!(Number.isFinite(minContrast) && minContrast >= 0))
    throw bad(`minContrast ${minContrast} is not ≥ 0`);
  if (!(Number.isFinite(limits.min) && Number.isFinite(limits.max) && limits.min < limits.max)) {
    throw bad(`Z limits ${limits.min}..${limits.max} µm are not a range`);
  }
  return { ...o, maxImages, minContrast };
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const r: unknown = signal.reason;
  if (r instanceof AquilaError) throw r;
  throw new AquilaError('E_CANCELLED', 'autofocus cancelled');
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}
