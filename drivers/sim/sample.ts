/**
 * The virtual slide, deterministic from the world's seed: objects laid out by sample type
 * (sample-layout.ts) over ±slideHalfWidthUm in sample coordinates (µm; equal to stage
 * coordinates unless the world has XY drift, see focal-surface.ts). Cells carry fluorescent
 * point emitters — a DAPI-like nucleus, GFP-like cytoplasm, mCherry-like puncta and a
 * Cy5-like membrane — beads one bright point per dye; all lie on the coverslip surface,
 * which is tilted, maybe curved, and drifts with time.
 *
 * Bleaching: each emitter draws an exponential bleach dose (mean from its dye); it emits
 * until its accumulated excitation dose (mW·ms, weighted by excitation efficiency) passes
 * that threshold, then stays dark. Dose accrues only while the camera exposes (lasers are
 * taken to be triggered by the exposure), and only inside the illuminated field.
 *
 * Emitters are generated per cell on first view and kept, so bleach state persists.
 * One sample per SimWorld (`sampleFor`), shared by every camera instance on that world.
 */
import { DEFOCUS_SLOPE, DYES, excitationEfficiency, imageOffsetUm, psfSigmaUm } from './optics';
import { generateBead, generateEmitters, type Emitters } from './cell-emitters';
import { FocalSurface } from './focal-surface';
import { hash32 } from './rng';
import { MAX_OBJECT_RADIUS_UM, placeObjects, type PlacedObject } from './sample-layout';
import type { SimWorldOptions } from './world-options';

/** What a sample is made from: the world's options and its coverslip (a SimWorld). */
export interface SampleSource {
  readonly options: SimWorldOptions;
  readonly surface: FocalSurface;
}

/** Photoelectrons per ms per mW of effective excitation for an emitter of brightness 1. */
export const ELECTRONS_PER_MW_MS = 8;
/** Widest PSF rendered (binned px); wider spots keep this width and lose peak as 1/sigma². */
export const MAX_SIGMA_PX = 12;
/** Values per emitter in `expose()` output: xPx, yPx, sigmaPx, electrons, cell index. */
export const EMITTER_STRIDE = 5;

const GRID_UM = 100;

export interface FieldOfView {
  /** Sample point imaged at the sensor centre: the stage position, µm. */
  centreXUm: number;
  centreYUm: number;
  /** Binned pixel size at the sample, µm. */
  pixelUm: number;
  /** Binned sensor size, px. */
  sensorWidthPx: number;
  sensorHeightPx: number;
  /** Read-out region within the binned sensor, px. */
  roi: { xPx: number; yPx: number; widthPx: number; heightPx: number };
}

export interface ExposureInput {
  fov: FieldOfView;
  focusUm: number;
  /** World clock (ms) at mid-exposure: sets the focal-surface drift. */
  atMs: number;
  exposureMs: number;
  /** Emitted power per laser wavelength, mW. */
  powerByNm: ReadonlyMap<number, number>;
  /** Accrue bleaching dose (true for real exposures). */
  bleach: boolean;
}

interface Cell extends PlacedObject {
  emitters?: Emitters;
}

export class VirtualSample {
  private readonly cells: Cell[] = [];
  private readonly grid = new Map<number, number[]>();
  private readonly beads: boolean;

  constructor(
    readonly options: SimWorldOptions,
    readonly surface: FocalSurface = new FocalSurface(options),
  ) {
    const type = options.sample ?? 'cells';
    this.beads = type === 'beads';
    for (const cell of placeObjects(type, options)) {
      if (surface.inHole(cell.xUm, cell.yUm)) continue;
      const i = this.cells.push(cell) - 1;
      const key = this.gridKey(Math.floor(cell.xUm / GRID_UM), Math.floor(cell.yUm / GRID_UM));
      const bucket = this.grid.get(key);
      if (bucket) bucket.push(i);
      else this.grid.set(key, [i]);
    }
  }

  private gridKey(gx: number, gy: number): number {
    return (gx + 50_000) * 100_003 + (gy + 50_000);
  }

  /**
   * Height (µm, focus-drive coordinates) of the in-focus surface at sample point (x, y) and
   * world time `atMs` (FocalSurface.heightUm).
   */
  focalSurfaceUm(xUm: number, yUm: number, atMs: number): number {
    return this.surface.heightUm(xUm, yUm, atMs);
  }

  /** Cells whose disc may reach into the rectangle (µm). */
  cellsIn(x0: number, y0: number, x1: number, y1: number): number[] {
    const out: number[] = [];
    const gx0 = Math.floor((x0 - MAX_OBJECT_RADIUS_UM) / GRID_UM);
    const gx1 = Math.floor((x1 + MAX_OBJECT_RADIUS_UM) / GRID_UM);
    const gy0 = Math.floor((y0 - MAX_OBJECT_RADIUS_UM) / GRID_UM);
    const gy1 = Math.floor((y1 + MAX_OBJECT_RADIUS_UM) / GRID_UM);
    for (let gx = gx0; gx <= gx1; gx++) {
      for (let gy = gy0; gy <= gy1; gy++) {
        for (const i of this.grid.get(this.gridKey(gx, gy)) ?? []) {
          const c = this.cells[i];
          if (!c) continue;
          const r = c.radiusUm * 1.25;
          if (c.xUm + r >= x0 && c.xUm - r <= x1 && c.yUm + r >= y0 && c.yUm - r <= y1) out.push(i);
        }
      }
    }
    return out;
  }

  cellCentreUm(index: number): { xUm: number; yUm: number; radiusUm: number } | undefined {
    const c = this.cells[index];
    return c && { xUm: c.xUm, yUm: c.yUm, radiusUm: c.radiusUm };
  }

