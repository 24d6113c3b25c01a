/** Synthetic frames with known content for the kernel tests (seeded, deterministic). */
import { normal, uniform } from '../../../../drivers/sim/rng';

export interface Blob {
  xPx: number;
  yPx: number;
  sigmaPx: number;
  /** Peak height, ADU. */
  amplitude: number;
}

/** Pixel (i, j) is centred at (i, j) (electron/automation/pixel-to-stage.ts), sampled there. */
export function renderBlobs(
  w: number,
  h: number,
  blobs: Blob[],
  opts: { offset?: number; noiseSigma?: number; seed?: number; gradient?: number } = {},
): Uint16Array {
  const img = new Float64Array(w * h).fill(opts.offset ?? 100);
  if (opts.gradient) {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img[y * w + x]! += opts.gradient * x;
  }
  for (const b of blobs) {
    const r = Math.ceil(4 * b.sigmaPx);
    for (let y = Math.max(0, Math.floor(b.yPx - r)); y < Math.min(h, b.yPx + r); y++) {
      for (let x = Math.max(0, Math.floor(b.xPx - r)); x < Math.min(w, b.xPx + r); x++) {
        const dx = x - b.xPx;
        const dy = y - b.yPx;
        img[y * w + x]! += b.amplitude * Math.exp(-(dx * dx + dy * dy) / (2 * b.sigmaPx ** 2));
      }
    }
  }
  const rand = uniform(opts.seed ?? 1);
  const out = new Uint16Array(w * h);
  for (let i = 0; i < out.length; i++) {
    const v = img[i]! + (opts.noiseSigma ? opts.noiseSigma * normal(rand) : 0);
    out[i] = Math.max(0, Math.min(65535, Math.round(v)));
  }
  return out;
}

/** Flat-topped discs (soft edge of ~1 px) of known radius. */
export function renderDiscs(
  w: number,
  h: number,
  discs: { xPx: number; yPx: number; radiusPx: number; amplitude: number }[],
  opts: { offset?: number; noiseSigma?: number; seed?: number } = {},
): Uint16Array {
  const img = new Float64Array(w * h).fill(opts.offset ?? 100);
  for (const d of discs) {
    const r = d.radiusPx + 3;
    for (let y = Math.max(0, Math.floor(d.yPx - r)); y < Math.min(h, d.yPx + r); y++) {
      for (let x = Math.max(0, Math.floor(d.xPx - r)); x < Math.min(w, d.xPx + r); x++) {
        const dist = Math.hypot(x - d.xPx, y - d.yPx);
        const inside = Math.min(1, Math.max(0, d.radiusPx + 0.5 - dist));
        img[y * w + x]! += d.amplitude * inside;
      }
    }
  }
  const rand = uniform(opts.seed ?? 1);
  const out = new Uint16Array(w * h);
  for (let i = 0; i < out.length; i++) {
    const v = img[i]! + (opts.noiseSigma ? opts.noiseSigma * normal(rand) : 0);
    out[i] = Math.max(0, Math.min(65535, Math.round(v)));
  }
  return out;
}

/** `count` random blobs (sigma 1–3 px) over a w × h field, then shifted by (dx, dy). */
export function texture(
  w: number,
  h: number,
  count: number,
  seed: number,
  shift = { dxPx: 0, dyPx: 0 },
  sigmaRange: [number, number] = [1, 3],
): Blob[] {
  const rand = uniform(seed);
  const out: Blob[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      xPx: rand() * w + shift.dxPx,
      yPx: rand() * h + shift.dyPx,
      sigmaPx: sigmaRange[0] + rand() * (sigmaRange[1] - sigmaRange[0]),
      amplitude: 200 + rand() * 800,
    });
  }
  return out;
}
