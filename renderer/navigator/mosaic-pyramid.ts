/**
 * The live mosaic's data: a quadtree of square cells per channel. Level L has texels of
 * 2^L × FINEST_UM_PER_TEXEL µm and cells of CELL_TEXELS² texels, aligned to the stage
 * origin, so the view draws the level whose texel is closest to a screen pixel and sees at
 * most a few cells whatever the number of frames placed. Every frame is resampled into every
 * level (nearest pixel at each texel centre); the newest frame wins where frames overlap.
 *
 * A texel stores raw value + 1 (capped at 65535) and 0 where no frame was placed, so the
 * shader can leave unscanned stage transparent.
 */
import type { CameraOrientation } from '../../electron/api/contract';
import { frameFootprint, stageToPixel, type FrameGeometry, type Rect } from './frame-placement';

export const CELL_TEXELS = 256;
export const FINEST_UM_PER_TEXEL = 1;
/** Level LEVELS−1 cells are ~131 mm wide: a whole SBS plate fits in a few. */
export const LEVELS = 10;
export const EMPTY = 0;

export interface MosaicCell {
  readonly key: string;
  readonly channel: string;
  readonly level: number;
  readonly ix: number;
  readonly iy: number;
  readonly data: Uint16Array;
  /** Bumped on every write (the GPU copy re-uploads when its version is older). */
  version: number;
}

export function texelUm(level: number): number {
  return FINEST_UM_PER_TEXEL * 2 ** level;
}

export function cellUm(level: number): number {
  return texelUm(level) * CELL_TEXELS;
}

export function cellKey(channel: string, level: number, ix: number, iy: number): string {
  return `${channel}|${level}|${ix}|${iy}`;
}

/** The cell's stage rectangle. */
export function cellRect(level: number, ix: number, iy: number): Rect {
  const s = cellUm(level);
  return { x0: ix * s, y0: iy * s, x1: (ix + 1) * s, y1: (iy + 1) * s };
}

/** The coarsest level whose texel is no larger than `umPerScreenPx` (finest: 0). */
export function levelFor(umPerScreenPx: number): number {
  const l = Math.floor(Math.log2(Math.max(umPerScreenPx, 1e-9) / FINEST_UM_PER_TEXEL));
  return Math.min(LEVELS - 1, Math.max(0, l));
}

export class MosaicPyramid {
  readonly cells = new Map<string, MosaicCell>();
  framesPlaced = 0;

  channels(): string[] {
    return [...new Set([...this.cells.values()].map((c) => c.channel))];
  }

  /** Places a frame in every level; returns the cells it wrote. */
  place(
    pixels: Uint16Array,
    g: FrameGeometry,
    o: CameraOrientation,
    channel: string,
  ): MosaicCell[] {
    if (pixels.length < g.widthPx * g.heightPx) {
      throw new RangeError(
        `mosaic: ${pixels.length} pixels for a ${g.widthPx}×${g.heightPx} frame`,
      );
    }
    const foot = frameFootprint(g, o);
    const touched: MosaicCell[] = [];
    for (let level = 0; level < LEVELS; level++) {
      const t = texelUm(level);
      // Texels whose centre lies inside the footprint.
      const tx0 = Math.ceil(foot.x0 / t - 0.5);
      const tx1 = Math.floor(foot.x1 / t - 0.5);
      const ty0 = Math.ceil(foot.y0 / t - 0.5);
      const ty1 = Math.floor(foot.y1 / t - 0.5);
      if (tx1 < tx0 || ty1 < ty0) continue;
      for (let cy = Math.floor(ty0 / CELL_TEXELS); cy <= Math.floor(ty1 / CELL_TEXELS); cy++) {
        for (let cx = Math.floor(tx0 / CELL_TEXELS); cx <= Math.floor(tx1 / CELL_TEXELS); cx++) {
          const cell = this.cell(channel, level, cx, cy, true)!;
          const x0 = Math.max(tx0, cx * CELL_TEXELS);
          const x1 = Math.min(tx1, (cx + 1) * CELL_TEXELS - 1);
          const y0 = Math.max(ty0, cy * CELL_TEXELS);
          const y1 = Math.min(ty1, (cy + 1) * CELL_TEXELS - 1);
          this.resample(pixels, g, o, cell, level, x0, x1, y0, y1);
          cell.version++;
          touched.push(cell);
        }
      }
    }
    this.framesPlaced++;
    return touched;
  }

  /** The stored raw value at a stage point (nearest texel of `level`), or null if unscanned. */
  sample(channel: string, xUm: number, yUm: number, level = 0): number | null {
    const t = texelUm(level);
    const tx = Math.floor(xUm / t);
    const ty = Math.floor(yUm / t);
    const cx = Math.floor(tx / CELL_TEXELS);
    const cy = Math.floor(ty / CELL_TEXELS);
    const cell = this.cell(channel, level, cx, cy, false);
    if (!cell) return null;
    const v = cell.data[(ty - cy * CELL_TEXELS) * CELL_TEXELS + (tx - cx * CELL_TEXELS)]!;
    return v === EMPTY ? null : v - 1;
  }

  /** Cells of `level` overlapping a stage rectangle, for every channel. */
  cellsIn(level: number, r: Rect): MosaicCell[] {
    const s = cellUm(level);
    const out: MosaicCell[] = [];
    const channels = this.channels();
    for (let iy = Math.floor(r.y0 / s); iy <= Math.floor(r.y1 / s); iy++) {
      for (let ix = Math.floor(r.x0 / s); ix <= Math.floor(r.x1 / s); ix++) {
        for (const ch of channels) {
          const c = this.cells.get(cellKey(ch, level, ix, iy));
          if (c) out.push(c);
        }
      }
    }
    return out;
  }

  /** Adds a stored cell (persistence); replaces one with the same key. */
  restore(cell: Omit<MosaicCell, 'key'>): void {
    if (cell.data.length !== CELL_TEXELS * CELL_TEXELS) {
      throw new RangeError(`mosaic cell: ${cell.data.length} texels, expected ${CELL_TEXELS ** 2}`);
    }
    const key = cellKey(cell.channel, cell.level, cell.ix, cell.iy);
    this.cells.set(key, { ...cell, key });
  }

  clear(): void {
    this.cells.clear();
    this.framesPlaced = 0;
  }

  private cell(channel: string, level: number, ix: number, iy: number, create: boolean) {
    const key = cellKey(channel, level, ix, iy);
    let c = this.cells.get(key);
    if (!c && create) {
      c = { key, channel, level, ix, iy, data: new Uint16Array(CELL_TEXELS ** 2), version: 0 };
      this.cells.set(key, c);
    }
    return c;
  }

  private resample(
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
    const w = g.widthPx;
    const hMax = g.heightPx - 1;
    const out = cell.data;
    const ox = cell.ix * CELL_TEXELS;
    const oy = cell.iy * CELL_TEXELS;
    for (let ty = y0; ty <= y1; ty++) {
      let px = p00.x + (ty - y0) * dyx;
      let py = p00.y + (ty - y0) * dyy;
      let i = (ty - oy) * CELL_TEXELS + (x0 - ox);
      for (let tx = x0; tx <= x1; tx++, i++, px += dxx, py += dxy) {
        const c = Math.min(w - 1, Math.max(0, Math.floor(px)));
        const r = Math.min(hMax, Math.max(0, Math.floor(py)));
        const v = pixels[r * w + c]!;
        out[i] = v === 65535 ? 65535 : v + 1;
      }
    }
  }
}
