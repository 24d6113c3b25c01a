/** The kernels on simulated frames, judged by the simulator's ground truth. */
import { describe, expect, it } from 'vitest';
import { findRois } from '../../../../electron/automation/kernels/roi-find';
import { registerPhaseCorrelation } from '../../../../electron/automation/kernels/phase-correlation';
import { uniform } from '../../../../drivers/sim/rng';
import { f1, fieldWithCells, scoreRois } from './roi-truth';
import { PIXEL_UM, simFrames } from './sim-camera-rig';

describe('kernels on the simulated microscope', () => {
  it('ROI finding recovers the simulated cells (sparse cells, 2048² fields)', async () => {
    const sim = await simFrames({ sample: 'sparse-cells', seed: 9 });
    try {
      await sim.light(10, 1);
      const rand = uniform(5);
      const total = { tp: 0, fp: 0, fn: 0 };
      for (let i = 0; i < 3; i++) {
        const pos = fieldWithCells(sim.world, sim.sidePx, PIXEL_UM, rand, 2);
        const pixels = await sim.snapAt(pos.xUm, pos.yUm);
        const rois = findRois(pixels, sim.sidePx, sim.sidePx, {
          smoothSigmaPx: 24,
          backgroundRadiusPx: 300,
          hysteresis: 0.5,
          minAreaPx: 5_000,
          split: true, // fields of ≥ 2 cells: some touch
        });
        const s = scoreRois(sim.world, sim.geometry(pos.xUm, pos.yUm), sim.sidePx, rois);
        total.tp += s.tp;
        total.fp += s.fp;
        total.fn += s.fn;
      }
      expect(total.tp).toBeGreaterThanOrEqual(6);
      expect(f1(total)).toBeGreaterThanOrEqual(0.95);
    } finally {
      await sim.close();
    }
  });

  it('registration recovers known sub-pixel stage shifts within 0.1 px (dense tissue)', async () => {
    // Bright enough that the signal, not the simulator's recurring read-noise pool, correlates.
    const sim = await simFrames({ sample: 'dense-tissue', seed: 4, sidePx: 1024 });
    try {
      await sim.light(10, 5);
      for (const [dx, dy] of [
        [0.37, -1.62],
        [-4.25, 2.9],
        [7.81, 0.05],
      ] as const) {
        const reference = await sim.snapAt(100, -200);
        const moving = await sim.snapAt(100 - dx * PIXEL_UM, -200 - dy * PIXEL_UM);
        const r = registerPhaseCorrelation(reference, moving, 1024, 1024);
        expect(Math.abs(r.dxPx - dx)).toBeLessThan(0.1);
        expect(Math.abs(r.dyPx - dy)).toBeLessThan(0.1);
      }
    } finally {
      await sim.close();
    }
  });
});
