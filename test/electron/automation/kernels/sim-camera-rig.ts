/**
 * A 2048² simulated camera over a still world (flat coverslip in focus at z = 0, no
 * drift) with one 488 nm line, for the ROI and registration benches: frames at chosen stage
 * positions, and the geometry pixel-to-stage.ts needs to place world.truth in them.
 */
import type { FrameGeometry } from '../../../../electron/automation/pixel-to-stage';
import { SimCamera } from '../../../../drivers/sim/camera';
import { IDENTITY_ORIENTATION } from '../../../../electron/config/stage-orientation';
import { SimLaser } from '../../../../drivers/sim/sim-devices';
import { SimWorld, type SimSampleType } from '../../../../drivers/sim/world';

export const PIXEL_UM = 0.1083;

export interface SimFrames {
  world: SimWorld;
  sidePx: number;
  /** Sets exposure (ms) and laser power (mW) for the next frames. */
  light(exposureMs: number, powerMw: number): Promise<void>;
  snapAt(xUm: number, yUm: number): Promise<Uint16Array>;
  geometry(xUm: number, yUm: number): FrameGeometry;
  close(): Promise<void>;
}

export async function simFrames(o: {
  sample: SimSampleType;
  seed: number;
  cellCount?: number;
  sidePx?: number;
}): Promise<SimFrames> {
  const sidePx = o.sidePx ?? 2048;
  const world = new SimWorld({
    seed: o.seed,
    cellCount: o.cellCount ?? 600,
    slideHalfWidthUm: 1_500,
    sample: o.sample,
    coverslip: { tiltXUmPerMm: 0, tiltYUmPerMm: 0, curvatureUmPerMm2: 0, offsetUm: 0 },
    drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 },
  });
  const camera = new SimCamera('camera', world, {
    widthPx: sidePx,
    heightPx: sidePx,
    pixelSizeUm: PIXEL_UM,
    readoutMs: 0,
    renderWorkers: 1,
  });
  const laser = new SimLaser('laser488', world, { wavelengthNm: 488, maxPowerMw: 100 });
  await Promise.all([camera.connect(), laser.connect()]);
  await laser.setEmission(true);
  return {
    world,
    sidePx,
    async light(exposureMs, powerMw) {
      await camera.setExposureMs(exposureMs);
      await laser.setPowerMw(powerMw);
    },
    async snapAt(xUm, yUm) {
      world.stage.setPositionUm([xUm, yUm]);
      return (await camera.snap()).pixels;
    },
    geometry: (xUm, yUm) => ({
      stageXUm: xUm,
      stageYUm: yUm,
      pixelSizeUm: PIXEL_UM,
      binning: 1,
      sensorWidthPx: sidePx,
      sensorHeightPx: sidePx,
      roi: null,
      orientation: IDENTITY_ORIENTATION,
    }),
    async close() {
      await laser.setEmission(false);
      await Promise.all([camera.disconnect(), laser.disconnect()]);
    },
  };
}
