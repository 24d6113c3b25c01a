/**
 * Subsampled intensity histogram of a uint16 frame, for auto-contrast and the histogram
 * plot. Sampling takes every `stride`-th pixel so a 2048×2048 frame costs ~64k reads.
 */
export interface Histogram {
  /** counts[i] covers values [i·binWidth, (i+1)·binWidth). */
  counts: Uint32Array;
  binWidth: number;
  /** Exclusive upper bound of the value range: 2^bitDepth. */
  rangeMax: number;
  samples: number;
  minValue: number;
  maxValue: number;
}

export const DEFAULT_MAX_SAMPLES = 65_536;

export function histogramBins(bitDepth: number, bins = 4096): { bins: number; binWidth: number } {
  const depth = Math.min(16, Math.max(1, Math.round(bitDepth)));
  const rangeMax = 2 ** depth;
  const count = Math.min(bins, rangeMax);
  return { bins: count, binWidth: rangeMax / count };
}

/** `target` is reused when it has the right number of bins (zeroed here). */
export function computeHistogram(
  pixels: Uint16Array,
  bitDepth: number,
  maxSamples = DEFAULT_MAX_SAMPLES,
  target?: Uint32Array,
): Histogram {
  const { bins, binWidth } = histogramBins(bitDepth);
  const counts = target && target.length === bins ? target : new Uint32Array(bins);
  counts.fill(0);
  const stride = Math.max(1, Math.ceil(pixels.length / Math.max(1, maxSamples)));
  const shift = Math.log2(binWidth);
  const last = bins - 1;
  let samples = 0;
  let minValue = Infinity;
  let maxValue = -Infinity;
  for (let i = 0; i < pixels.length; i += stride) {
    const v = pixels[i] as number;
    const bin = v >> shift;
    counts[bin > last ? last : bin]! += 1;
    if (v < minValue) minValue = v;
    if (v > maxValue) maxValue = v;
    samples++;
  }
  if (samples === 0) {
    minValue = 0;
    maxValue = 0;
  }
  return { counts, binWidth, rangeMax: bins * binWidth, samples, minValue, maxValue };
}

/** Sums adjacent bins down to `outBins` for plotting. */
export function rebin(counts: Uint32Array, outBins: number): Uint32Array {
  const out = new Uint32Array(outBins);
  const factor = counts.length / outBins;
  for (let i = 0; i < counts.length; i++) {
    const o = Math.min(outBins - 1, Math.floor(i / factor));
    out[o]! += counts[i]!;
  }
  return out;
}
