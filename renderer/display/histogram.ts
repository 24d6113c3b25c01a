import type { WireHistogram } from '../../electron/api/frame-view';

/**
 * Intensity histogram of a uint16 frame, for auto-contrast and the histogram plot: the
 * renderer subsamples a full frame (every `stride`-th pixel, ~64k reads for 2048²); the host
 * bins every pixel of the full frame for a reduced view (electron/remote/view-pyramid.ts imports this module) and
 * sends it with the frame (WireHistogram), so auto-contrast stays exact for a fitted view.
 */
export interface Histogram {
  /** counts[i] covers values [i·binWidth, (i+1)·binWidth). */
  counts: Uint32Array;
  binWidth: number;
  /** Exclusive upper bound of the binned range (see histogramRange). */
  rangeMax: number;
  samples: number;
  minValue: number;
  maxValue: number;
}

export const DEFAULT_MAX_SAMPLES = 65_536;

export const MAX_BINS = 4096;
const MIN_RANGE = 256;

/**
 * Bins for values below `rangeMax` (a power of two): at most MAX_BINS, each a power of
 * two wide so a value's bin is a shift.
 */
export function histogramBins(rangeMax: number): { bins: number; binWidth: number } {
  const count = Math.min(MAX_BINS, rangeMax);
  return { bins: count, binWidth: rangeMax / count };
}

/**
 * The histogram range adapts to the data: the smallest power of two above the sampled
 * maximum (at least 256, at most 2^bitDepth), so a dim 16-bit image still gets 1-value
 * bins and a usable plot.
 */
export function histogramRange(maxValue: number, bitDepth: number): number {
  const depthMax = 2 ** Math.min(16, Math.max(1, Math.round(bitDepth)));
  let range = MIN_RANGE;
  while (range <= maxValue && range < 65536) range *= 2;
  return Math.min(range, Math.max(depthMax, MIN_RANGE));
}

/** `target` is reused when it has the right number of bins (zeroed here). */
export function computeHistogram(
  pixels: Uint16Array,
  bitDepth: number,
  maxSamples = DEFAULT_MAX_SAMPLES,
  target?: Uint32Array,
): Histogram {
  const stride = Math.max(1, Math.ceil(pixels.length / Math.max(1, maxSamples)));
  let samples = 0;
  let minValue = Infinity;
  let maxValue = -Infinity;
  for (let i = 0; i < pixels.length; i += stride) {
    const v = pixels[i] as number;
    if (v < minValue) minValue = v;
    if (v > maxValue) maxValue = v;
    samples++;
  }
  if (samples === 0) {
    minValue = 0;
    maxValue = 0;
  }
  const { bins, binWidth } = histogramBins(histogramRange(maxValue, bitDepth));
  const counts = target && target.length === bins ? target : new Uint32Array(bins);
  counts.fill(0);
  const shift = Math.log2(binWidth);
  const last = bins - 1;
  for (let i = 0; i < pixels.length; i += stride) {
    const bin = (pixels[i] as number) >> shift;
    counts[bin > last ? last : bin]! += 1;
  }
  return { counts, binWidth, rangeMax: bins * binWidth, samples, minValue, maxValue };
}

/**
 * The histogram of every pixel (computeHistogram with no subsampling, same result) in one
 * pass: a count per uint16 value, folded into the bins afterwards.
 */
export function fullHistogram(pixels: Uint16Array, bitDepth: number): Histogram {
  const byValue = new Uint32Array(65536);
  for (let i = 0; i < pixels.length; i++) byValue[pixels[i]!]!++;
  return histogramOfValueCounts(byValue, pixels.length, bitDepth);
}

/** fullHistogram from its first pass: `byValue[v]` pixels of value v, `samples` in all. */
export function histogramOfValueCounts(
  byValue: Uint32Array,
  samples: number,
  bitDepth: number,
): Histogram {
  let minValue = 0;
  let maxValue = 0;
  if (samples > 0) {
    while (byValue[minValue] === 0) minValue++;
    maxValue = 65535;
    while (byValue[maxValue] === 0) maxValue--;
  }
  const { bins, binWidth } = histogramBins(histogramRange(maxValue, bitDepth));
  const counts = new Uint32Array(bins);
  const shift = Math.log2(binWidth);
  const last = bins - 1;
  for (let v = minValue; v <= maxValue; v++) {
    const n = byValue[v]!;
    if (n === 0) continue;
    const bin = v >> shift;
    counts[bin > last ? last : bin]! += n;
  }
  return { counts, binWidth, rangeMax: bins * binWidth, samples, minValue, maxValue };
}

/** The occupied span of bins: the header fields of WireHistogram (but its byte length) and the counts. */
export function histogramToWire(h: Histogram): {
  head: Omit<WireHistogram, 'bytes'>;
  counts: Uint32Array;
} {
  let first = 0;
  while (first < h.counts.length && h.counts[first] === 0) first++;
  let end = h.counts.length;
  while (end > first && h.counts[end - 1] === 0) end--;
  const { binWidth, rangeMax, samples, minValue, maxValue } = h;
  const counts = h.counts.slice(first, end);
  const head = {
    binWidth,
    rangeMax,
    samples,
    minValue,
    maxValue,
    firstBin: first,
    bins: counts.length,
  };
  return { head, counts };
}

/** Inverse of histogramToWire; throws on a histogram that does not fit its own range. */
export function histogramFromWire(w: Omit<WireHistogram, 'bytes'>, sent: Uint32Array): Histogram {
  const bins = w.rangeMax / w.binWidth;
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) {
    throw new Error(
      `histogram: rangeMax ${w.rangeMax} / binWidth ${w.binWidth} is not 1..${MAX_BINS} bins`,
    );
  }
  if (
    !Number.isInteger(w.firstBin) ||
    w.firstBin < 0 ||
    w.bins !== sent.length ||
    w.firstBin + sent.length > bins
  ) {
    throw new Error(
      `histogram: bins ${w.firstBin}..${w.firstBin + sent.length} (header says ${w.bins}) outside 0..${bins}`,
    );
  }
  const counts = new Uint32Array(bins);
  counts.set(sent, w.firstBin);
  const { binWidth, rangeMax, samples, minValue, maxValue } = w;
  return { counts, binWidth, rangeMax, samples, minValue, maxValue };
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
