/**
 * pixel ↔ stage for every stageOrientation: the conversion agrees with the jog pad's and the
 * navigator's mapping, and against the simulated camera mounted each of the eight ways a
 * cell at a known stage position (its centroid, and the ROI finder's ROI) is placed where it
 * is, and a registration shift between two frames of a drifting sample is the sample's true
 * drift (so correcting by it halves nothing and doubles nothing). With the identity-only
 * conversion (before orientation) the seven other mounts fail both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleFor } from '../../../drivers/sim/sample';
import type { StageOrientation } from '../../../electron/api/contract';
import { driftFromShift } from '../../../electron/automation/flimp/drift-correction';
import { registerPhaseCorrelation } from '../../../electron/automation/kernels/phase-correlation';
import { findRois } from '../../../electron/automation/kernels/roi-find';
import {
  frameRectUm,
  pixelToStage,
  stageToPixel,
  type FrameGeometry,
} from '../../../electron/automation/pixel-to-stage';
import { imageToStageOffset, stageToImageOffset } from '../../../electron/api/shared/orientation';
import { IDENTITY_ORIENTATION } from '../../../electron/config/stage-orientation';
import { viewDeltaToStage } from '../../../renderer/input/stage-orientation';
import {
  cameraOrientationOf,
  imageToStageOffset as navigatorImageToStage,
} from '../../../renderer/navigator/frame-placement';
import { makeRig, type Rig } from '../../drivers/sim/camera-rig';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const ALL: StageOrientation[] = [];
for (const flipX of [false, true])
  for (const flipY of [false, true])
    for (const rotate90 of [false, true]) ALL.push({ flipX, flipY, rotate90 });

/** Intensity-weighted centroid of the pixels above `offset` + 10 ADU. */
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

