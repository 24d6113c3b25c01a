import { describe, expect, it } from 'vitest';
import type { CameraOrientation } from '../../../electron/api/contract';
import {
  CELL_BYTES,
  CELL_TEXELS,
  cellKey,
  cellUm,
  levelFor,
  LEVELS,
  MosaicPyramid,
} from '../../../renderer/navigator/mosaic-pyramid';

const id: CameraOrientation = { flipX: false, flipY: false, rotate90: 0 };

/** A frame whose pixel value encodes its column (left half 100, right half 200). */
function halves(w: number, h: number): Uint16Array {
  const p = new Uint16Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) p[r * w + c] = c < w / 2 ? 100 : 200;
  return p;
}

describe('mosaic pyramid', () => {
  it('places a frame where the stage was, in every level, and nowhere else', () => {
    const m = new MosaicPyramid();
    const g = { widthPx: 100, heightPx: 100, umPerPx: 2, centerXUm: 5000, centerYUm: -3000 };
    m.place(halves(100, 100), g, id, 'GFP');
    // The frame covers 4900..5100 × -3100..-2900 µm; left half 100, right half 200.
    expect(m.sample('GFP', 4950, -3000)).toBe(100);
    expect(m.sample('GFP', 5050, -3050)).toBe(200);
    expect(m.sample('GFP', 4890, -3000)).toBeNull();
    expect(m.sample('GFP', 5000, -2880)).toBeNull();
    expect(m.sample('other', 5000, -3000)).toBeNull();
    // Coarser levels hold it too, even where a texel is larger than the frame.
    expect(m.sample('GFP', 4960, -3000, 6)).not.toBeNull();
    expect(m.sample('GFP', 5000, -3000, LEVELS - 1)).not.toBeNull();
    expect(m.framesPlaced).toBe(1);
  });

  it("a flipped camera puts the image's left half on the right of the stage", () => {
    const m = new MosaicPyramid();
    const g = { widthPx: 100, heightPx: 100, umPerPx: 2, centerXUm: 0, centerYUm: 0 };
    m.place(halves(100, 100), g, { ...id, flipX: true }, 'c');
    expect(m.sample('c', -50, 0)).toBe(200);
    expect(m.sample('c', 50, 0)).toBe(100);
  });

  it('a rotated camera: image columns run along stage Y', () => {
    const m = new MosaicPyramid();
    const g = { widthPx: 100, heightPx: 50, umPerPx: 2, centerXUm: 0, centerYUm: 0 };
    m.place(halves(100, 50), g, { ...id, rotate90: 1 }, 'c');
    // Image right → stage +Y: top of the map (y < 0) shows the left half.
    expect(m.sample('c', 0, -60)).toBe(100);
    expect(m.sample('c', 0, 60)).toBe(200);
    // Footprint is 100 µm wide (X) and 200 µm tall (Y).
    expect(m.sample('c', 60, 0)).toBeNull();
    expect(m.sample('c', 40, 90)).toBe(200);
  });

  it('value 0 is kept apart from unscanned stage; the newest frame wins', () => {
    const m = new MosaicPyramid();
    const g = { widthPx: 10, heightPx: 10, umPerPx: 10, centerXUm: 0, centerYUm: 0 };
    m.place(new Uint16Array(100), g, id, 'c');
    expect(m.sample('c', 0, 0)).toBe(0);
    m.place(new Uint16Array(100).fill(7), { ...g, centerXUm: 20 }, id, 'c');
    expect(m.sample('c', 10, 0)).toBe(7);
    expect(m.sample('c', -40, 0)).toBe(0);
  });

  it('a frame across cell borders writes every cell it overlaps', () => {
    const m = new MosaicPyramid();
    const edge = cellUm(0);
    const g = { widthPx: 20, heightPx: 20, umPerPx: 1, centerXUm: edge, centerYUm: edge };
    const touched = m.place(new Uint16Array(400).fill(3), g, id, 'c');
    expect(touched.filter((c) => c.level === 0)).toHaveLength(4);
    expect(m.cellsIn(0, { x0: edge - 5, y0: edge - 5, x1: edge + 5, y1: edge + 5 })).toHaveLength(
      4,
    );
    expect(touched.every((c) => c.version === 1)).toBe(true);
  });

  it('levelFor picks the level whose texel is closest below a screen pixel', () => {
    expect(levelFor(0.3)).toBe(0);
    expect(levelFor(1)).toBe(0);
    expect(levelFor(5)).toBe(2);
    expect(levelFor(1e9)).toBe(LEVELS - 1);
  });

  it('refuses short pixel buffers and wrong-sized restored cells', () => {
    const m = new MosaicPyramid();
    const g = { widthPx: 10, heightPx: 10, umPerPx: 1, centerXUm: 0, centerYUm: 0 };
    expect(() => m.place(new Uint16Array(99), g, id, 'c')).toThrow(/99 pixels for a 10×10/);
    expect(() =>
      m.restore({ channel: 'c', level: 0, ix: 0, iy: 0, data: new Uint16Array(5) }),
    ).toThrow(new RegExp(`expected ${CELL_TEXELS ** 2}`));
  });

  it('stays within its page-memory budget by dropping least recently used saved cells', () => {
    const m = new MosaicPyramid(4 * CELL_BYTES);
    const saved = new Set<string>();
    m.canEvict = (key) => saved.has(key);
    const frame = (x: number) => ({
      widthPx: 10,
      heightPx: 10,
      umPerPx: 1,
      centerXUm: x,
      centerYUm: 100,
    });
    const far = cellUm(0) * 4 + 100;
    m.place(new Uint16Array(100).fill(1), frame(100), id, 'c');
    const first = m.cells.size;
    expect(first).toBeGreaterThan(4);
    // Nothing saved yet: nothing may go, the budget is exceeded rather than data lost.
    expect(m.evictOverBudget()).toBe(0);
    expect(m.cells.size).toBe(first);
    for (const k of m.cells.keys()) saved.add(k);
    m.place(new Uint16Array(100).fill(2), frame(far), id, 'c');
    m.evictOverBudget();
    expect(m.bytes).toBeLessThanOrEqual(4 * CELL_BYTES);
    // The first frame's level-0 cell was least recently used: offloaded, no longer readable.
    const first0 = cellKey('c', 0, 0, 0);
    expect(m.offloaded.has(first0)).toBe(true);
    expect(m.sample('c', 100, 100)).toBeNull();
    expect(m.offloadedIn(0, { x0: 90, y0: 90, x1: 110, y1: 110 })).toEqual([first0]);
    // The new frame's cells were never saved: kept whatever the budget.
    expect(m.sample('c', far, 100)).toBe(2);
  });

  it('a frame placed over an offloaded cell keeps both: stored texels fill what it did not write', () => {
    const m = new MosaicPyramid();
    const stored = new Uint16Array(CELL_TEXELS ** 2);
    stored[5 * CELL_TEXELS + 5] = 43; // texel (5, 5): value 42
    stored[100 * CELL_TEXELS + 100] = 8; // texel (100, 100): value 7, to be overwritten
    m.markOffloaded([cellKey('c', 0, 0, 0)]);
    expect(m.channels()).toEqual(['c']);
    const g = { widthPx: 10, heightPx: 10, umPerPx: 1, centerXUm: 100, centerYUm: 100 };
    m.place(new Uint16Array(100).fill(9), g, id, 'c');
    expect(m.needsMerge.has(cellKey('c', 0, 0, 0))).toBe(true);
    m.mergeStored(cellKey('c', 0, 0, 0), stored);
    expect(m.needsMerge.size).toBe(0);
    expect(m.sample('c', 5.5, 5.5)).toBe(42);
    expect(m.sample('c', 100.5, 100.5)).toBe(9);
    // A cell placed before the stored keys were listed needs the merge too.
    const late = new MosaicPyramid();
    late.place(new Uint16Array(100).fill(9), g, id, 'c');
    late.markOffloaded([cellKey('c', 0, 0, 0), cellKey('c', 0, 5, 5)]);
    expect([...late.needsMerge]).toEqual([cellKey('c', 0, 0, 0)]);
    expect([...late.offloaded]).toEqual([cellKey('c', 0, 5, 5)]);
    // restore() of a cell already in memory merges the same way.
    m.restore({ channel: 'c', level: 0, ix: 0, iy: 0, data: stored });
    expect(m.sample('c', 100.5, 100.5)).toBe(9);
  });
});

