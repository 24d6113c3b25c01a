/** pixel ↔ stage against the simulated camera: a cell at a known stage position appears where the conversion says. */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleFor } from '../../../drivers/sim/sample';
import {
  frameRectUm,
  pixelToStage,
  stageToPixel,
  type FrameGeometry,
} from '../../../electron/automation/pixel-to-stage';
import { makeRig, type Rig } from '../../drivers/sim/camera-rig';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Intensity-weighted centroid of the pixels above `offset` + 5 read-noise sigmas. */
function centroid(px: Uint16Array, w: number, offset: number): { xPx: number; yPx: number } {
  let sx = 0;
  let sy = 0;
  let s = 0;
  for (let i = 0; i < px.length; i++) {
    const v = (px[i] ?? 0) - offset - 10;
    if (v <= 0) continue;
    sx += v * (i % w);
    sy += v * Math.floor(i / w);
    s += v;
  }
  return { xPx: sx / s, yPx: sy / s };
}

describe('pixelToStage', () => {
  it('is the inverse of stageToPixel, with the axis at the sensor centre and ROI offsets applied', () => {
    const g: FrameGeometry = {
      stageXUm: 100,
      stageYUm: -40,
      pixelSizeUm: 0.1,
      binning: 2,
      sensorWidthPx: 512,
      sensorHeightPx: 256,
      roi: { xPx: 10, yPx: 20, widthPx: 100, heightPx: 50 },
    };
    // Binned sensor 256×128: the axis is between pixels 127 and 128 (x), 63 and 64 (y).
    expect(stageToPixel(g, { xUm: 100, yUm: -40 })).toEqual({ xPx: 127.5 - 10, yPx: 63.5 - 20 });
    const p = { xPx: 3.25, yPx: 41.5 };
    const s = pixelToStage(g, p);
    expect(s.xUm).toBeCloseTo(100 + (3.25 - 117.5) * 0.2, 9);
    expect(s.yUm).toBeCloseTo(-40 + (41.5 - 43.5) * 0.2, 9);
    const back = stageToPixel(g, s);
    expect(back.xPx).toBeCloseTo(p.xPx, 9);
    expect(back.yPx).toBeCloseTo(p.yPx, 9);
    expect(frameRectUm({ ...g, roi: null }, 256, 128)).toEqual({
      xUm: 100 - 128 * 0.2,
      yUm: -40 - 64 * 0.2,
      widthUm: 256 * 0.2,
      heightUm: 128 * 0.2,
    });
  });

  it('puts an isolated simulated cell where the simulated camera images it, wherever it is in the field', async () => {
    rig = await makeRig({ seed: 5 });
    const sample = sampleFor(rig.world);
    // A cell with no neighbour within 70 µm, so the whole frame's light is its own.
    let index = -1;
    for (let i = 0; i < 200 && index < 0; i++) {
      const c = sample.cellCentreUm(i)!;
      if (c.radiusUm > 9) continue;
      const near = sample.cellsIn(c.xUm - 70, c.yUm - 70, c.xUm + 70, c.yUm + 70);
      if (near.length === 1) index = i;
    }
    expect(index).toBeGreaterThanOrEqual(0);
    const cell = sample.cellCentreUm(index)!;
    await rig.laser.setPowerMw(20);
    await rig.laser.setEmission(true);
    for (const [dx, dy] of [
      [0, 0],
      [9, -6],
      [-8, 7],
    ] as const) {
      // The stage sits (dx, dy) away from the cell, so the cell is off-centre by (−dx, −dy).
      rig.parkOnCell(index, 0, dx, dy);
      const f = await rig.camera.snap();
      const c = centroid(f.pixels, f.widthPx, 100);
      const g: FrameGeometry = {
        stageXUm: cell.xUm + dx,
        stageYUm: cell.yUm + dy,
        pixelSizeUm: 0.2,
        binning: 1,
        sensorWidthPx: 256,
        sensorHeightPx: 256,
        roi: null,
      };
      const s = pixelToStage(g, c);
      expect(Math.hypot(s.xUm - cell.xUm, s.yUm - cell.yUm)).toBeLessThan(1);
      // Off-centre cells really are off-centre in the image (the test can tell the sign).
      if (dx !== 0) {
        expect((c.xPx - 127.5) * dx).toBeLessThan(-20 * Math.abs(dx));
        expect((c.yPx - 127.5) * dy).toBeLessThan(-20 * Math.abs(dy));
      }
    }
  });
});
