/**
 * Gaussian smoothing of a 16-bit frame into floats by a cascade of three box filters per
 * axis (running sums: cost independent of sigma; widths per Wells, IEEE PAMI 1986 /
 * Kovesi, DICTA 2010, matching the Gaussian's variance). Edges replicate the border pixel.
 * Flux is conserved away from the borders, so intensity-weighted centroids and integrals
 * of smoothed objects match the raw ones.
 */

/** Box half-widths r (box width 2r + 1) of an n-box cascade whose variance is sigma². */
export function boxRadii(sigmaPx: number, n = 3): number[] {
  if (!(sigmaPx > 0)) return [];
  const ideal = Math.sqrt((12 * sigmaPx * sigmaPx) / n + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigmaPx * sigmaPx - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(((i < m ? wl : wu) - 1) / 2);
  return out.filter((r) => r > 0);
}

/** Smooths `src` (w × h) into `out` (allocated when absent); sigma ≤ 0 copies. */
export function gaussianSmooth(
  src: Uint16Array,
  w: number,
  h: number,
  sigmaPx: number,
  out: Float32Array = new Float32Array(w * h),
): Float32Array {
  out.set(src);
  return smoothFloat(out, w, h, sigmaPx, out);
}

/** Smooths float `src` into `out` (which may be `src`). */
function smoothFloat(
  src: Float32Array,
  w: number,
  h: number,
  sigmaPx: number,
  out: Float32Array,
): Float32Array {
  const radii = boxRadii(sigmaPx);
  if (radii.length === 0) {
    if (out !== src) out.set(src);
    return out;
  }
  const a = new Float32Array(w);
  const b = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    a.set(src.subarray(row, row + w));
    let from = a;
    let to = b;
    for (const r of radii) {
      boxLine(from, to, w, r);
      [from, to] = [to, from];
    }
    out.set(from, row);
  }
  const tmp = new Float32Array(w * h);
  let from: Float32Array = out;
  let to: Float32Array = tmp;
  for (const r of radii) {
    boxColumns(from, to, w, h, r);
    [from, to] = [to, from];
  }
  if (from !== out) out.set(from);
  return out;
}

/** One box pass along a line of n samples (replicated edges). */
function boxLine(src: Float32Array, dst: Float32Array, n: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  const last = n - 1;
  let sum = (r + 1) * (src[0] as number);
  for (let i = 1; i <= r; i++) sum += src[Math.min(i, last)] as number;
  // Edges clamp; the interior [r, n − r − 1) needs no index checks.
  const lo = Math.min(r, n);
  const hi = Math.max(lo, n - r - 1);
  let x = 0;
  for (; x < lo; x++) {
    dst[x] = sum * norm;
    sum += (src[Math.min(x + r + 1, last)] as number) - (src[0] as number);
  }
  for (; x < hi; x++) {
    dst[x] = sum * norm;
    sum += (src[x + r + 1] as number) - (src[x - r] as number);
  }
  for (; x < n; x++) {
    dst[x] = sum * norm;
    sum += (src[last] as number) - (src[Math.max(x - r, 0)] as number);
  }
}

/** One box pass down every column at once, a row at a time (cache-friendly). */
function boxColumns(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  const last = h - 1;
  const acc = new Float64Array(w);
  for (let x = 0; x < w; x++) acc[x] = (r + 1) * (src[x] as number);
  for (let i = 1; i <= r; i++) {
    const row = Math.min(i, last) * w;
    for (let x = 0; x < w; x++) acc[x] = (acc[x] as number) + (src[row + x] as number);
  }
  for (let y = 0; y < h; y++) {
    const out = y * w;
    const add = Math.min(y + r + 1, last) * w;
    const sub = Math.max(y - r, 0) * w;
    for (let x = 0; x < w; x++) {
      const s = acc[x] as number;
      dst[out + x] = s * norm;
      acc[x] = s + (src[add + x] as number) - (src[sub + x] as number);
    }
  }
}

export interface Smoothed {
  img: Float32Array;
  widthPx: number;
  heightPx: number;
  /** Frame pixels per smoothed pixel along each axis (1, 2 or 4). */
  factor: number;
}

/**
 * Gaussian smoothing with sigmaPx (frame pixels), on a frame binned first when the kernel
 * is wide enough that binning loses little the smoothing would keep — 2× from sigma 2 px,
 * 4× from sigma 8 px (≥ 2 binned px; at 4–5 px, 4× bins scattered centroids by 0.3 px) —
 * so every later step sees 4× or 16× fewer samples. Each smoothed sample is
 * the mean of its bin (partial bins at the right and bottom edges average what they hold),
 * so values stay in ADU per frame pixel; binned pixel (I, J) covers frame pixels
 * [f·I, f·I + f) × [f·J, f·J + f).
 */
export function smoothForAnalysis(
  src: Uint16Array,
  w: number,
  h: number,
  sigmaPx: number,
): Smoothed {
  const factor = sigmaPx >= 8 ? 4 : sigmaPx >= 2 ? 2 : 1;
  if (factor === 1)
    return { img: gaussianSmooth(src, w, h, sigmaPx), widthPx: w, heightPx: h, factor };
  const bw = Math.ceil(w / factor);
  const bh = Math.ceil(h / factor);
  const binned = new Float32Array(bw * bh);
  const whole = w - (w % factor);
  for (let y = 0; y < h; y++) {
    const orow = ((y / factor) | 0) * bw;
    const row = y * w;
    let o = orow;
    for (let x = 0; x < whole; x += factor, o++) {
      let sum = 0;
      for (let k = row + x, end = k + factor; k < end; k++) sum += src[k] as number;
      binned[o] = (binned[o] as number) + sum;
    }
    for (let x = whole; x < w; x++) binned[o] = (binned[o] as number) + (src[row + x] as number);
  }
  for (let by = 0; by < bh; by++) {
    const ny = Math.min(factor, h - by * factor);
    for (let bx = 0; bx < bw; bx++) {
      const nx = Math.min(factor, w - bx * factor);
      binned[by * bw + bx] = (binned[by * bw + bx] as number) / (nx * ny);
    }
  }
  // The bin is itself a box of variance (f² − 1)/12 frame px²; smooth by what remains.
  const rest = Math.sqrt(Math.max(0, sigmaPx * sigmaPx - (factor * factor - 1) / 12)) / factor;
  const img = new Float32Array(bw * bh);
  smoothFloat(binned, bw, bh, rest, img);
  return { img, widthPx: bw, heightPx: bh, factor };
}
