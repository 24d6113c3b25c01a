/**
 * Translation between two frames by phase correlation (Kuglin & Hines 1975): both frames
 * are binned 2 × 2 when large, mean-subtracted, Hann-windowed and zero-padded to powers of
 * two, transformed together as one complex image (real = reference, imaginary = moving),
 * and the normalised cross-power spectrum of the lower frequencies is inverted to find the
 * peak to within a pixel or two (robust to intensity changes). The peak is then refined on
 * the plain cross-correlation over the lower half of the frequencies (Hann-tapered;
 * frequencies weighted by their signal, as a matched filter does), evaluated directly on
 * shrinking 3 × 3 grids around the peak and fitted by parabolas — an upsampled-DFT
 * refinement (Guizar-Sicairos et al., Opt. Lett. 2008) restricted to the points it needs.
 *
 * Result: the shift of `moving` relative to `reference` in px (content at x in the
 * reference is at x + dx in moving); confidence is the correlation peak, 0..1 (≈ 1 for
 * identical content, ≈ 0 for unrelated frames).
 */
import { ValidationError } from '../../../drivers/errors';
import { fft2d, nextPowerOfTwo } from './fft';
import { lowBand, refine } from './phase-refine';
import { checkFrame } from './region';

export interface Registration {
  dxPx: number;
  dyPx: number;
  confidence: number;
}

/** Frames smaller than this on a side carry too little structure to register. */
const MIN_SIDE_PX = 8;
/**
 * From this size (both sides) frames are binned 2 × 2 first: the refinement uses only the
 * lower half of the frequencies, which binning keeps (its box filter has zero phase), at a
 * quarter of the transform's cost.
 */
const BIN_FROM_PX = 1024;

export function registerPhaseCorrelation(
  reference: Uint16Array,
  moving: Uint16Array,
  widthPx: number,
  heightPx: number,
): Registration {
  checkFrame(reference, widthPx, heightPx);
  checkFrame(moving, widthPx, heightPx);
  if (widthPx < MIN_SIDE_PX || heightPx < MIN_SIDE_PX) {
    throw new ValidationError(
      `frames of ${widthPx}×${heightPx} px are too small to register (≥ ${MIN_SIDE_PX} px a side)`,
    );
  }
  const f = widthPx >= BIN_FROM_PX && heightPx >= BIN_FROM_PX ? 2 : 1;
  const fw = Math.floor(widthPx / f);
  const fh = Math.floor(heightPx / f);
  const w = nextPowerOfTwo(fw);
  const h = nextPowerOfTwo(fh);
  const re = new Float64Array(w * h);
  const im = new Float64Array(w * h);
  windowInto(reference, widthPx, f, fw, fh, re, w);
  windowInto(moving, widthPx, f, fw, fh, im, w);
  fft2d(re, im, w, h, false);
  crossPower(re, im, w, h);
  const band = lowBand(re, im, w, h);

  // Integer peak: the whitened band alone, inverted at half size (the correlation sampled
  // every 2 px, enough for a surface band-limited to a quarter of the frequencies).
  const cw = Math.max(1, w / 2);
  const ch = Math.max(1, h / 2);
  const [cre, cim] = whitenedCrop(re, im, w, h, cw, ch);
  fft2d(cre, cim, cw, ch, true);
  let best = 0;
  for (let i = 1; i < cre.length; i++) if ((cre[i] as number) > (cre[best] as number)) best = i;
  const peak = (cre[best] as number) / (cw * ch);
  let bx = best % cw;
  let by = Math.floor(best / cw);
  if (bx >= cw / 2) bx -= cw;
  if (by >= ch / 2) by -= ch;
  let x = bx * (w / cw);
  let y = by * (h / ch);
  // A step repeats while it moves by its full length (bounded), then a finer one.
  for (const step of [1, 0.5, 0.1, 0.02]) {
    for (let i = 0; i < 6; i++) {
      const [nx, ny] = refine(band, w, h, x, y, step);
      const full = Math.abs(nx - x) >= step || Math.abs(ny - y) >= step;
      x = nx;
      y = ny;
      if (!full) break;
    }
  }
  return { dxPx: x * f, dyPx: y * f, confidence: Math.max(0, Math.min(1, peak)) };
}

/**
 * The whitened cross-power at |u| < cw/2, |v| < ch/2, as a cw × ch spectrum (same
 * wrap-around layout): phase correlation of the lower frequencies.
 */
function whitenedCrop(
  re: Float64Array,
  im: Float64Array,
  w: number,
  h: number,
  cw: number,
  ch: number,
): [Float64Array, Float64Array] {
  const ore = new Float64Array(cw * ch);
  const oim = new Float64Array(cw * ch);
  for (let v = -Math.floor(ch / 2); v < Math.ceil(ch / 2); v++) {
    const src = ((v + h) % h) * w;
    const dst = ((v + ch) % ch) * cw;
    for (let u = -Math.floor(cw / 2); u < Math.ceil(cw / 2); u++) {
      const i = src + ((u + w) % w);
      const r = re[i] as number;
      const m = im[i] as number;
      const mag = Math.sqrt(r * r + m * m);
      if (mag > 1e-12) {
        ore[dst + ((u + cw) % cw)] = r / mag;
        oim[dst + ((u + cw) % cw)] = m / mag;
      }
    }
  }
  return [ore, oim];
}

/**
 * The frame binned f × f (fw × fh bins, a partial last row or column dropped), less its
 * mean, × Hann(x) × Hann(y), into the top-left of a w-wide zeroed plane.
 */
function windowInto(
  p: Uint16Array,
  pw: number,
  f: number,
  fw: number,
  fh: number,
  out: Float64Array,
  w: number,
): void {
  const scale = 1 / (f * f);
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      let sum = 0;
      for (let j = 0; j < f; j++) {
        const row = (y * f + j) * pw + x * f;
        for (let i = 0; i < f; i++) sum += p[row + i] as number;
      }
      out[y * w + x] = sum * scale;
    }
  }
  let total = 0;
  for (let y = 0; y < fh; y++) for (let x = 0; x < fw; x++) total += out[y * w + x] as number;
  const mean = total / (fw * fh);
  const hx = hann(fw);
  const hy = hann(fh);
  for (let y = 0; y < fh; y++) {
    const wy = hy[y] as number;
    for (let x = 0; x < fw; x++) {
      out[y * w + x] = ((out[y * w + x] as number) - mean) * wy * (hx[x] as number);
    }
  }
}

function hann(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
  return out;
}

/**
 * Turns Z = FFT(ref + i·mov) into the cross-power B·conj(A) in place, A and B being the
 * spectra of ref and mov (A = (Z(k) + Z*(−k))/2, B = (Z(k) − Z*(−k))/2i). The result is
 * Hermitian, so pairs (k, −k) are written together.
 */
function crossPower(re: Float64Array, im: Float64Array, w: number, h: number): void {
  for (let y = 0; y < h; y++) {
    const ny = (h - y) % h;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const j = ny * w + ((w - x) % w);
      if (j < i) continue;
      const zr = re[i] as number;
      const zi = im[i] as number;
      const mr = re[j] as number;
      const mi = im[j] as number;
      const ar = (zr + mr) / 2;
      const ai = (zi - mi) / 2;
      const br = (zi + mi) / 2;
      const bi = (mr - zr) / 2;
      const cr = br * ar + bi * ai;
      const ci = bi * ar - br * ai;
      re[i] = cr;
      im[i] = ci;
      re[j] = cr;
      im[j] = -ci;
    }
  }
}
