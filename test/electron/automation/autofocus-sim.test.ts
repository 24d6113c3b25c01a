/** Autofocus on the simulated microscope, judged by its ground truth (world.truth). */
import { afterEach, describe, expect, it } from 'vitest';
import { autofocus } from '../../../electron/automation/autofocus';
import { uniform } from '../../../drivers/sim/rng';
import { simFocusRig, type SimFocusRig } from './autofocus-sim-target';

let rig: SimFocusRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A field with at least one object in view (the camera field is 256 × 0.1083 µm). */
function fieldWithContent(r: SimFocusRig, rand: () => number): { x: number; y: number } {
  for (;;) {
    const x = (rand() * 2 - 1) * 800;
    const y = (rand() * 2 - 1) * 800;
    const half = 10;
    if (
      r.world.truth.cellsIn({ xUm: x - half, yUm: y - half, widthUm: 2 * half, heightUm: 2 * half })
        .length > 0
    ) {
      return { x, y };
    }
  }
}

describe('autofocus on the simulated microscope', () => {
  it('lands within a third of the depth of field on beads, from random starts ±20 µm', async () => {
    rig = await simFocusRig({ sample: 'beads', cellCount: 20_000 });
    const rand = uniform(17);
    const dof = rig.world.truth.depthOfFieldUm;
    for (let i = 0; i < 6; i++) {
      const { x, y } = fieldWithContent(rig, rand);
      const truth = rig.parkAt(x, y);
      await rig.zDrive.moveToUm(truth + (rand() * 2 - 1) * 19);
      const r = await autofocus(rig.target('normalized-variance'), {
        rangeUm: 20,
        toleranceUm: 0.1,
        measure: 'normalized-variance',
      });
      expect(Math.abs(r.zUm - truth)).toBeLessThan(dof / 3);
      expect(await rig.zDrive.getPositionUm()).toBeCloseTo(r.zUm, 6);
      expect(r.images).toBeLessThan(14);
    }
  });

  it.each(['sparse-cells', 'cells', 'dense-tissue'] as const)(
    'focuses on %s within their thickness (emitters span ±2 µm about the coverslip)',
    async (sample) => {
      rig = await simFocusRig({ sample });
      const rand = uniform(23);
      for (let i = 0; i < 3; i++) {
        const { x, y } = fieldWithContent(rig, rand);
        const truth = rig.parkAt(x, y);
        await rig.zDrive.moveToUm(truth + (rand() * 2 - 1) * 19);
        const r = await autofocus(rig.target('brenner'), {
          rangeUm: 20,
          toleranceUm: 0.1,
          measure: 'brenner',
        });
        expect(Math.abs(r.zUm - truth)).toBeLessThan(2);
      }
    },
  );

  it('refuses the empty sample and leaves Z at the start', async () => {
    rig = await simFocusRig({ sample: 'empty' });
    rig.parkAt(100, -50);
    await rig.zDrive.moveToUm(7);
    await expect(
      autofocus(rig.target('normalized-variance'), {
        rangeUm: 20,
        toleranceUm: 0.1,
        measure: 'normalized-variance',
      }),
    ).rejects.toMatchObject({
      code: 'E_AUTOFOCUS',
      message: expect.stringMatching(/^no focus found in ±20 µm/),
    });
    expect(await rig.zDrive.getPositionUm()).toBe(7);
  });
});
