/**
 * FLImP tile grids step by the field's extent along each stage axis: with a camera turned a
 * quarter turn, a wide frame is tall on the stage, and tiles without overlap abut exactly
 * (no gap, no overlap) whatever the orientation.
 */
import { describe, expect, it } from 'vitest';
import type { StageOrientation } from '../../../../electron/api/contract';
import { parseFlimpPlan } from '../../../../electron/automation/flimp/plan-schema';
import { tileCentres } from '../../../../electron/automation/flimp/tile-scan';
import { frameRectUm } from '../../../../electron/automation/pixel-to-stage';
import { basePlan } from '../../../support/automation-rig';

const ALL: StageOrientation[] = [];
for (const flipX of [false, true])
  for (const flipY of [false, true])
    for (const rotate90 of [false, true]) ALL.push({ flipX, flipY, rotate90 });

describe('tileCentres', () => {
  it.each(ALL)('%o: tiles of a 200 × 100 px field abut on the stage', (orientation) => {
    const plan = parseFlimpPlan({
      ...basePlan,
      scan: { rows: 2, columns: 3, overlap: 0, serpentine: false },
    });
    const fov = { widthPx: 200, heightPx: 100, pixelUm: 0.5, orientation };
    const centres = tileCentres(plan, fov, { xUm: 10, yUm: -20 });
    expect(centres).toHaveLength(6);
    const rects = centres.map((c) =>
      frameRectUm(
        {
          stageXUm: c.xUm,
          stageYUm: c.yUm,
          pixelSizeUm: 0.5,
          binning: 1,
          sensorWidthPx: 200,
          sensorHeightPx: 100,
          roi: null,
          orientation,
        },
        200,
        100,
      ),
    );
    const [w, h] = orientation.rotate90 ? [50, 100] : [100, 50];
    for (const r of rects) expect([r.widthUm, r.heightUm]).toEqual([w, h]);
    // Rows of three side by side, two rows one above the other, centred on (10, −20).
    const xs = [...new Set(rects.map((r) => r.xUm))].sort((a, b) => a - b);
    const ys = [...new Set(rects.map((r) => r.yUm))].sort((a, b) => a - b);
    expect(xs).toEqual([10 - 1.5 * w, 10 - 0.5 * w, 10 + 0.5 * w]);
    expect(ys).toEqual([-20 - h, -20]);
  });
});
