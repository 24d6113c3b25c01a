/** Mosaic overview geometry: the scan grid, bounds and the click ↔ stage mapping. */
import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  fitMapping,
  gridFromPlan,
  tileRects,
} from '../../../../renderer/ui/automation/mosaic-geometry';

const camera = { widthPx: 256, heightPx: 128, pixelSizeUm: 0.5, binning: 1, roi: null };

describe('mosaic geometry', () => {
  it('tiles: rows × columns around the centre, one field minus the overlap apart', () => {
    const rects = tileRects({
      centreUm: { xUm: 100, yUm: -50 },
      columns: 2,
      rows: 1,
      overlap: 0.1,
      fieldUm: { widthUm: 128, heightUm: 64 },
    });
    // Step 128 × 0.9 = 115.2 µm; centres at 100 ± 57.6.
    expect(rects).toEqual([
      { xUm: 100 - 57.6 - 64, yUm: -82, widthUm: 128, heightUm: 64 },
      { xUm: 100 + 57.6 - 64, yUm: -82, widthUm: 128, heightUm: 64 },
    ]);
  });

  it('grid from a plan: its centre, else the stage at start; the field from camera and binning', () => {
    const plan = { kind: 'flimp', scan: { columns: 3, rows: 2, overlap: 0.2 } };
    const g = gridFromPlan(plan, { xUm: 5, yUm: 6 }, { ...camera, binning: 2 })!;
    expect(g.centreUm).toEqual({ xUm: 5, yUm: 6 });
    // 128 × 64 binned px of 1 µm.
    expect(g.fieldUm).toEqual({ widthUm: 128, heightUm: 64 });
    const withCentre = { ...plan, scan: { ...plan.scan, centreUm: { xUm: -1, yUm: 2 } } };
    expect(
      gridFromPlan(withCentre, null, {
        ...camera,
        roi: { xPx: 0, yPx: 0, widthPx: 10, heightPx: 20 },
      }),
    ).toMatchObject({
      centreUm: { xUm: -1, yUm: 2 },
      fieldUm: { widthUm: 5, heightUm: 10 },
    });
    expect(gridFromPlan(plan, null, camera)).toBeNull();
    expect(
      gridFromPlan({ scan: { columns: 'x', rows: 1 } }, { xUm: 0, yUm: 0 }, camera),
    ).toBeNull();
    expect(gridFromPlan(plan, { xUm: 0, yUm: 0 }, null)).toBeNull();
  });

  it('bounds and the fitted mapping round-trip a click to stage µm', () => {
    const b = boundsOf(
      [{ xUm: 0, yUm: 0, widthUm: 100, heightUm: 50 }],
      [{ xUm: 120, yUm: 10 }],
      10,
    )!;
    expect(b).toEqual({ xUm: -10, yUm: -10, widthUm: 140, heightUm: 70 });
    expect(boundsOf([], [], 5)).toBeNull();
    const m = fitMapping(b, { widthPx: 280, heightPx: 280 });
    expect(m.pxPerUm).toBe(2);
    // 70 µm tall → 140 px, centred vertically: offset 70 px.
    expect(m.toPx(-10, -10)).toEqual({ x: 0, y: 70 });
    expect(m.toUm(140, 140)).toEqual({ xUm: 60, yUm: 25 });
    expect(m.toUm(m.toPx(33, 44).x, m.toPx(33, 44).y)).toEqual({ xUm: 33, yUm: 44 });
  });
});
