/**
 * How a frame's pixels become mosaic texels (mosaic-pyramid.ts): levels 0 and 1 are resampled
 * from the frame (nearest pixel at level 0, a mean of sub-samples at level 1), coarser levels
 * average their 2 × 2 children one level finer.
 */
import type { CameraOrientation } from '../../electron/api/contract';
import { stageToPixel, type FrameGeometry } from './frame-placement';
import { CELL_TEXELS, cellKey, EMPTY, texelUm, type MosaicCell } from './mosaic-cells';

/** Most sub-samples per side a level-1 texel averages (MAX² pixels per texel per frame). */
export const MAX_SUBSAMPLES = 4;

/**
 * Texels of a level ≥ 2 cell as the mean of their 2 × 2 written children one level finer
 * (a box filter over the level below, which this frame has just been placed in); a texel
 * with no written child keeps what it had.
 */
export function averageChildren(
  cell: MosaicCell,
  finer: (key: string) => MosaicCell | undefined,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): void {
  const out = cell.data;
  const ox = cell.ix * CELL_TEXELS;
  const oy = cell.iy * CELL_TEXELS;
  let childX = NaN;
  let childY = NaN;
  let child: Uint16Array | null = null;
  for (let ty = y0; ty <= y1; ty++) {
    let i = (ty - oy) * CELL_TEXELS + (x0 - ox);
    for (let tx = x0; tx <= x1; tx++, i++) {
      let sum = 0;
      let n = 0;
      for (let d = 0; d < 4; d++) {
        const cx = 2 * tx + (d & 1);
        const cy = 2 * ty + (d >> 1);
        const ix = Math.floor(cx / CELL_TEXELS);
        const iy = Math.floor(cy / CELL_TEXELS);
        if (ix !== childX || iy !== childY) {
          childX = ix;
          childY = iy;
          child = finer(cellKey(cell.channel, cell.level - 1, ix, iy))?.data ?? null;
        }
        const v = child
          ? child[(cy - iy * CELL_TEXELS) * CELL_TEXELS + (cx - ix * CELL_TEXELS)]!
          : 0;
        if (v === EMPTY) continue;
        sum += v - 1;
        n++;
      }
      if (n > 0) out[i] = Math.round(sum / n) + 1;
    }
  }
}

export function resampleFrame(
  pixels: Uint16Array,
  g: FrameGeometry,
  o: CameraOrientation,
  cell: MosaicCell,
  level: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): void {
  const t = texelUm(level);
  // The texel → pixel map is affine: evaluate it once and step.
  const p00 = stageToPixel(g, o, { x: (x0 + 0.5) * t, y: (y0 + 0.5) * t });
  const p10 = stageToPixel(g, o, { x: (x0 + 1.5) * t, y: (y0 + 0.5) * t });
  const p01 = stageToPixel(g, o, { x: (x0 + 0.5) * t, y: (y0 + 1.5) * t });
  const dxx = p10.x - p00.x;
  const dxy = p10.y - p00.y;
  const dyx = p01.x - p00.x;
  const dyy = p01.y - p00.y;
  const k = subsamples(level, t, g.umPerPx);
  // Pixel offsets of the k × k sub-samples from the texel centre (one, at it, for k = 1).
  const offX = new Float64Array(k * k);
  const offY = new Float64Array(k * k);
  for (let sy = 0; sy < k; sy++) {
    for (let sx = 0; sx < k; sx++) {
      const u = (sx + 0.5) / k - 0.5;
      const v = (sy + 0.5) / k - 0.5;
      offX[sy * k + sx] = u * dxx + v * dyx;
      offY[sy * k + sx] = u * dxy + v * dyy;
    }
  }
  const n = k * k;
  const w = g.widthPx;
  const wMax = w - 1;
  const hMax = g.heightPx - 1;
  const out = cell.data;
  const ox = cell.ix * CELL_TEXELS;
  const oy = cell.iy * CELL_TEXELS;
  for (let ty = y0; ty <= y1; ty++) {
    let px = p00.x + (ty - y0) * dyx;
    let py = p00.y + (ty - y0) * dyy;
    let i = (ty - oy) * CELL_TEXELS + (x0 - ox);
    for (let tx = x0; tx <= x1; tx++, i++, px += dxx, py += dxy) {
      let sum = 0;
      for (let s = 0; s < n; s++) {
        const c = Math.min(wMax, Math.max(0, Math.floor(px + offX[s]!)));
        const r = Math.min(hMax, Math.max(0, Math.floor(py + offY[s]!)));
        sum += pixels[r * w + c]!;
      }
      const v = n === 1 ? sum : Math.round(sum / n);
      out[i] = v === 65535 ? 65535 : v + 1;
    }
  }
}

/**
 * Sub-samples per texel side when a level is resampled from the frame (levels 0 and 1):
 * level 0 takes the nearest pixel (its texels are the frame's own values); a level-1 texel
 * spanning several pixels averages a k × k grid of them, k up to MAX_SUBSAMPLES.
 */
export function subsamples(level: number, texelUmSize: number, umPerPx: number): number {
  if (level === 0) return 1;
  return Math.max(1, Math.min(MAX_SUBSAMPLES, Math.ceil(texelUmSize / umPerPx - 1e-9)));
}
