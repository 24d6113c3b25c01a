/**
 * In-place radix-2 complex FFTs on split real/imaginary Float64Arrays. Forward uses
 * e^(−2πi·kn/N); inverse uses e^(+2πi·kn/N) without the 1/N scale (callers scale once).
 * Twiddle and bit-reversal tables are cached per size.
 */
import { ValidationError } from '../../../drivers/errors';

interface Plan {
  n: number;
  cos: Float64Array;
  sin: Float64Array;
  rev: Uint32Array;
}
const plans = new Map<number, Plan>();

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  if (!isPowerOfTwo(n)) throw new ValidationError(`FFT length ${n} is not a power of two`);
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  p = { n, cos, sin, rev };
  plans.set(n, p);
  return p;
}

/** FFT in place of the n = re.length samples (n a power of two). */
export function fft1d(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  if (n <= 1) return;
  const { cos, sin, rev } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step] as number;
        const wi = sign * (sin[k * step] as number);
        const a = start + k;
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        const ar = re[a] as number;
        const ai = im[a] as number;
        re[b] = ar - tr;
        im[b] = ai - ti;
        re[a] = ar + tr;
        im[a] = ai + ti;
      }
    }
  }
}

/** 2-D FFT of a w × h row-major complex image in place (w, h powers of two). */
export function fft2d(
  re: Float64Array,
  im: Float64Array,
  w: number,
  h: number,
  inverse: boolean,
): void {
  for (let y = 0; y < h; y++) {
    fft1d(re.subarray(y * w, (y + 1) * w), im.subarray(y * w, (y + 1) * w), inverse);
  }
  // Columns in blocks of 16: each row read touches whole cache lines, not one value.
  const B = Math.min(16, w);
  const cr = Array.from({ length: B }, () => new Float64Array(h));
  const ci = Array.from({ length: B }, () => new Float64Array(h));
  for (let x0 = 0; x0 < w; x0 += B) {
    for (let y = 0; y < h; y++) {
      const row = y * w + x0;
      for (let k = 0; k < B; k++) {
        (cr[k] as Float64Array)[y] = re[row + k] as number;
        (ci[k] as Float64Array)[y] = im[row + k] as number;
      }
    }
    for (let k = 0; k < B; k++) fft1d(cr[k] as Float64Array, ci[k] as Float64Array, inverse);
    for (let y = 0; y < h; y++) {
      const row = y * w + x0;
      for (let k = 0; k < B; k++) {
        re[row + k] = (cr[k] as Float64Array)[y] as number;
        im[row + k] = (ci[k] as Float64Array)[y] as number;
      }
    }
  }
}
