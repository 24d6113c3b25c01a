/**
 * A downsampled z-stack for the 3D view (volume-renderer.ts): `size` × `size` voxels per
 * plane, one plane per z, planes in increasing z (index 0 = lowest z). Each voxel is the mean
 * of the image pixels of its block (area average, so a coarse voxel shows the block's
 * intensity rather than one pixel of it). Voxel (i, j) of a plane runs along stage +X (i)
 * and +Y (j) over the stack's footprint; a frame's camera orientation is applied when its
 * downsampled image is laid into the plane.
 */
import type { CameraOrientation } from '../../electron/api/contract';
import { frameFootprint, stageToPixel, type FrameGeometry } from './frame-placement';

/** Voxels along X and Y (a 64 × 64 × planes R16UI texture). */
export const VOLUME_XY = 64;

export interface ZVolume {
  /** Voxels along X and Y. */
  size: number;
  /** Planes, lowest z first. */
  depth: number;
  /** `size² × depth` raw values, x fastest, then y, then z. */
  data: Uint16Array;
  /**
   * Physical size of the box, µm; z is planes × their spacing (planes are taken as evenly
   * spaced, each a slab).
   */
  extent: { x: number; y: number; z: number };
  /** z of plane 0 and of the last plane, µm (a dataset's from 0 at its first plane). */
  zRange: [number, number];
  /** Where it came from, for the view's caption. */
  source: string;
  /** The dataset channel (its LUT in the live view); null: the live view's current LUT. */
  channel: string | null;
}

/** Block mean of a `w` × `h` image into `n` × `n` (block edges by proportional split). */
export function downsampleMean(pixels: Uint16Array, w: number, h: number, n: number): Uint16Array {
  if (pixels.length < w * h) {
    throw new RangeError(`downsample: ${pixels.length} pixels for a ${w}×${h} image`);
  }
  const out = new Uint16Array(n * n);
  for (let j = 0; j < n; j++) {
    const r0 = Math.floor((j * h) / n);
    const r1 = Math.max(r0 + 1, Math.floor(((j + 1) * h) / n));
    for (let i = 0; i < n; i++) {
      const c0 = Math.floor((i * w) / n);
      const c1 = Math.max(c0 + 1, Math.floor(((i + 1) * w) / n));
      let sum = 0;
      for (let r = r0; r < r1; r++) {
        const row = r * w;
        for (let c = c0; c < c1; c++) sum += pixels[row + c]!;
      }
      out[j * n + i] = Math.round(sum / ((r1 - r0) * (c1 - c0)));
    }
  }
  return out;
}

/**
 * A frame's plane of the volume: voxel (i, j) over the frame's stage footprint takes the
 * block mean of the image block under the voxel's centre (the orientation maps stage → image).
 */
export function framePlane(
  pixels: Uint16Array,
  g: FrameGeometry,
  o: CameraOrientation,
  n = VOLUME_XY,
): Uint16Array {
  const small = downsampleMean(pixels, g.widthPx, g.heightPx, n);
  const f = frameFootprint(g, o);
  const out = new Uint16Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const p = stageToPixel(g, o, {
        x: f.x0 + ((i + 0.5) / n) * (f.x1 - f.x0),
        y: f.y0 + ((j + 0.5) / n) * (f.y1 - f.y0),
      });
      const c = Math.min(n - 1, Math.max(0, Math.floor((p.x / g.widthPx) * n)));
      const r = Math.min(n - 1, Math.max(0, Math.floor((p.y / g.heightPx) * n)));
      out[j * n + i] = small[r * n + c]!;
    }
  }
  return out;
}

/**
 * Stacks planes (each `n²`, given with their z in any order) into a volume, lowest z first;
 * `singleSpacing` is the slab thickness of a one-plane stack.
 */
export function stackVolume(
  planes: readonly { zUm: number; voxels: Uint16Array }[],
  extentXY: { x: number; y: number },
  source: string,
  channel: string | null = null,
  n = VOLUME_XY,
  singleSpacing = 1,
): ZVolume {
  if (planes.length === 0) throw new RangeError('volume: no planes');
  const sorted = [...planes].sort((a, b) => a.zUm - b.zUm);
  const data = new Uint16Array(n * n * sorted.length);
  sorted.forEach((p, k) => {
    if (p.voxels.length !== n * n) {
      throw new RangeError(
        `volume: plane at z ${p.zUm} has ${p.voxels.length} voxels, not ${n * n}`,
      );
    }
    data.set(p.voxels, k * n * n);
  });
  const z0 = sorted[0]!.zUm;
  const z1 = sorted.at(-1)!.zUm;
  const spacing = sorted.length > 1 ? (z1 - z0) / (sorted.length - 1) : singleSpacing;
  return {
    size: n,
    depth: sorted.length,
    data,
    extent: { x: extentXY.x, y: extentXY.y, z: spacing * sorted.length },
    zRange: [z0, z1],
    source,
    channel,
  };
}
