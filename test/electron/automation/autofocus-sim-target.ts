/**
 * A FocusTarget on the simulated microscope (sim camera + sim Z drive + one laser line),
 * for the autofocus tests and bench: still world (no drift), a tilted and curved coverslip
 * so every field has its own focus, seeded. Ground truth comes from world.truth only.
 */
import type { FocusTarget } from '../../../electron/automation/autofocus';
import {
  focusMeasure,
  type FocusMeasureName,
} from '../../../electron/automation/kernels/focus-measures';
import { SimCamera } from '../../../drivers/sim/camera';
import { SimLaser, SimZDrive } from '../../../drivers/sim/sim-devices';
import { SimWorld, type SimSampleType } from '../../../drivers/sim/world';

export interface SimFocusRig {
  world: SimWorld;
  camera: SimCamera;
  zDrive: SimZDrive;
  /** Frames snapped since the rig was made. */
  frames(): number;
  target(measure: FocusMeasureName, limitsUm?: { min: number; max: number }): FocusTarget;
  /** Moves the stage to (x, y) (no wait: the sim stage is parked at once) and returns the truth focus there. */
  parkAt(xUm: number, yUm: number): number;
  close(): Promise<void>;
}

export async function simFocusRig(o: {
  sample: SimSampleType;
  seed?: number;
  cellCount?: number;
  sizePx?: number;
  renderWorkers?: number;
}): Promise<SimFocusRig> {
  const world = new SimWorld({
    seed: o.seed ?? 3,
    cellCount: o.cellCount ?? 400,
    slideHalfWidthUm: 1_000,
    sample: o.sample,
    coverslip: { tiltXUmPerMm: 3, tiltYUmPerMm: -2, curvatureUmPerMm2: 1.5, offsetUm: 4 },
    drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 },
  });
  const side = o.sizePx ?? 256;
  const camera = new SimCamera('camera', world, {
    widthPx: side,
    heightPx: side,
    readoutMs: 0,
    renderWorkers: o.renderWorkers ?? 0,
  });
  const zDrive = new SimZDrive('focus', world, { speedUmPerS: 5_000 });
  const laser = new SimLaser('laser488', world, { wavelengthNm: 488, maxPowerMw: 100 });
  await Promise.all([camera.connect(), zDrive.connect(), laser.connect()]);
  await camera.setExposureMs(5);
  await laser.setPowerMw(10);
  await laser.setEmission(true);
  let frames = 0;
  return {
    world,
    camera,
    zDrive,
    frames: () => frames,
    target(measure, limitsUm = { min: -200, max: 200 }) {
      return {
        positionUm: () => zDrive.getPositionUm(),
        moveToUm: async (z) => {
          await zDrive.moveToUm(z);
        },
        score: async () => {
          const f = await camera.snap();
          frames++;
          return focusMeasure(measure, f.pixels, f.widthPx, f.heightPx);
        },
        limitsUm,
      };
    },
    parkAt(xUm, yUm) {
      world.stage.setPositionUm([xUm, yUm]);
      return world.truth.focusZUm(xUm, yUm);
    },
    async close() {
      await laser.setEmission(false);
      await Promise.all([camera.disconnect(), zDrive.disconnect(), laser.disconnect()]);
    },
  };
}
