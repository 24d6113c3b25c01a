/**
 * Where the objects of each sample type lie on the slide (sample coordinates, µm),
 * deterministic from the seed. See SimSampleType for what each type means.
 */
import { ValidationError } from '../errors';
import { hash32, normal, uniform } from './rng';
import type { SimSampleType, SimWorldOptions } from './world-options';

export interface PlacedObject {
  xUm: number;
  yUm: number;
  radiusUm: number;
}

/** Largest object radius any layout produces (spatial index margin). */
export const MAX_OBJECT_RADIUS_UM = 15;
/** Bead radius: far below the optical resolution, so a bead images as the PSF. */
export const BEAD_RADIUS_UM = 0.05;

type LayoutOptions = Pick<SimWorldOptions, 'seed' | 'cellCount' | 'slideHalfWidthUm'>;

export function placeObjects(type: SimSampleType, o: LayoutOptions): PlacedObject[] {
  switch (type) {
    case 'cells':
      return scattered(o, () => 5, 10);
    case 'beads':
      return scattered(o, () => BEAD_RADIUS_UM, 0);
    case 'sparse-cells':
      return colonies(o);
    case 'dense-tissue':
      return tissue(o);
    case 'empty':
      return [];
  }
}

/** Uniformly scattered (the original layout: same draws in the same order). */
function scattered(o: LayoutOptions, minR: () => number, spreadR: number): PlacedObject[] {
  const rand = uniform(hash32(o.seed, 0xce11));
  const half = o.slideHalfWidthUm;
  const out: PlacedObject[] = [];
  for (let i = 0; i < o.cellCount; i++) {
    out.push({
      xUm: (rand() * 2 - 1) * half,
      yUm: (rand() * 2 - 1) * half,
      radiusUm: minR() + rand() * spreadR,
    });
  }
  return out;
}

/**
 * FLImP-like: `cellCount` cells in groups of 1–4 (spread ~30 µm), never overlapping, the
 * groups scattered over the slide so most fields of view hold nothing.
 */
function colonies(o: LayoutOptions): PlacedObject[] {
  const rand = uniform(hash32(o.seed, 0x5a12));
  const half = o.slideHalfWidthUm;
  const out: PlacedObject[] = [];
  const bucketUm = 2 * MAX_OBJECT_RADIUS_UM + 3;
  const buckets = new Map<string, PlacedObject[]>();
  const key = (x: number, y: number) => `${Math.floor(x / bucketUm)},${Math.floor(y / bucketUm)}`;
  const overlaps = (c: PlacedObject) => {
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const p of buckets.get(key(c.xUm + dx * bucketUm, c.yUm + dy * bucketUm)) ?? [])
          if (Math.hypot(p.xUm - c.xUm, p.yUm - c.yUm) < p.radiusUm + c.radiusUm + 3) return true;
    return false;
  };
  for (let groups = 0; out.length < o.cellCount; groups++) {
    if (groups > 10 * o.cellCount) {
      throw new ValidationError(
        `sim: cannot place ${o.cellCount} sparse cells without overlap within ±${half} µm (placed ${out.length}); lower cellCount or raise slideHalfWidthUm`,
      );
    }
    const gx = (rand() * 2 - 1) * half;
    const gy = (rand() * 2 - 1) * half;
    const n = Math.min(1 + Math.floor(rand() * 4), o.cellCount - out.length);
    for (let k = 0, tries = 0; k < n && tries < 50; tries++) {
      const c = {
        xUm: clamp(gx + normal(rand) * 30, half),
        yUm: clamp(gy + normal(rand) * 30, half),
        radiusUm: 6 + rand() * 6,
      };
      if (overlaps(c)) continue;
      out.push(c);
      const bucket = key(c.xUm, c.yUm);
      const b = buckets.get(bucket);
      if (b) b.push(c);
      else buckets.set(bucket, [c]);
      k++;
    }
  }
  return out;
}

/** Half-width beyond which dense tissue is not laid out (≈ 95 000 cells at most), µm. */
export const MAX_TISSUE_HALF_WIDTH_UM = 2_000;

/**
 * Packed cells on a jittered hexagonal lattice (spacing 14 µm) covering the slide region,
 * at most ±MAX_TISSUE_HALF_WIDTH_UM.
 */
function tissue(o: LayoutOptions): PlacedObject[] {
  const rand = uniform(hash32(o.seed, 0x7155));
  const half = Math.min(o.slideHalfWidthUm, MAX_TISSUE_HALF_WIDTH_UM);
  const pitch = 14;
  const rowPitch = pitch * (Math.sqrt(3) / 2);
  const out: PlacedObject[] = [];
  for (let row = 0, y = -half; y <= half; row++, y += rowPitch) {
    for (let x = -half + (row % 2) * (pitch / 2); x <= half; x += pitch) {
      out.push({
        xUm: clamp(x + (rand() - 0.5) * 3, half),
        yUm: clamp(y + (rand() - 0.5) * 3, half),
        radiusUm: 6.5 + rand() * 1.5,
      });
    }
  }
  return out;
}

const clamp = (v: number, half: number) => Math.max(-half, Math.min(half, v));
