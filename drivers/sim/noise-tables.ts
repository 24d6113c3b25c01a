/**
 * Precomputed randomness and PSF maths for the frame renderer: the read-noise pool,
 * a standard-normal table, Poisson CDF tables and pixel-integrated Gaussian weights.
 */
import { hash32, normal, uniform } from './rng';

/** Expected photoelectrons below which a pixel gets none (far PSF tails; bias < 0.01 e⁻). */
export const MIN_MEAN_E = 0.01;
/** Above this mean, Poisson shot noise is drawn as its Gaussian approximation. */
export const GAUSSIAN_ABOVE_E = 10;
/** Poisson CDFs are tabulated for means in steps of 1/CDF_STEPS_PER_E e⁻. */
export const CDF_STEPS_PER_E = 256;
export const CDF_TERMS = 32;
export const NORMALS = 1 << 16;

export interface NoiseSpec {
  offsetAdu: number;
  /** Read noise in ADU (read noise e⁻ × gain × binning for summed bins). */
  readNoiseAdu: number;
  gainAduPerE: number;
  /** Seed of the read-noise pool and normal table (the world seed). */
  seed: number;
}

let cdfTable: Float32Array | undefined;

/** P(X ≤ k) at [q·CDF_TERMS + k] for Poisson mean (q + ½)/CDF_STEPS_PER_E < GAUSSIAN_ABOVE_E. */
export function poissonCdfs(): Float32Array {
  if (cdfTable) return cdfTable;
  const means = GAUSSIAN_ABOVE_E * CDF_STEPS_PER_E;
  const t = new Float32Array(means * CDF_TERMS);
  for (let q = 0; q < means; q++) {
    const lambda = (q + 0.5) / CDF_STEPS_PER_E;
    let p = Math.exp(-lambda);
    let sum = p;
    for (let k = 0; k < CDF_TERMS; k++) {
      t[q * CDF_TERMS + k] = k === CDF_TERMS - 1 ? 1 : sum;
      p *= lambda / (k + 1);
      sum += p;
    }
  }
  cdfTable = t;
  return t;
}

/** erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}

/** Fills `w[0..n)` with the fraction of a unit Gaussian (centre c, sigma s) in pixel i0+k. */
export function pixelWeights(w: Float64Array, i0: number, n: number, c: number, s: number): void {
  const k = 1 / (Math.SQRT2 * s);
  let prev = erf((i0 - c) * k);
  for (let i = 0; i < n; i++) {
    const next = erf((i0 + i + 1 - c) * k);
    w[i] = 0.5 * (next - prev);
    prev = next;
  }
}

/** Per-thread cache of the seeded tables. */
export class NoiseTables {
  private pool: { key: string; data: Uint16Array } | undefined;
  private normalTable: { seed: number; data: Float32Array } | undefined;

  /** Offset + read-noise values (ADU); the first `size` values depend only on `noise`. */
  readNoisePool(noise: NoiseSpec, size: number): Uint16Array {
    const key = `${noise.offsetAdu}/${noise.readNoiseAdu}/${noise.seed}`;
    if (this.pool?.key === key && this.pool.data.length >= size) return this.pool.data;
    const data = new Uint16Array(size);
    const rand = uniform(hash32(noise.seed, 0x9001));
    for (let i = 0; i < size; i++) {
      const v = noise.offsetAdu + noise.readNoiseAdu * normal(rand) + 0.5;
      data[i] = v >= 65535 ? 65535 : v <= 0 ? 0 : v;
    }
    this.pool = { key, data };
    return data;
  }

  normals(seed: number): Float32Array {
    if (this.normalTable?.seed === seed) return this.normalTable.data;
    const rand = uniform(hash32(seed, 0x404));
    const data = new Float32Array(NORMALS);
    for (let i = 0; i < NORMALS; i++) data[i] = normal(rand);
    this.normalTable = { seed, data };
    return data;
  }
}
