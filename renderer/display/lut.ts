/**
 * Display window (min/max/gamma) maths shared by the shader, the pixel readout and the
 * tests (and the host's lut8 codec, electron/remote/view-pyramid.ts). A raw value v maps to t = clamp((v − min)/(max − min), 0, 1)^gamma, then
 * through the colour map. The shader in `live-shaders.ts` implements the same formula.
 */
import type { DisplayWindow } from '../../electron/api/frame-view';
import type { Histogram } from './histogram';

export type { DisplayWindow };

export const GAMMA_MIN = 0.1;
export const GAMMA_MAX = 5;

export function windowValue(v: number, w: DisplayWindow): number {
  const span = Math.max(w.max - w.min, 1e-6);
  const t = Math.min(1, Math.max(0, (v - w.min) / span));
  return Math.pow(t, w.gamma);
}

/** Normalises a user-entered window: max > min, values inside [0, rangeMax]. */
export function clampWindow(w: DisplayWindow, rangeMax: number): DisplayWindow {
  const top = Math.max(1, rangeMax - 1);
  let min = Math.round(Math.min(Math.max(w.min, 0), top - 1));
  let max = Math.round(Math.min(Math.max(w.max, 0), top));
  if (max <= min) {
    if (min >= top) min = top - 1;
    max = min + 1;
  }
  const gamma = Number.isFinite(w.gamma) ? Math.min(GAMMA_MAX, Math.max(GAMMA_MIN, w.gamma)) : 1;
  return { min, max, gamma };
}

/**
 * Auto-contrast: the window between the `saturatedPct`/2 lower and upper percentiles of
 * the histogram (so that fraction of sampled pixels saturates, split evenly), rounded
 * outward to bin edges and tightened to the sampled min/max.
 */
export function autoContrast(h: Histogram, saturatedPct = 0.35): { min: number; max: number } {
  if (h.samples === 0) return { min: 0, max: Math.max(1, h.rangeMax - 1) };
  const tail = Math.floor((h.samples * Math.min(Math.max(saturatedPct, 0), 50)) / 200);
  let lowBin = 0;
  let acc = 0;
  for (; lowBin < h.counts.length; lowBin++) {
    acc += h.counts[lowBin]!;
    if (acc > tail) break;
  }
  let highBin = h.counts.length - 1;
  acc = 0;
  for (; highBin >= 0; highBin--) {
    acc += h.counts[highBin]!;
    if (acc > tail) break;
  }
  let min = Math.max(lowBin * h.binWidth, h.minValue);
  let max = Math.min((highBin + 1) * h.binWidth - 1, h.maxValue);
  if (max <= min) {
    min = Math.min(min, h.rangeMax - 2);
    max = min + 1;
  }
  return { min, max };
}