/** A cell of radius ≤ 9 µm with no neighbour within 70 µm: the frame's light is its own. */
function isolatedCell(r: Rig): number {
  const sample = sampleFor(r.world);
  for (let i = 0; i < 200; i++) {
    const c = sample.cellCentreUm(i)!;
    if (c.radiusUm > 9) continue;
    if (sample.cellsIn(c.xUm - 70, c.yUm - 70, c.xUm + 70, c.yUm + 70).length === 1) return i;
  }
  throw new Error('no isolated cell in the simulated sample');
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
      orientation: IDENTITY_ORIENTATION,
    };
    // Binned sensor 256×128: the axis is between pixels 127 and 128 (x), 63 and 64 (y).
    expect(stageToPixel(g, { xUm: 100, yUm: -40 })).toEqual({ xPx: 127.5 - 10, yPx: 63.5 - 20 });
    const p = { xPx: 3.25, yPx: 41.5 };
    const s = pixelToStage(g, p);
    expect(s.xUm).toBeCloseTo(100 + (3.25 - 117.5) * 0.2, 9);
    expect(s.yUm).toBeCloseTo(-40 + (41.5 - 43.5) * 0.2, 9);
    expect(frameRectUm({ ...g, roi: null }, 256, 128)).toEqual({
      xUm: 100 - 128 * 0.2,
      yUm: -40 - 64 * 0.2,
      widthUm: 256 * 0.2,
      heightUm: 128 * 0.2,
    });
  });

  it.each(ALL)('%o: the jog pad and the navigator map image offsets the same way', (o) => {
    const co = cameraOrientationOf(o);
    for (const [u, v] of [
      [3, 0],
      [0, -7],
      [2, 5],
    ] as const) {
      const s = imageToStageOffset(o, u, v);
      const jog = viewDeltaToStage(o, u, v);
      const map = navigatorImageToStage(co, { x: u, y: v });
      expect([s.xUm, s.yUm]).toEqual([jog.dxUm, jog.dyUm]);
      expect(s.xUm).toBeCloseTo(map.x, 12);
      expect(s.yUm).toBeCloseTo(map.y, 12);
      expect(stageToImageOffset(o, s.xUm, s.yUm)).toEqual({ uUm: u, vUm: v });
    }
  });

  it.each(ALL)('%o: round trips and a frame rectangle holding every pixel', (o) => {
    const g: FrameGeometry = {
      stageXUm: 100,
      stageYUm: -40,
      pixelSizeUm: 0.1,
      binning: 2,
      sensorWidthPx: 512,
      sensorHeightPx: 256,
      roi: { xPx: 10, yPx: 20, widthPx: 100, heightPx: 50 },
      orientation: o,
    };
    const p = { xPx: 3.25, yPx: 41.5 };
    const back = stageToPixel(g, pixelToStage(g, p));
    expect(back.xPx).toBeCloseTo(p.xPx, 9);
    expect(back.yPx).toBeCloseTo(p.yPx, 9);
    const full = { ...g, roi: null };
    const rect = frameRectUm(full, 256, 128);
    // A quarter turn lays the 256 px width along stage Y.
    expect([rect.widthUm, rect.heightUm]).toEqual(
      o.rotate90 ? [128 * 0.2, 256 * 0.2] : [256 * 0.2, 128 * 0.2],
    );
    for (const c of [
      { xPx: -0.5, yPx: -0.5 },
      { xPx: 255.5, yPx: -0.5 },
      { xPx: -0.5, yPx: 127.5 },
      { xPx: 255.5, yPx: 127.5 },
    ]) {
      const s = pixelToStage(full, c);
      expect(s.xUm).toBeGreaterThanOrEqual(rect.xUm - 1e-9);
      expect(s.xUm).toBeLessThanOrEqual(rect.xUm + rect.widthUm + 1e-9);
      expect(s.yUm).toBeGreaterThanOrEqual(rect.yUm - 1e-9);
      expect(s.yUm).toBeLessThanOrEqual(rect.yUm + rect.heightUm + 1e-9);
    }
  });

  it.each(ALL)(
    'camera mounted %o: an isolated simulated cell is placed where it is, anywhere in a read-out region of a wide sensor',
    async (o) => {
      rig = await makeRig({
        seed: 5,
        camera: { widthPx: 320, heightPx: 192 },
        world: { cameraMount: o },
      });
      const index = isolatedCell(rig);
      const cell = sampleFor(rig.world).cellCentreUm(index)!;
      const roi = { xPx: 40, yPx: 16, widthPx: 200, heightPx: 160 };
      await rig.camera.setRoi(roi);
      await rig.laser.setPowerMw(20);
      await rig.laser.setEmission(true);
      for (const [dx, dy] of [
        [0, 0],
        [4, -3],
        [-3, 4],
      ] as const) {
        // The stage sits (dx, dy) away from the cell, so the cell is off-centre by (−dx, −dy).
        rig.parkOnCell(index, 0, dx, dy);
        const f = await rig.camera.snap();
        expect([f.widthPx, f.heightPx]).toEqual([roi.widthPx, roi.heightPx]);
        const g: FrameGeometry = {
          stageXUm: cell.xUm + dx,
          stageYUm: cell.yUm + dy,
          pixelSizeUm: 0.2,
          binning: 1,
          sensorWidthPx: 320,
          sensorHeightPx: 192,
          roi,
          orientation: o,
        };
        const s = pixelToStage(g, centroid(f.pixels, f.widthPx, 100));
        expect(Math.hypot(s.xUm - cell.xUm, s.yUm - cell.yUm)).toBeLessThan(1);
        // The ROI finder's cell, placed on the stage, is the true cell.
        const found = findRois(f.pixels, f.widthPx, f.heightPx, { minAreaPx: 300 });
        expect(found.length).toBeGreaterThan(0);
        const best = pixelToStage(g, found[0]!);
        expect(Math.hypot(best.xUm - cell.xUm, best.yUm - cell.yUm)).toBeLessThan(1.5);
      }
    },
  );

  it.each(ALL)(
    'camera mounted %o: the drift a registration measures is the sample’s true drift',
    async (o) => {
      rig = await makeRig({
        seed: 5,
        camera: { widthPx: 256, heightPx: 128 },
        world: {
          cameraMount: o,
          // 6 µm/min in a seeded direction, nothing else moving.
          coverslip: { tiltXUmPerMm: 0, tiltYUmPerMm: 0, curvatureUmPerMm2: 0, offsetUm: 0 },
          drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 6 },
        },
      });
      const index = isolatedCell(rig);
      await rig.laser.setPowerMw(20);
      await rig.laser.setEmission(true);
      rig.parkOnCell(index);
      const before = rig.world.truth.xyDriftUm();
      const first = await rig.camera.snap();
      rig.advanceMs(30_000);
      const after = rig.world.truth.xyDriftUm();
      const last = await rig.camera.snap();
      const truth = { xUm: after.xUm - before.xUm, yUm: after.yUm - before.yUm };
      expect(Math.hypot(truth.xUm, truth.yUm)).toBeCloseTo(3, 6);
      const shift = registerPhaseCorrelation(first.pixels, last.pixels, 256, 128);
      const drift = driftFromShift(shift, 0.2, o);
      // Correcting a position found before by `drift` leaves < 0.3 µm of the 3 µm (the wrong
      // sign on an axis would leave up to 6).
      expect(Math.hypot(drift.xUm - truth.xUm, drift.yUm - truth.yUm)).toBeLessThan(0.3);
    },
  );
});
