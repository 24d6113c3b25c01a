/**
 * The fluorescent emitters of one cell, deterministic from a seed: a DAPI-like nucleus,
 * GFP-like cytoplasm, mCherry-like puncta (tight clusters) and a Cy5-like membrane ring,
 * each emitter with a brightness and an exponentially distributed bleach dose.
 */
import { DYES } from './optics';
import { normal, uniform } from './rng';

export interface Emitters {
  count: number;
  xUm: Float64Array;
  yUm: Float64Array;
  /** Height above the local focal surface, µm. */
  zUm: Float32Array;
  dye: Uint8Array;
  brightness: Float32Array;
  bleachDoseMwMs: Float32Array;
  doseMwMs: Float64Array;
}

export function generateEmitters(
  centreXUm: number,
  centreYUm: number,
  radiusUm: number,
  seed: number,
): Emitters {
  const rand = uniform(seed);
  const pts: Array<[number, number, number, number]> = []; // x, y, z, dye
  const R = radiusUm;
  const ax = R * (0.8 + rand() * 0.4);
  const ay = R * (0.8 + rand() * 0.4);
  const inEllipse = (sx: number, sy: number, n: number, dye: number, zHalf: number) => {
    for (let k = 0; k < n; k++) {
      const r = Math.sqrt(rand());
      const a = rand() * 2 * Math.PI;
      pts.push([sx * r * Math.cos(a), sy * r * Math.sin(a), (rand() * 2 - 1) * zHalf, dye]);
    }
  };
  inEllipse(ax, ay, 60 + Math.floor(rand() * 60), 1, 2); // cytoplasm
  const nx = (rand() - 0.5) * 0.4 * R;
  const ny = (rand() - 0.5) * 0.4 * R;
  const nr = R * (0.35 + rand() * 0.15);
  const before = pts.length;
  inEllipse(nr, nr * (0.85 + rand() * 0.3), 80 + Math.floor(rand() * 80), 0, 1.5); // nucleus
  for (let k = before; k < pts.length; k++) {
    const p = pts[k];
    if (p) {
      p[0] += nx;
      p[1] += ny;
    }
  }
  const clusters = 4 + Math.floor(rand() * 7); // puncta
  for (let c = 0; c < clusters; c++) {
    const r = Math.sqrt(rand()) * 0.8;
    const a = rand() * 2 * Math.PI;
    const px = ax * r * Math.cos(a);
    const py = ay * r * Math.sin(a);
    const pz = (rand() * 2 - 1) * 1.5;
    const n = 3 + Math.floor(rand() * 6);
    for (let k = 0; k < n; k++) {
      pts.push([px + normal(rand) * 0.3, py + normal(rand) * 0.3, pz + normal(rand) * 0.2, 2]);
    }
  }
  const membrane = 20 + Math.floor(rand() * 20);
  for (let k = 0; k < membrane; k++) {
    const a = rand() * 2 * Math.PI;
    pts.push([ax * Math.cos(a), ay * Math.sin(a), (rand() * 2 - 1) * 2, 3]);
  }
  const n = pts.length;
  const e: Emitters = {
    count: n,
    xUm: new Float64Array(n),
    yUm: new Float64Array(n),
    zUm: new Float32Array(n),
    dye: new Uint8Array(n),
    brightness: new Float32Array(n),
    bleachDoseMwMs: new Float32Array(n),
    doseMwMs: new Float64Array(n),
  };
  pts.forEach(([x, y, z, dye], i) => {
    e.xUm[i] = centreXUm + x;
    e.yUm[i] = centreYUm + y;
    e.zUm[i] = z;
    e.dye[i] = dye;
    e.brightness[i] = 0.5 + rand();
    const mean = DYES[dye]?.meanBleachDoseMwMs ?? 300_000;
    e.bleachDoseMwMs[i] = -Math.log(1 - rand()) * mean;
  });
  return e;
}

/** Brightness of one bead emitter (a cell emitter is 0.5–1.5). */
const BEAD_BRIGHTNESS = 40;
/** Beads bleach this many times more slowly than the dye they share a channel with. */
const BEAD_PHOTOSTABILITY = 100;

/** A sub-resolution bead: one point emitter per dye at the centre, bright and photostable. */
export function generateBead(centreXUm: number, centreYUm: number, seed: number): Emitters {
  const rand = uniform(seed);
  const n = DYES.length;
  const e: Emitters = {
    count: n,
    xUm: new Float64Array(n).fill(centreXUm),
    yUm: new Float64Array(n).fill(centreYUm),
    zUm: new Float32Array(n),
    dye: new Uint8Array(n),
    brightness: new Float32Array(n),
    bleachDoseMwMs: new Float32Array(n),
    doseMwMs: new Float64Array(n),
  };
  DYES.forEach((dye, i) => {
    e.dye[i] = i;
    e.brightness[i] = BEAD_BRIGHTNESS * (0.8 + 0.4 * rand());
    e.bleachDoseMwMs[i] = -Math.log(1 - rand()) * dye.meanBleachDoseMwMs * BEAD_PHOTOSTABILITY;
  });
  return e;
}
