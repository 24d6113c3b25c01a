/**
 * Block mean of a 16-bit image by an integer factor: each output pixel is the mean of the
 * factor × factor pixels it covers (fewer at the right and bottom edges when the size is not
 * a multiple). Pure; used by the host's mosaic feed (electron/host/mosaic-feed.ts).
 */
export function blockMean(
  pixels: Uint16Array,
  widthPx: number,
  heightPx: number,
  factor: number,
): { widthPx: number; heightPx: number; pixels: Uint16Array } {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`block mean: factor must be a positive integer, got ${factor}`);
  }
  if (pixels.length < widthPx * heightPx) {
    throw new RangeError(`block mean: ${pixels.length} pixels for a ${widthPx}×${heightPx} image`);
  }
  const w = Math.ceil(widthPx / factor);
  const h = Math.ceil(heightPx / factor);
  const sums = new Float64Array(w * h);
  const counts = new Uint32Array(w * h);
  for (let r = 0; r < heightPx; r++) {
    const o = Math.floor(r / factor) * w;
    const row = r * widthPx;
    for (let c = 0; c < widthPx; c++) {
      const k = o + Math.floor(c / factor);
      sums[k]! += pixels[row + c]!;
      counts[k]!++;
    }
  }
  const out = new Uint16Array(w * h);
  for (let k = 0; k < out.length; k++) out[k] = Math.round(sums[k]! / counts[k]!);
  return { widthPx: w, heightPx: h, pixels: out };
}