describe('mosaic levels of detail', () => {
  /** Vertical stripes 8 px wide alternating 0 and 1000, starting with 0 at column 0. */
  function stripes(w: number, h: number): Uint16Array {
    const p = new Uint16Array(w * h);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) p[r * w + c] = c % 16 < 8 ? 0 : 1000;
    return p;
  }

  it('a coarse texel is the mean of the pixels it spans; level 0 keeps the nearest pixel', () => {
    const m = new MosaicPyramid();
    // 0.25 µm pixels: a level-2 texel (4 µm) spans 16 pixels, one period of the stripes.
    const g = { widthPx: 256, heightPx: 256, umPerPx: 0.25, centerXUm: 32, centerYUm: 32 };
    m.place(stripes(256, 256), g, id, 'GFP');
    // The frame covers 0..64 µm; level 0 (1 µm texels, 4 px): 0 on 0..2 µm, 1000 on 2..4 µm.
    expect(m.sample('GFP', 0.5, 10)).toBe(0);
    expect(m.sample('GFP', 2.5, 10)).toBe(1000);
    // Level 1 (2 µm = 8 px, one stripe each) and level 2 (one period): means 0/1000 and 500.
    expect(m.sample('GFP', 1, 10, 1)).toBe(0);
    expect(m.sample('GFP', 3, 10, 1)).toBe(1000);
    for (const x of [2, 6, 30, 62]) expect(m.sample('GFP', x, 10, 2)).toBe(500);
    // Level 4 (16 µm texels): still the mean, not one stripe.
    expect(m.sample('GFP', 20, 20, 4)).toBe(500);
  });
});
