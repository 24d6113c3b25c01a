/**
 * The signal of an ROI in one frame: mean of a square of half-size `radiusPx` around
 * (xPx, yPx), minus the frame's background (20th percentile of a ~4096-pixel sample of the
 * whole frame: camera offset plus diffuse light). Cheap enough for the host thread.
 */
const BACKGROUND_SAMPLES = 4096;
const BACKGROUND_PERCENTILE = 0.2;

export function frameBackground(pixels: Uint16Array): number {
  const stride = Math.max(1, Math.floor(pixels.length / BACKGROUND_SAMPLES));
  const first = stride >> 1;
  const sample = new Uint16Array(Math.max(0, Math.ceil((pixels.length - first) / stride)));
  for (let k = 0, i = first; k < sample.length; k++, i += stride) sample[k] = pixels[i] ?? 0;
  sample.sort(); // typed: numeric, no comparator calls
  return sample[Math.floor(sample.length * BACKGROUND_PERCENTILE)] ?? 0;
}

export function roiSignal(
  pixels: Uint16Array,
  widthPx: number,
  heightPx: number,
  at: { xPx: number; yPx: number },
  radiusPx: number,
): number {
  const cx = Math.round(at.xPx);
  const cy = Math.round(at.yPx);
  const x0 = Math.max(0, cx - radiusPx);
  const x1 = Math.min(widthPx - 1, cx + radiusPx);
  const y0 = Math.max(0, cy - radiusPx);
  const y1 = Math.min(heightPx - 1, cy + radiusPx);
  if (x1 < x0 || y1 < y0) return 0;
  let sum = 0;
  for (let y = y0; y <= y1; y++) {
    const row = y * widthPx;
    for (let x = x0; x <= x1; x++) sum += pixels[row + x] ?? 0;
  }
  return sum / ((x1 - x0 + 1) * (y1 - y0 + 1)) - frameBackground(pixels);
}

/** Default half-size of the signal square: the radius of a disc of the ROI's area, at least 2 px. */
export function signalRadiusFor(areaPx: number): number {
  return Math.max(2, Math.round(Math.sqrt(areaPx / Math.PI)));
}
