/**
 * Focus measures of a 16-bit frame (or an ROI of it): larger is sharper. Each is normalised
 * per pixel pair/sample so ROIs of different sizes compare, and is ≥ 0 except Vollath F4
 * on pure noise (≈ 0, may dip below). Definitions (Groen et al., Cytometry 1985; Santos et
 * al., J. Microsc. 1997; Pertuz et al., Pattern Recognit. 2013):
 * - normalized-variance: variance / mean (0 for a zero frame);
 * - brenner: mean of squared differences two pixels apart, in x and in y;
 * - tenengrad: mean squared Sobel gradient magnitude (Gx² + Gy²);
 * - vollath-f4: mean of I(x)·I(x+1) − I(x)·I(x+2), in x and in y;
 * - laplacian-variance: variance of the 4-neighbour Laplacian.
 */
import type { RoiPx } from '../../../drivers/devices';
import { ValidationError } from '../../../drivers/errors';
import { checkFrame, roiBounds, type Bounds } from './region';

export const FOCUS_MEASURES = [
  'normalized-variance',
  'brenner',
  'tenengrad',
  'vollath-f4',
  'laplacian-variance',
] as const;
export type FocusMeasureName = (typeof FOCUS_MEASURES)[number];

/** Needs a 3×3 neighbourhood at least (Sobel, Laplacian, 2-px differences). */
const MIN_SIDE_PX = 3;

export function focusMeasure(
  name: FocusMeasureName,
  pixels: Uint16Array,
  widthPx: number,
  heightPx: number,
  roi?: RoiPx,
): number {
  checkFrame(pixels, widthPx, heightPx);
  const b = roiBounds(widthPx, heightPx, roi, MIN_SIDE_PX);
  switch (name) {
    case 'normalized-variance':
      return normalizedVariance(pixels, widthPx, b);
    case 'brenner':
      return brenner(pixels, widthPx, b);
    case 'tenengrad':
      return tenengrad(pixels, widthPx, b);
    case 'vollath-f4':
      return vollathF4(pixels, widthPx, b);
    case 'laplacian-variance':
      return laplacianVariance(pixels, widthPx, b);
    default:
      throw new ValidationError(
        `unknown focus measure "${String(name)}" (one of ${FOCUS_MEASURES.join(', ')})`,
      );
  }
}

function normalizedVariance(p: Uint16Array, w: number, b: Bounds): number {
  let sum = 0;
  let sum2 = 0;
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * w;
    for (let i = row + b.x0, end = row + b.x1; i < end; i++) {
      const v = p[i] as number;
      sum += v;
      sum2 += v * v;
    }
  }
  const n = (b.x1 - b.x0) * (b.y1 - b.y0);
  const mean = sum / n;
  return mean > 0 ? Math.max(0, sum2 / n - mean * mean) / mean : 0;
}

function brenner(p: Uint16Array, w: number, b: Bounds): number {
  let sum = 0;
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * w;
    const below = y + 2 < b.y1;
    for (let x = b.x0; x < b.x1; x++) {
      const i = row + x;
      const v = p[i] as number;
      if (x + 2 < b.x1) {
        const d = (p[i + 2] as number) - v;
        sum += d * d;
        n++;
      }
      if (below) {
        const d = (p[i + 2 * w] as number) - v;
        sum += d * d;
        n++;
      }
    }
  }
  return sum / n;
}

function tenengrad(p: Uint16Array, w: number, b: Bounds): number {
  let sum = 0;
  for (let y = b.y0 + 1; y < b.y1 - 1; y++) {
    const r = y * w;
    for (let x = b.x0 + 1; x < b.x1 - 1; x++) {
      const i = r + x;
      const a = p[i - w - 1] as number;
      const c = p[i - w + 1] as number;
      const g = p[i + w - 1] as number;
      const k = p[i + w + 1] as number;
      const gx = c + 2 * (p[i + 1] as number) + k - a - 2 * (p[i - 1] as number) - g;
      const gy = g + 2 * (p[i + w] as number) + k - a - 2 * (p[i - w] as number) - c;
      sum += gx * gx + gy * gy;
    }
  }
  return sum / ((b.x1 - b.x0 - 2) * (b.y1 - b.y0 - 2));
}

function vollathF4(p: Uint16Array, w: number, b: Bounds): number {
  let sum = 0;
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * w;
    for (let i = row + b.x0, end = row + b.x1 - 2; i < end; i++) {
      const v = p[i] as number;
      sum += v * ((p[i + 1] as number) - (p[i + 2] as number));
    }
    n += b.x1 - b.x0 - 2;
  }
  for (let y = b.y0; y < b.y1 - 2; y++) {
    const row = y * w;
    for (let i = row + b.x0, end = row + b.x1; i < end; i++) {
      const v = p[i] as number;
      sum += v * ((p[i + w] as number) - (p[i + 2 * w] as number));
    }
    n += b.x1 - b.x0;
  }
  return sum / n;
}

function laplacianVariance(p: Uint16Array, w: number, b: Bounds): number {
  let sum = 0;
  let sum2 = 0;
  for (let y = b.y0 + 1; y < b.y1 - 1; y++) {
    const r = y * w;
    for (let i = r + b.x0 + 1, end = r + b.x1 - 1; i < end; i++) {
      const l =
        (p[i - 1] as number) +
        (p[i + 1] as number) +
        (p[i - w] as number) +
        (p[i + w] as number) -
        4 * (p[i] as number);
      sum += l;
      sum2 += l * l;
    }
  }
  const n = (b.x1 - b.x0 - 2) * (b.y1 - b.y0 - 2);
  const mean = sum / n;
  return Math.max(0, sum2 / n - mean * mean);
}
