/**
 * Automatic thresholds on a histogram of float samples:
 * - Otsu (IEEE SMC 1979): maximises the between-class variance;
 * - triangle (Zack et al., J. Histochem. Cytochem. 1977): the bin farthest from the line
 *   joining the histogram peak to the far end of its longer tail; suits a dominant
 *   background with few bright objects (sparse cells, beads).
 * Both return a value in sample units; samples above it are foreground.
 * `backgroundStats` gives the level and noise that floor them: on a mostly empty field both
 * would otherwise cut into the noise itself.
 */

export interface Histogram {
  counts: Float64Array;
  /** Lower edge of bin 0 and width of every bin. */
  min: number;
  binWidth: number;
}

export function histogram(values: Float32Array, bins = 4096): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Float64Array(bins);
  if (!(max > min)) {
    counts[0] = values.length;
    return { counts, min: Number.isFinite(min) ? min : 0, binWidth: 1 };
  }
  const binWidth = (max - min) / bins;
  const scale = 1 / binWidth;
  const last = bins - 1;
  for (let i = 0; i < values.length; i++) {
    const k = ((values[i] as number) - min) * scale;
    const bin = k >= last ? last : k | 0;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return { counts, min, binWidth };
}

/** Value at the upper edge of bin k. */
function edge(h: Histogram, k: number): number {
  return h.min + (k + 1) * h.binWidth;
}

export function otsuThreshold(h: Histogram): number {
  const c = h.counts;
  let total = 0;
  let sumAll = 0;
  for (let k = 0; k < c.length; k++) {
    total += c[k] as number;
    sumAll += k * (c[k] as number);
  }
  let w0 = 0;
  let sum0 = 0;
  let best = -1;
  let bestFrom = 0;
  let bestTo = 0;
  for (let k = 0; k < c.length - 1; k++) {
    w0 += c[k] as number;
    sum0 += k * (c[k] as number);
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const d = sum0 / w0 - (sumAll - sum0) / w1;
    const between = w0 * w1 * d * d;
    if (between > best * (1 + 1e-12)) {
      best = between;
      bestFrom = k;
      bestTo = k;
    } else if (between >= best * (1 - 1e-12) && bestTo === k - 1) {
      bestTo = k; // empty bins between the classes: the same split, take the gap's middle
    }
  }
  return edge(h, (bestFrom + bestTo) / 2);
}

export function triangleThreshold(h: Histogram): number {
  const c = h.counts;
  let first = 0;
  while (first < c.length - 1 && c[first] === 0) first++;
  let last = c.length - 1;
  while (last > 0 && c[last] === 0) last--;
  let peak = first;
  for (let k = first; k <= last; k++) if ((c[k] as number) > (c[peak] as number)) peak = k;
  // Work on the longer tail; the threshold lies between the peak and its end.
  const towardHigh = last - peak >= peak - first;
  const end = towardHigh ? last : first;
  const px = peak;
  const py = c[peak] as number;
  const dx = end - px;
  const dy = (c[end] as number) - py;
  const norm = Math.hypot(dx, dy) || 1;
  let best = -1;
  let bestK = peak;
  const step = towardHigh ? 1 : -1;
  for (let k = peak; k !== end + step; k += step) {
    // Signed distance from (k, c[k]) to the peak–end line, positive below it (a tail).
    const d = (dy * (k - px) - dx * ((c[k] as number) - py)) / norm;
    const dist = towardHigh ? d : -d;
    if (dist > best) {
      best = dist;
      bestK = k;
    }
  }
  return towardHigh ? edge(h, bestK) : edge(h, bestK - 1);
}

/**
 * Background level and noise of an image whose objects are brighter than its background:
 * the median and the median − 15.87th percentile (one sigma for Gaussian noise, from the
 * lower side only, which objects do not reach), from a strided sample of ~16 384 values.
 */
export function backgroundStats(values: Float32Array): { level: number; sigma: number } {
  const stride = Math.max(1, Math.floor(values.length / 16_384));
  const sample = new Float32Array(Math.ceil(values.length / stride));
  for (let i = 0, k = 0; i < values.length; i += stride, k++) sample[k] = values[i] as number;
  sample.sort();
  const at = (q: number) =>
    sample[Math.min(sample.length - 1, Math.floor(q * sample.length))] as number;
  const level = at(0.5);
  return { level, sigma: level - at(0.1587) };
}
