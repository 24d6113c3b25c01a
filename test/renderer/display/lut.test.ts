import { describe, expect, it } from 'vitest';
import { colormapIndex, colormapTable, COLORMAP_NAMES } from '../../../renderer/display/colormaps';
import { buildValueTable } from '../../../renderer/display/canvas-renderer';
import { computeHistogram } from '../../../renderer/display/histogram';
import { autoContrast, clampWindow, windowValue } from '../../../renderer/display/lut';

describe('display window', () => {
  it('maps min→0, max→1 with gamma in between and clamps outside', () => {
    const w = { min: 100, max: 300, gamma: 1 };
    expect(windowValue(100, w)).toBe(0);
    expect(windowValue(200, w)).toBe(0.5);
    expect(windowValue(300, w)).toBe(1);
    expect(windowValue(50, w)).toBe(0);
    expect(windowValue(60000, w)).toBe(1);
    expect(windowValue(200, { ...w, gamma: 2 })).toBeCloseTo(0.25, 12);
    expect(windowValue(200, { ...w, gamma: 0.5 })).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('normalises windows to max > min inside the bit depth', () => {
    expect(clampWindow({ min: 500, max: 400, gamma: 1 }, 4096)).toEqual({
      min: 500,
      max: 501,
      gamma: 1,
    });
    expect(clampWindow({ min: -5, max: 99999, gamma: 9 }, 4096)).toEqual({
      min: 0,
      max: 4095,
      gamma: 5,
    });
    expect(clampWindow({ min: 4095, max: 4095, gamma: NaN }, 4096)).toEqual({
      min: 4094,
      max: 4095,
      gamma: 1,
    });
  });
});

describe('auto-contrast', () => {
  it('ignores the saturated tails and tightens to the data range', () => {
    // 10 000 pixels: background 1000..1099, plus 10 hot pixels at 4000 (0.1 %).
    const px = new Uint16Array(10_000);
    for (let i = 0; i < px.length; i++) px[i] = 1000 + (i % 100);
    for (let i = 0; i < 10; i++) px[i * 997] = 4000;
    const h = computeHistogram(px, 12, 1e9);
    const w = autoContrast(h, 0.35);
    expect(w.min).toBe(1000);
    expect(w.max).toBe(1099);
    const all = autoContrast(h, 0);
    expect(all).toEqual({ min: 1000, max: 4000 });
  });

  it('keeps max > min for a flat image and a sane default for an empty one', () => {
    const h = computeHistogram(new Uint16Array(64).fill(700), 16, 1e9);
    const w = autoContrast(h);
    expect(w.max).toBeGreaterThan(w.min);
    expect(w.min).toBe(700);
    expect(autoContrast(computeHistogram(new Uint16Array(0), 12))).toEqual({ min: 0, max: 255 });
  });
});

describe('colour maps and the CPU value table', () => {
  it('every map is black at 0 and grey is linear', () => {
    for (const name of COLORMAP_NAMES) {
      const t = colormapTable(name);
      expect(t.length).toBe(256 * 4);
      expect(Array.from(t.subarray(0, 3))).toEqual([0, 0, 0]);
    }
    const grey = colormapTable('grey');
    expect(Array.from(grey.subarray(128 * 4, 128 * 4 + 4))).toEqual([128, 128, 128, 255]);
    const hot = colormapTable('hot');
    expect(Array.from(hot.subarray(255 * 4, 255 * 4 + 3))).toEqual([255, 255, 255]);
    expect(hot[85 * 4 + 1]).toBe(0);
  });

  it('the CPU table agrees with window → index → colour map, and hilo marks the ends', () => {
    const w = { min: 100, max: 1100, gamma: 0.7 };
    const table = buildValueTable(w, 'hot');
    const hot = colormapTable('hot');
    for (const v of [0, 100, 350, 600, 1099, 1100, 65535]) {
      const i = colormapIndex(windowValue(v, w)) * 4;
      const packed = table[v]!;
      expect([packed & 255, (packed >>> 8) & 255, (packed >>> 16) & 255, packed >>> 24]).toEqual([
        hot[i],
        hot[i + 1],
        hot[i + 2],
        255,
      ]);
    }
    const hilo = buildValueTable(w, 'hilo');
    expect(hilo[100]! & 0xffffff).toBe(0xff5900); // blue-ish (r 0, g 89, b 255) packed LE
    expect(hilo[1100]! & 0xffffff).toBe(0x0000ff); // red
    expect(hilo[600]! & 255).toBe(colormapIndex(windowValue(600, w)));
  });
});
