/**
 * The live view's histogram: the shared binning (electron/api/frame-histogram.ts) and the
 * plot's rebinning.
 */
export {
  computeHistogram,
  DEFAULT_MAX_SAMPLES,
  histogramBins,
  histogramFromWire,
  histogramRange,
  MAX_BINS,
  type Histogram,
} from '../../electron/api/frame-histogram';

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
