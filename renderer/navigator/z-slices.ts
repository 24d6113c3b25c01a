/**
 * Orthogonal slices of a z-stack as it is imaged: for frames taken at the same XY (within
 * SAME_XY_UM), the line of the image along stage X through the field's centre (XZ slice) and
 * along stage Y (YZ slice), each resampled to SLICE_SAMPLES, one row per z plane (the newest
 * frame at a z replaces an older one). A frame taken elsewhere starts a new stack.
 */
import type { CameraOrientation } from '../../electron/api/contract';
import { frameFootprint, stageToPixel, type FrameGeometry } from './frame-placement';
import { framePlane, stackVolume, type ZVolume } from './z-volume';

export const SLICE_SAMPLES = 256;
export const SAME_XY_UM = 0.5;
/** Planes closer than this in z are the same plane. */
export const SAME_Z_UM = 0.01;

export interface ZPlane {
  zUm: number;
  xz: Uint16Array;
  yz: Uint16Array;
  /** The plane downsampled for the 3D view (z-volume.ts). */
  voxels: Uint16Array;
}

export class ZSliceStack {
  private planes: ZPlane[] = [];
  private at: { x: number; y: number } | null = null;
  /** Stage extent of the slices, µm: x for XZ, y for YZ. */
  extent = { x0: 0, x1: 0, y0: 0, y1: 0 };
  version = 0;
  private built: { version: number; volume: ZVolume } | null = null;

  add(pixels: Uint16Array, g: FrameGeometry, o: CameraOrientation, zUm: number): void {
    const here = { x: g.centerXUm, y: g.centerYUm };
    if (!this.at || Math.hypot(here.x - this.at.x, here.y - this.at.y) > SAME_XY_UM) {
      this.planes = [];
      this.at = here;
    }
    const f = frameFootprint(g, o);
    this.extent = { x0: f.x0, x1: f.x1, y0: f.y0, y1: f.y1 };
    const line = (sx: (t: number) => number, sy: (t: number) => number) => {
      const out = new Uint16Array(SLICE_SAMPLES);
      for (let i = 0; i < SLICE_SAMPLES; i++) {
        const t = (i + 0.5) / SLICE_SAMPLES;
        const p = stageToPixel(g, o, { x: sx(t), y: sy(t) });
        const c = Math.min(g.widthPx - 1, Math.max(0, Math.floor(p.x)));
        const r = Math.min(g.heightPx - 1, Math.max(0, Math.floor(p.y)));
        out[i] = pixels[r * g.widthPx + c]!;
      }
      return out;
    };
    const plane: ZPlane = {
      zUm,
      xz: line(
        (t) => f.x0 + t * (f.x1 - f.x0),
        () => here.y,
      ),
      yz: line(
        () => here.x,
        (t) => f.y0 + t * (f.y1 - f.y0),
      ),
      voxels: framePlane(pixels, g, o),
    };
    const i = this.planes.findIndex((p) => Math.abs(p.zUm - zUm) < SAME_Z_UM);
    if (i >= 0) this.planes[i] = plane;
    else this.planes.push(plane);
    this.planes.sort((a, b) => b.zUm - a.zUm); // top (highest z) first
    this.version++;
  }

  /** Planes, highest z first. */
  get sorted(): readonly ZPlane[] {
    return this.planes;
  }

  /** The stack as a volume for the 3D view, once it has two planes (one object per version). */
  volume(): ZVolume | null {
    if (this.planes.length < 2) return null;
    if (this.built?.version !== this.version) {
      const e = this.extent;
      const v = stackVolume(this.planes, { x: e.x1 - e.x0, y: e.y1 - e.y0 }, 'this field');
      this.built = { version: this.version, volume: v };
    }
    return this.built.volume;
  }

  clear(): void {
    this.planes = [];
    this.at = null;
    this.version++;
  }
}
