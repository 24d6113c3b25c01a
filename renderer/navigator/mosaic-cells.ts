/**
 * The mosaic quadtree's geometry (mosaic-pyramid.ts): levels, cells and their stage extent.
 * Level L has texels of 2^L × FINEST_UM_PER_TEXEL µm and cells of CELL_TEXELS² texels,
 * aligned to the stage origin.
 */
import type { Rect } from './frame-placement';

export const CELL_TEXELS = 256;
export const FINEST_UM_PER_TEXEL = 1;
/** Level LEVELS−1 cells are ~131 mm wide: a whole SBS plate fits in a few. */
export const LEVELS = 10;
export const EMPTY = 0;
export const CELL_BYTES = CELL_TEXELS * CELL_TEXELS * 2;

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
