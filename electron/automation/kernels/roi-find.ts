/**
 * ROI finding on one 16-bit frame: smooth (Gaussian), subtract the background (coarse
 * opening), threshold (Otsu or triangle, floored at a multiple of the measured background
 * noise, or a fixed value above background), label connected
 * components, filter and rank. Every intensity is in ADU above the estimated background of
 * the smoothed frame. Coordinates: pixel (i, j) is centred at (i, j), as
 * electron/automation/pixel-to-stage.ts maps them to the stage.
 */
import type { RoiPx } from '../../../drivers/devices';
import { ValidationError } from '../../../drivers/errors';
import { subtractBackground } from './background';
import { labelImage, measureComponents, type Component } from './components';
import { splitTouching } from './split';
import { checkFrame } from './region';
import { smoothForAnalysis } from './smooth';
import { backgroundStats, histogram, otsuThreshold, triangleThreshold } from './thresholds';

export interface RoiFindOptions {
  /** Default 'otsu'. A `value` is in ADU above background. */
  threshold?: 'otsu' | 'triangle' | { value: number };
  /**
   * Floor under the automatic thresholds, in standard deviations of the smoothed
   * background's noise (measured on the frame). Default 4: a field with no objects yields
   * no ROIs. Not applied to a `value` threshold.
   */
  minSigmas?: number;
  /**
   * Hysteresis: objects are the regions above `hysteresis` × the threshold that reach the
   * threshold somewhere — dim parts of an object stay attached to its bright parts, noise
   * that never reaches the threshold is dropped. 0..1; default 1 (a single threshold).
   */
  hysteresis?: number;
  /**
   * Split regions of touching round objects at their necks (distance-transform markers,
   * see split.ts). Default false.
   */
  split?: boolean;
  /** Block size of the background estimate; larger than the objects. Default 64; 0: none. */
  backgroundRadiusPx?: number;
  /** Default 2; 0: no smoothing. From 2 px (8 px) the frame is binned 2× (4×) first. */
  smoothSigmaPx?: number;
  /** Default 16. */
  minAreaPx?: number;
  /** Default unlimited. */
  maxAreaPx?: number;
  /** 4π·area / perimeter², 0..1 (1: a disc). Default 0. */
  minCircularity?: number;
  /** ADU above background. Default: no minimum. */
  minMeanIntensity?: number;
  /** Minimum gap between an ROI's bounding box and the frame edge, px. Default 0. */
  edgeMarginPx?: number;
  /**
   * Largest allowed overlap of a ROI's bounding box with a better-ranked kept one, as a
   * fraction of the smaller box (0: boxes must not touch; 1: no overlap filter, default).
   */
  maxOverlap?: number;
  /** Default unlimited. */
  maxCount?: number;
}

export interface FoundRoi {
  /** Intensity-weighted centroid, sub-pixel; pixel (i, j) is centred at (i, j). */
  xPx: number;
  yPx: number;
  areaPx: number;
  /** Mean ADU above background over the ROI's pixels. */
  meanIntensity: number;
  /** Σ ADU above background over the ROI's pixels. */
  integratedIntensity: number;
  /** 4π·area / perimeter² (perimeter: exposed pixel edges × π/4, unbiased for round shapes). */
  circularity: number;
  bbox: RoiPx;
  /** Ranking key: integratedIntensity × circularity. */
  score: number;
}

export function findRois(
  pixels: Uint16Array,
  widthPx: number,
  heightPx: number,
  options: RoiFindOptions = {},
): FoundRoi[] {
  checkFrame(pixels, widthPx, heightPx);
  const o = checkOptions(options);
  const {
    img,
    widthPx: bw,
    heightPx: bh,
    factor: f,
  } = smoothForAnalysis(pixels, widthPx, heightPx, o.smoothSigmaPx);
  if (o.backgroundRadiusPx > 0) subtractBackground(img, bw, bh, o.backgroundRadiusPx / f);
  // Zero = the background level from here on (the opening leaves an offset under the noise).
  const bg = backgroundStats(img);
  for (let i = 0; i < img.length; i++) img[i] = (img[i] as number) - bg.level;
  const floor = o.minSigmas * bg.sigma;
  const t =
    o.threshold === 'otsu'
      ? Math.max(floor, otsuThreshold(histogram(img)))
      : o.threshold === 'triangle'
        ? Math.max(floor, triangleThreshold(histogram(img)))
        : o.threshold.value;

  const kept: FoundRoi[] = [];
  const low = t * o.hysteresis;
  const labelled = labelImage(img, bw, bh, low);
  let count = labelled.count;
  if (o.split) {
    // Objects smaller than minAreaPx are not kept, so neither are their markers.
    const minRadius = Math.max(2, Math.sqrt(o.minAreaPx / Math.PI) / f / 2);
    count = splitTouching(labelled.labels, count, bw, bh, minRadius);
  }
  for (const c of measureComponents(img, bw, bh, labelled.labels, count, low)) {
    if (!(c.peak > t)) continue;
    const roi = toRoi(c, f, widthPx, heightPx);
    if (roi.areaPx < o.minAreaPx || roi.areaPx > o.maxAreaPx) continue;
    if (roi.circularity < o.minCircularity || roi.meanIntensity < o.minMeanIntensity) continue;
    const m = o.edgeMarginPx;
    const b = roi.bbox;
    if (b.xPx < m || b.yPx < m || b.xPx + b.widthPx > widthPx - m) continue;
    if (b.yPx + b.heightPx > heightPx - m) continue;
    kept.push(roi);
  }
  kept.sort((a, b) => b.score - a.score);
  const out: FoundRoi[] = [];
  for (const r of kept) {
    if (out.length >= o.maxCount) break;
    if (o.maxOverlap < 1 && out.some((k) => overlap(k.bbox, r.bbox) > o.maxOverlap)) continue;
    out.push(r);
  }
  return out;
}

