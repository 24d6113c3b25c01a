import { describe, expect, it } from 'vitest';
import { chooseScaleBar, sampleUmPerPixel } from '../../../renderer/display/scale-bar';
import {
  fitView,
  MAX_SCALE,
  panBy,
  pixelAt,
  screenToImage,
  wheelZoomFactor,
  zoomAt,
} from '../../../renderer/display/view-transform';
import { placeView } from '../../../renderer/display/view-transform';

describe('view transform', () => {
  it('fits and centres the image', () => {
    expect(fitView(200, 100, 400, 400)).toEqual({ scale: 2, offsetX: 0, offsetY: 100 });
  });

  it('zooming keeps the image point under the cursor fixed', () => {
    const v = fitView(512, 512, 800, 600);
    const before = screenToImage(v, 300, 250);
    const z = zoomAt(v, 3.7, 300, 250);
    const after = screenToImage(z, 300, 250);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(z.scale).toBeCloseTo(v.scale * 3.7, 12);
    expect(zoomAt(v, 1e9, 0, 0).scale).toBe(MAX_SCALE);
  });

  it('finds the pixel under the cursor after panning, null outside', () => {
    const v = panBy({ scale: 4, offsetX: 0, offsetY: 0 }, 10, 20);
    expect(pixelAt(v, 10, 20, 8, 8)).toEqual({ x: 0, y: 0 });
    expect(pixelAt(v, 10 + 4 * 7.99, 20 + 4 * 3.5, 8, 8)).toEqual({ x: 7, y: 3 });
    expect(pixelAt(v, 9.9, 20, 8, 8)).toBeNull();
    expect(pixelAt(v, 10 + 32, 20, 8, 8)).toBeNull();
  });

  it('wheel up zooms in, down zooms out, symmetrically', () => {
    expect(wheelZoomFactor(-100)).toBeCloseTo(1.2, 12);
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
  });
});

describe('scale bar', () => {
  it('uses pixel size × binning and picks a 1-2-5 length that fits', () => {
    expect(sampleUmPerPixel(0.65, 2)).toBe(1.3);
    // 0.65 µm/px at 1 screen px per image px: 160 px = 104 µm → 100 µm bar.
    const bar = chooseScaleBar(0.65, 1, 160)!;
    expect(bar.lengthUm).toBe(100);
    expect(bar.widthPx).toBeCloseTo(153.85, 2);
    expect(bar.label).toBe('100 µm');
    expect(chooseScaleBar(0.1, 10, 160)!.label).toBe('1 µm');
    expect(chooseScaleBar(6.5, 0.1, 160)!.label).toBe('10 mm');
    expect(chooseScaleBar(0.01, 16, 160)!.label).toBe('100 nm');
    expect(chooseScaleBar(0, 1)).toBeNull();
  });
});

describe('placeView', () => {
  it('draws a reduced view texel over the image pixels its block covers', () => {
    const v = { scale: 0.5, offsetX: 10, offsetY: 20 };
    const shown = { level: 2, region: { x: 64, y: 32 } };
    const t = placeView(v, shown);
    // Texel (3, 5) covers image pixels x 76..79, y 52..55: the same screen rectangle.
    expect(screenToImage(t, 10 + 0.5 * 76, 20 + 0.5 * 52)).toEqual({ x: 3, y: 5 });
    expect(screenToImage(t, 10 + 0.5 * 80, 20 + 0.5 * 56)).toEqual({ x: 4, y: 6 });
    expect(placeView(v, { level: 0, region: { x: 0, y: 0 } })).toEqual(v);
  });
});
