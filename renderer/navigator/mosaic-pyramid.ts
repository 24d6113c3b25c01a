/**
 * The live mosaic's data: a quadtree of square cells per channel. Level L has texels of
 * 2^L × FINEST_UM_PER_TEXEL µm and cells of CELL_TEXELS² texels, aligned to the stage
 * origin, so the view draws the level whose texel is closest to a screen pixel and sees at
 * most a few cells whatever the number of frames placed. Every frame is resampled into every
 * level: a level-0 texel takes the frame pixel nearest its centre, a level-1 texel the mean
 * of up to MAX_SUBSAMPLES² pixels spread over it (subsamples()), and each coarser level the
 * mean of its 2 × 2 children (so a coarse level shows a region's mean brightness, not one
 * pixel of it); the newest frame wins where frames overlap.
 *
 * A texel stores raw value + 1 (capped at 65535) and 0 where no frame was placed, so the
 * shader can leave unscanned stage transparent.
 *
 * Page memory is bounded by `cpuBudgetBytes`: beyond it the least recently used cells that
 * `canEvict` allows (those already saved) are dropped and remembered as `offloaded`; the
 * caller loads them back (restore) when the view needs them. A frame placed over an offloaded
 * cell starts a fresh cell, listed in `needsMerge` until the stored texels are merged in.
 */
import type { CameraOrientation } from '../../electron/api/contract';
import { frameFootprint, type FrameGeometry, type Rect } from './frame-placement';
import {
  CELL_BYTES,
  CELL_TEXELS,
  cellKey,
  cellUm,
  EMPTY,
  LEVELS,
  texelUm,
  type MosaicCell,
} from './mosaic-cells';
import { averageChildren, resampleFrame } from './mosaic-resample';

export * from './mosaic-cells';

export interface StoredCellData {
  channel: string;
  level: number;
  ix: number;
  iy: number;
  data: Uint16Array;
}

export class MosaicPyramid {
  /** In memory; Map order is least recently used first. */
  readonly cells = new Map<string, MosaicCell>();
  /** Keys of cells saved elsewhere and not in memory. */
  readonly offloaded = new Set<string>();
  /** Keys of in-memory cells started over an offloaded one, awaiting mergeStored(). */
  readonly needsMerge = new Set<string>();
  private readonly channelSet = new Set<string>();
  framesPlaced = 0;
  evictions = 0;
  /** Whether a cell may leave memory (it is saved); default: never. */
  canEvict: (key: string) => boolean = () => false;

  constructor(readonly cpuBudgetBytes = Infinity) {}

  get bytes(): number {
    return this.cells.size * CELL_BYTES;
  }

  channels(): string[] {
    return [...this.channelSet];
  }

  /** Drops least recently used evictable cells until within the budget; returns how many. */
  evictOverBudget(): number {
    let n = 0;
    for (const [key, c] of this.cells) {
      if (this.bytes <= this.cpuBudgetBytes) break;
      if (!this.canEvict(key)) continue;
      this.cells.delete(key);
      this.offloaded.add(key);
      this.needsMerge.delete(c.key);
      n++;
    }
    this.evictions += n;
    return n;
  }

  /** Offloaded cells of `level` overlapping a rectangle (for every channel). */
  offloadedIn(level: number, r: Rect): string[] {
    if (this.offloaded.size === 0) return [];
    const s = cellUm(level);
    const out: string[] = [];
    for (let iy = Math.floor(r.y0 / s); iy <= Math.floor(r.y1 / s); iy++) {
      for (let ix = Math.floor(r.x0 / s); ix <= Math.floor(r.x1 / s); ix++) {
        for (const ch of this.channelSet) {
          const key = cellKey(ch, level, ix, iy);
          if (this.offloaded.has(key)) out.push(key);
        }
      }
    }
    return out;
  }

  /**
   * Stored texels of a cell that was in memory when they were read: they fill the texels
   * no newer frame has written. Returns the cell, or null when it is not in memory.
   */
  mergeStored(key: string, stored: Uint16Array): MosaicCell | null {
    const c = this.cells.get(key);
    this.needsMerge.delete(key);
    if (!c) return null;
    const d = c.data;
    for (let i = 0; i < d.length; i++) if (d[i] === EMPTY) d[i] = stored[i]!;
    c.version++;
    return c;
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
      // Every texel the footprint overlaps (so a frame smaller than a texel still shows).
      const tx0 = Math.floor(foot.x0 / t);
      const tx1 = Math.ceil(foot.x1 / t) - 1;
      const ty0 = Math.floor(foot.y0 / t);
      const ty1 = Math.ceil(foot.y1 / t) - 1;
      if (tx1 < tx0 || ty1 < ty0) continue;
      for (let cy = Math.floor(ty0 / CELL_TEXELS); cy <= Math.floor(ty1 / CELL_TEXELS); cy++) {
        for (let cx = Math.floor(tx0 / CELL_TEXELS); cx <= Math.floor(tx1 / CELL_TEXELS); cx++) {
          const cell = this.cell(channel, level, cx, cy, true)!;
          const x0 = Math.max(tx0, cx * CELL_TEXELS);
          const x1 = Math.min(tx1, (cx + 1) * CELL_TEXELS - 1);
          const y0 = Math.max(ty0, cy * CELL_TEXELS);
          const y1 = Math.min(ty1, (cy + 1) * CELL_TEXELS - 1);
          if (level >= 2) averageChildren(cell, (k) => this.cells.get(k), x0, x1, y0, y1);
          else resampleFrame(pixels, g, o, cell, level, x0, x1, y0, y1);
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
          const c = this.cell(ch, level, ix, iy, false);
          if (c) out.push(c);
        }
      }
    }
    return out;
  }

  /** Adds a stored cell (persistence); one already in memory takes the stored texels it lacks. */
  restore(cell: StoredCellData): void {
    if (cell.data.length !== CELL_TEXELS * CELL_TEXELS) {
      throw new RangeError(`mosaic cell: ${cell.data.length} texels, expected ${CELL_TEXELS ** 2}`);
    }
    const key = cellKey(cell.channel, cell.level, cell.ix, cell.iy);
    this.offloaded.delete(key);
    this.channelSet.add(cell.channel);
    if (this.cells.has(key)) {
      this.mergeStored(key, cell.data);
      return;
    }
    const { channel, level, ix, iy, data } = cell;
    this.cells.set(key, { key, channel, level, ix, iy, data, version: 1 });
  }

  /**
   * Cells known to exist in storage (keys listed at start), loaded when viewed; one already
   * in memory (a frame placed before the list arrived) needs the stored texels merged.
   */
  markOffloaded(keys: Iterable<string>): void {
    for (const key of keys) {
      if (this.cells.has(key)) {
        this.needsMerge.add(key);
        continue;
      }
      this.offloaded.add(key);
      this.channelSet.add(key.slice(0, key.indexOf('|')));
    }
  }

  clear(): void {
    this.cells.clear();
    this.offloaded.clear();
    this.needsMerge.clear();
    this.channelSet.clear();
    this.framesPlaced = 0;
  }

  private cell(channel: string, level: number, ix: number, iy: number, create: boolean) {
    const key = cellKey(channel, level, ix, iy);
    let c = this.cells.get(key);
    if (c) {
      // Most recently used last.
      this.cells.delete(key);
      this.cells.set(key, c);
    } else if (create) {
      c = { key, channel, level, ix, iy, data: new Uint16Array(CELL_TEXELS ** 2), version: 0 };
      this.cells.set(key, c);
      this.channelSet.add(channel);
      if (this.offloaded.delete(key)) this.needsMerge.add(key);
    }
    return c;
  }
}