/** A component of the f×-binned image, in frame pixels (w × h frame). */
function toRoi(c: Component, f: number, w: number, h: number): FoundRoi {
  const areaPx = c.areaPx * f * f;
  const integrated = c.integrated * f * f;
  const perimeter = (c.exposedEdges * f * Math.PI) / 4;
  const circularity = Math.min(1, (4 * Math.PI * areaPx) / (perimeter * perimeter));
  const x0 = c.x0 * f;
  const y0 = c.y0 * f;
  return {
    // Binned pixel I covers frame pixels f·I … f·I + f − 1.
    xPx: c.xPx * f + (f - 1) / 2,
    yPx: c.yPx * f + (f - 1) / 2,
    areaPx,
    meanIntensity: integrated / areaPx,
    integratedIntensity: integrated,
    circularity,
    bbox: {
      xPx: x0,
      yPx: y0,
      widthPx: Math.min(w, c.x1 * f) - x0,
      heightPx: Math.min(h, c.y1 * f) - y0,
    },
    score: integrated * circularity,
  };
}

/** Intersection of two boxes over the smaller one's area; touching boxes count as > 0. */
function overlap(a: RoiPx, b: RoiPx): number {
  const w = Math.min(a.xPx + a.widthPx, b.xPx + b.widthPx) - Math.max(a.xPx, b.xPx);
  const h = Math.min(a.yPx + a.heightPx, b.yPx + b.heightPx) - Math.max(a.yPx, b.yPx);
  if (w < 0 || h < 0) return 0;
  const inter = Math.max(w, 1e-9) * Math.max(h, 1e-9);
  return inter / Math.min(a.widthPx * a.heightPx, b.widthPx * b.heightPx);
}

type Checked = Required<Omit<RoiFindOptions, 'threshold' | 'split'>> & {
  split: boolean;
  threshold: NonNullable<RoiFindOptions['threshold']>;
};

function checkOptions(o: RoiFindOptions): Checked {
  const c: Checked = {
    threshold: o.threshold ?? 'otsu',
    minSigmas: o.minSigmas ?? 4,
    hysteresis: o.hysteresis ?? 1,
    split: o.split ?? false,
    backgroundRadiusPx: o.backgroundRadiusPx ?? 64,
    smoothSigmaPx: o.smoothSigmaPx ?? 2,
    minAreaPx: o.minAreaPx ?? 16,
    maxAreaPx: o.maxAreaPx ?? Infinity,
    minCircularity: o.minCircularity ?? 0,
    minMeanIntensity: o.minMeanIntensity ?? -Infinity,
    edgeMarginPx: o.edgeMarginPx ?? 0,
    maxOverlap: o.maxOverlap ?? 1,
    maxCount: o.maxCount ?? Infinity,
  };
  const t = c.threshold;
  if (t !== 'otsu' && t !== 'triangle' && !(typeof t === 'object' && Number.isFinite(t.value))) {
    throw new ValidationError(
      `ROI threshold ${JSON.stringify(t)} is not 'otsu', 'triangle' or { value: <ADU> }`,
    );
  }
  const ranges: [keyof Checked, number, number][] = [
    ['minSigmas', 0, 1000],
    ['hysteresis', 0, 1],
    ['backgroundRadiusPx', 0, 4096],
    ['smoothSigmaPx', 0, 64],
    ['minAreaPx', 0, Infinity],
    ['maxAreaPx', 0, Infinity],
    ['minCircularity', 0, 1],
    ['edgeMarginPx', 0, Infinity],
    ['maxOverlap', 0, 1],
    ['maxCount', 0, Infinity],
  ];
  for (const [key, lo, hi] of ranges) {
    const v = c[key] as number;
    if (typeof v !== 'number' || Number.isNaN(v) || v < lo || v > hi) {
      throw new ValidationError(`ROI option ${key} = ${String(v)} is outside ${lo}..${hi}`);
    }
  }
  if (Number.isNaN(c.minMeanIntensity)) {
    throw new ValidationError('ROI option minMeanIntensity is not a number');
  }
  return c;
}