  /**
   * One exposure of the field of view: accrues bleaching dose and returns every emitter
   * that puts light into the ROI as EMITTER_STRIDE floats (position in ROI pixels, pixel
   * (i, j) spanning [i, i+1) × [j, j+1); PSF sigma px; expected photoelectrons; cell).
   *
   * Orientation: the camera looks at a fixed point; sample point (x, y) is imaged at
   * (u, v) = imageOffsetUm(mount, x − centreX, y − centreY) from the sensor centre, i.e. at
   * column u/pixel + width/2, row v/pixel + height/2. With the identity mount, moving the
   * stage +x moves the content toward −x (left) in the image, +y toward −y (up).
   */
  expose(input: ExposureInput): Float32Array {
    const { fov } = input;
    const pix = fov.pixelUm;
    const halfW = (fov.sensorWidthPx * pix) / 2;
    const halfH = (fov.sensorHeightPx * pix) / 2;
    // Illumination: Gaussian with sigma = field width (88 % at edge centres, 78 % in the
    // corners, a typical widefield flatness), cut off at the sensor field.
    const illumW2 = 2 * (2 * halfW) * (2 * halfW);
    const excByDye = DYES.map((dye) => {
      let sum = 0;
      for (const [nm, mw] of input.powerByNm) sum += mw * excitationEfficiency(dye, nm);
      return sum;
    });
    const out: number[] = [];
    const marginUm = 3 * MAX_SIGMA_PX * pix;
    // The field is centred on the stage position; find the sample point there.
    const { xUm: cx, yUm: cy } = this.surface.toSample(fov.centreXUm, fov.centreYUm, input.atMs);
    const zDriftUm = this.surface.zDriftUm(input.atMs);
    const sigma0ByDye = DYES.map((d) => psfSigmaUm(d.emissionNm, 0));
    const mount = this.options.cameraMount;
    // The sensor's footprint on the sample: turned a quarter turn with the camera.
    const [spanX, spanY] = mount?.rotate90 ? [halfH, halfW] : [halfW, halfH];
    const ids = this.cellsIn(cx - spanX, cy - spanY, cx + spanX, cy + spanY);
    for (const ci of ids) {
      const e = this.emittersOf(ci);
      for (let i = 0; i < e.count; i++) {
        const dye = e.dye[i] ?? 0;
        const exc = excByDye[dye] ?? 0;
        if (exc <= 0) continue;
        const dx = (e.xUm[i] ?? 0) - cx;
        const dy = (e.yUm[i] ?? 0) - cy;
        const { uUm, vUm } = imageOffsetUm(mount, dx, dy);
        if (Math.abs(uUm) > halfW || Math.abs(vUm) > halfH) continue;
        const doseRate = exc * Math.exp(-(dx * dx + dy * dy) / illumW2); // mW
        const d0 = e.doseMwMs[i] ?? 0;
        const thr = e.bleachDoseMwMs[i] ?? 0;
        const tEmitMs = d0 >= thr ? 0 : Math.min(input.exposureMs, (thr - d0) / doseRate);
        if (input.bleach) e.doseMwMs[i] = d0 + doseRate * input.exposureMs;
        let electrons = ELECTRONS_PER_MW_MS * (e.brightness[i] ?? 0) * doseRate * tEmitMs;
        if (electrons < 0.05) continue;
        const xPx = uUm / pix + fov.sensorWidthPx / 2 - fov.roi.xPx;
        const yPx = vUm / pix + fov.sensorHeightPx / 2 - fov.roi.yPx;
        if (
          xPx < -marginUm / pix ||
          yPx < -marginUm / pix ||
          xPx > fov.roi.widthPx + marginUm / pix ||
          yPx > fov.roi.heightPx + marginUm / pix
        )
          continue;
        const surface = this.surface.shapeUm(e.xUm[i] ?? 0, e.yUm[i] ?? 0) + zDriftUm;
        const blurUm = DEFOCUS_SLOPE * (input.focusUm - (surface + (e.zUm[i] ?? 0)));
        const sigma0 = sigma0ByDye[dye] ?? 0.1;
        let sigmaPx = Math.sqrt(sigma0 * sigma0 + blurUm * blurUm) / pix;
        if (sigmaPx > MAX_SIGMA_PX) {
          electrons *= (MAX_SIGMA_PX / sigmaPx) ** 2;
          sigmaPx = MAX_SIGMA_PX;
        }
        out.push(xPx, yPx, sigmaPx, electrons, ci);
      }
    }
    return Float32Array.from(out);
  }

  /** Total accumulated dose of a cell's emitters (mW·ms); for tests and diagnostics. */
  cellDoseMwMs(index: number): number {
    const e = this.emittersOf(index);
    let sum = 0;
    for (let i = 0; i < e.count; i++) sum += e.doseMwMs[i] ?? 0;
    return sum;
  }

  private emittersOf(index: number): Emitters {
    const cell = this.cells[index];
    if (!cell) throw new RangeError(`no cell ${index}`);
    const seed = hash32(this.options.seed, index, 0xe3);
    cell.emitters ??= this.beads
      ? generateBead(cell.xUm, cell.yUm, seed)
      : generateEmitters(cell.xUm, cell.yUm, cell.radiusUm, seed);
    return cell.emitters;
  }
}

const samples = new WeakMap<SampleSource, VirtualSample>();

/** The one virtual sample of `world` (created on first use). */
export function sampleFor(world: SampleSource): VirtualSample {
  let s = samples.get(world);
  if (!s) {
    s = new VirtualSample(world.options, world.surface);
    samples.set(world, s);
  }
  return s;
}
