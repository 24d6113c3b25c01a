/** A small simulated microscope for camera tests: fixed clock, stage parked on a cell. */
import { SimCamera } from '../../../drivers/sim/camera';
import { sampleFor } from '../../../drivers/sim/sample';
import { SimLaser } from '../../../drivers/sim/sim-devices';
import { SimWorld, type SimWorldOptions } from '../../../drivers/sim/world';

export interface Rig {
  world: SimWorld;
  camera: SimCamera;
  laser: SimLaser;
  /** Moves the world clock on (it starts at 1 ms and stands still otherwise). */
  advanceMs(ms: number): void;
  /** Parks stage and focus on cell `index`, `defocusUm` from its focal surface. */
  parkOnCell(index: number, defocusUm?: number, dxUm?: number, dyUm?: number): void;
  close(): Promise<void>;
}

export async function makeRig(
  over: {
    seed?: number;
    camera?: Record<string, unknown>;
    laserMaxMw?: number;
    /** World options over the rig's (mount, drift, …). */
    world?: Partial<SimWorldOptions>;
  } = {},
): Promise<Rig> {
  let nowMs = 0;
  const world = new SimWorld({
    seed: over.seed ?? 5,
    cellCount: 200,
    slideHalfWidthUm: 1_000,
    clock: () => nowMs,
    ...over.world,
  });
  const camera = new SimCamera('cam', world, {
    widthPx: 256,
    heightPx: 256,
    pixelSizeUm: 0.2,
    readNoiseE: 2,
    offsetAdu: 100,
    gainAduPerE: 1,
    readoutMs: 0,
    renderWorkers: 0,
    ...over.camera,
  });
  const laser = new SimLaser('l488', world, {
    wavelengthNm: 488,
    maxPowerMw: over.laserMaxMw ?? 100,
  });
  await camera.connect();
  await laser.connect();
  nowMs = 1;
  return {
    world,
    camera,
    laser,
    advanceMs(ms) {
      nowMs += ms;
    },
    parkOnCell(index, defocusUm = 0, dxUm = 0, dyUm = 0) {
      const c = sampleFor(world).cellCentreUm(index);
      if (!c) throw new Error(`no cell ${index}`);
      world.stage.setPositionUm([c.xUm + dxUm, c.yUm + dyUm]);
      const z = sampleFor(world).focalSurfaceUm(c.xUm, c.yUm, nowMs);
      world.focus.setPositionUm([z + defocusUm]);
    },
    async close() {
      await camera.disconnect();
      await laser.disconnect();
    },
  };
}
