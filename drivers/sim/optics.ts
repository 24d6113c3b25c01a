/**
 * Optics and fluorophores of the simulated microscope: which dye each laser line excites,
 * how fast dyes bleach, and how a point image widens with defocus.
 *
 * Defocus model: Gaussian PSF with sigma² = sigma0² + (DEFOCUS_SLOPE · dz)², where
 * sigma0 = 0.21 λ/NA is the usual Gaussian fit to an in-focus Airy disc (Zhang et al.,
 * Appl. Opt. 2007). The slope is a round number that gives visibly blurred cells a few µm
 * out of focus, as on a high-NA widefield objective.
 */
import type { SimCameraMount } from './world-options';

export const OBJECTIVE_NA = 1.3;
/** Growth of PSF sigma per µm of defocus (µm/µm). */
export const DEFOCUS_SLOPE = 0.35;

export interface Dye {
  name: string;
  emissionNm: number;
  /** Relative excitation at laser lines, [wavelengthNm, efficiency 0..1], ascending nm. */
  excitation: ReadonlyArray<readonly [number, number]>;
  /** Mean excitation dose before an emitter bleaches, mW·ms (at efficiency 1). */
  meanBleachDoseMwMs: number;
}

/** Four dyes, one per common line, with modest cross-excitation of the neighbouring line. */
export const DYES: readonly Dye[] = [
  {
    name: 'DAPI-like',
    emissionNm: 460,
    excitation: [
      [375, 0.6],
      [405, 1],
      [488, 0.04],
      [520, 0],
    ],
    meanBleachDoseMwMs: 600_000,
  },
  {
    name: 'GFP-like',
    emissionNm: 510,
    excitation: [
      [380, 0],
      [405, 0.08],
      [488, 1],
      [561, 0.02],
      [590, 0],
    ],
    meanBleachDoseMwMs: 250_000,
  },
  {
    name: 'mCherry-like',
    emissionNm: 610,
    excitation: [
      [460, 0],
      [488, 0.1],
      [561, 1],
      [640, 0.03],
      [670, 0],
    ],
    meanBleachDoseMwMs: 300_000,
  },
  {
    name: 'Cy5-like',
    emissionNm: 670,
    excitation: [
      [530, 0],
      [561, 0.1],
      [640, 1],
      [700, 0],
    ],
    meanBleachDoseMwMs: 400_000,
  },
];

/** Excitation efficiency 0..1 of `dye` at `wavelengthNm` (piecewise linear, 0 outside the table). */
export function excitationEfficiency(dye: Dye, wavelengthNm: number): number {
  const t = dye.excitation;
  for (let i = 1; i < t.length; i++) {
    const a = t[i - 1];
    const b = t[i];
    if (!a || !b) continue;
    if (wavelengthNm >= a[0] && wavelengthNm <= b[0]) {
      const f = b[0] === a[0] ? 0 : (wavelengthNm - a[0]) / (b[0] - a[0]);
      return a[1] + (b[1] - a[1]) * f;
    }
  }
  return 0;
}

/** PSF sigma (µm) of a point emitting at `emissionNm`, `defocusUm` from the focal plane. */
export function psfSigmaUm(emissionNm: number, defocusUm: number): number {
  const sigma0 = (0.21 * emissionNm) / 1000 / OBJECTIVE_NA;
  const blur = DEFOCUS_SLOPE * defocusUm;
  return Math.sqrt(sigma0 * sigma0 + blur * blur);
}

/**
 * Where a sample point `(dxUm, dyUm)` from the stage position is imaged, µm from the sensor
 * centre in image axes (x right, y down), through the camera's mount (world-options.ts
 * SimCameraMount; identity when absent).
 */
export function imageOffsetUm(
  mount: SimCameraMount | undefined,
  dxUm: number,
  dyUm: number,
): { uUm: number; vUm: number } {
  const x = mount?.rotate90 ? -dyUm : dxUm;
  const y = mount?.rotate90 ? dxUm : dyUm;
  return { uUm: mount?.flipX ? -x : x, vUm: mount?.flipY ? -y : y };
}
