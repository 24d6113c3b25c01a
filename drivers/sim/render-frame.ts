/**
 * Turns a list of emitters (from VirtualSample.expose) into a 16-bit camera frame:
 * pixel-integrated Gaussian spots, Poisson shot noise, Gaussian read noise, offset, gain,
 * clamp to 0..65535. Pure and synchronous; runs inside render workers and in tests.
 *
 * Speed: read noise + offset are copied in 32 Ki-pixel chunks, each from a random offset in
 * a 1 Mi-value pool that stays in cache (so read-noise values recur between distant chunks;
 * harmless for a simulator, ~30 % cheaper than streaming a frame-sized pool). Shot noise is
 * drawn only inside the bounding boxes of the cells that put light on the sensor; normal
 * deviates come from a table indexed by xorshift32.
 */
import { EMITTER_STRIDE } from './sample';
import { hash32, normal, uniform } from './rng';

export interface NoiseSpec {
  offsetAdu: number;
  /** Read noise in ADU (read noise e⁻ × gain × binning for summed bins). */
  readNoiseAdu: number;
  gainAduPerE: number;
  /** Seed of the read-noise pool and normal table (the world seed). */
  seed: number;
}

export interface RenderJob {
  widthPx: number;
  heightPx: number;
  /** EMITTER_STRIDE floats per emitter; emitters of one cell are contiguous. */
  emitters: Float32Array;
  noise: NoiseSpec;
  /** Seeds this frame's noise; same job + same seed → identical pixels. */
  frameSeed: number;
}

const NORMALS = 1 << 16;
const POOL_SIZE = 1 << 20;
const CHUNK = 1 << 15;

/** erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
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

/** Fills `w[0..n)` with the fraction of a unit Gaussian (centre c, sigma s) in each pixel i0+k. */
function pixelWeights(w: Float64Array, i0: number, n: number, c: number, s: number): void {
  const k = 1 / (Math.SQRT2 * s);
  let prev = erf((i0 - c) * k);
  for (let i = 0; i < n; i++) {
    const next = erf((i0 + i + 1 - c) * k);
    w[i] = 0.5 * (next - prev);
    prev = next;
  }
}

export class FrameRenderer {
  private pool: { key: string; data: Uint16Array } | undefined;
  private normals: { seed: number; data: Float32Array } | undefined;
  private signal = new Float32Array(0);
  private wx = new Float64Array(128);
  private wy = new Float64Array(128);

  render(job: RenderJob): Uint16Array {
    const { widthPx: w, heightPx: h, noise } = job;
    const n = w * h;
    // Offsets are drawn within `span` (set by the frame size alone), so the pixels never
    // depend on what this renderer drew before.
    const span = Math.min(POOL_SIZE, n + CHUNK);
    const pool = this.readNoisePool(noise, span);
    const normals = this.normalTable(noise.seed);
    let rng = hash32(job.frameSeed, 0xf4a3e) | 1;
    const next = (): number => {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      return rng >>> 0;
    };
    const out = new Uint16Array(n);
    for (let p = 0; p < n; p += CHUNK) {
      const len = Math.min(CHUNK, n - p);
      const from = next() % (span - len + 1);
      out.set(pool.subarray(from, from + len), p);
    }
    if (this.signal.length < n) this.signal = new Float32Array(n);
    const sig = this.signal;
    const boxes = this.splat(job.emitters, w, h, sig);

    const gain = noise.gainAduPerE;
    for (let b = 0; b < boxes.length; b += 4) {
      const x0 = boxes[b] ?? 0;
      const y0 = boxes[b + 1] ?? 0;
      const x1 = boxes[b + 2] ?? -1;
      const y1 = boxes[b + 3] ?? -1;
      for (let y = y0; y <= y1; y++) {
        const row = y * w;
        for (let i = row + x0; i <= row + x1; i++) {
          const s = sig[i] ?? 0;
          if (s <= 0) continue;
          sig[i] = 0; // leaves the scratch buffer clean; overlapping boxes see zero
          let e: number;
          if (s < 20) {
            // Knuth's Poisson sampler; ≤ ~35 iterations at this mean.
            const limit = Math.exp(-s);
            let p = 1;
            e = -1;
            do {
              e++;
              p *= next() / 4294967296;
            } while (p > limit);
          } else {
            e = s + Math.sqrt(s) * (normals[next() >>> 16] ?? 0);
          }
          const v = (out[i] ?? 0) + gain * e + 0.5;
          out[i] = v >= 65535 ? 65535 : v <= 0 ? 0 : v;
        }
      }
    }
    return out;
  }

  /** Adds expected electrons to `sig`; returns clipped bounding boxes (x0,y0,x1,y1) per cell. */
  private splat(em: Float32Array, w: number, h: number, sig: Float32Array): number[] {
    const boxes: number[] = [];
    let group = NaN;
    let bx0 = 0;
    let by0 = 0;
    let bx1 = -1;
    let by1 = -1;
    const flush = () => {
      if (bx1 >= bx0 && by1 >= by0) boxes.push(bx0, by0, bx1, by1);
      bx0 = w;
      by0 = h;
      bx1 = -1;
      by1 = -1;
    };
    for (let k = 0; k + EMITTER_STRIDE <= em.length; k += EMITTER_STRIDE) {
      const x = em[k] ?? 0;
      const y = em[k + 1] ?? 0;
      const s = em[k + 2] ?? 1;
      const electrons = em[k + 3] ?? 0;
      const g = em[k + 4] ?? 0;
      if (g !== group) {
        flush();
        group = g;
      }
      const r = Math.ceil(3 * s) + 1;
      const ix0 = Math.max(0, Math.floor(x) - r);
      const ix1 = Math.min(w - 1, Math.floor(x) + r);
      const iy0 = Math.max(0, Math.floor(y) - r);
      const iy1 = Math.min(h - 1, Math.floor(y) + r);
      if (ix0 > ix1 || iy0 > iy1) continue;
      const nx = ix1 - ix0 + 1;
      const ny = iy1 - iy0 + 1;
      if (this.wx.length < nx) this.wx = new Float64Array(nx * 2);
      if (this.wy.length < ny) this.wy = new Float64Array(ny * 2);
      const wx = this.wx;
      const wy = this.wy;
      pixelWeights(wx, ix0, nx, x, s);
      pixelWeights(wy, iy0, ny, y, s);
      for (let j = 0; j < ny; j++) {
        const a = electrons * (wy[j] ?? 0);
        if (a < 1e-3) continue;
        const row = (iy0 + j) * w + ix0;
        for (let i = 0; i < nx; i++) sig[row + i] = (sig[row + i] ?? 0) + a * (wx[i] ?? 0);
      }
      if (ix0 < bx0) bx0 = ix0;
      if (iy0 < by0) by0 = iy0;
      if (ix1 > bx1) bx1 = ix1;
      if (iy1 > by1) by1 = iy1;
    }
    flush();
    return boxes;
  }

  /** Read noise + offset values; the first `size` values depend only on `noise`. */
  private readNoisePool(noise: NoiseSpec, size: number): Uint16Array {
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

  private normalTable(seed: number): Float32Array {
    if (this.normals?.seed === seed) return this.normals.data;
    const rand = uniform(hash32(seed, 0x404));
    const data = new Float32Array(NORMALS);
    for (let i = 0; i < NORMALS; i++) data[i] = normal(rand);
    this.normals = { seed, data };
    return data;
  }
}
