/**
 * Exposure timing of the simulated camera against its own clock. Node timers may fire up to
 * 1 ms early: a live exposure ended by such a timer used to be logged (and imaged) as if it
 * began before startLive — before the auto-shutter's light went on
 * (test/electron/safety/auto-shutter.test.ts failed on it about once in four loaded runs) —
 * and a snap without read-out time could return before its exposure ended (the
 * auto-shutter's light then went off inside the exposure).
 */
import { afterEach, expect, it } from 'vitest';
import { SimCamera } from '../../../drivers/sim/camera';
import { SimWorld } from '../../../drivers/sim/world';

let camera: SimCamera | undefined;
afterEach(async () => {
  await camera?.disconnect();
  camera = undefined;
});

it('the first live exposure never starts before startLive (60 starts)', async () => {
  const world = new SimWorld({ seed: 3, cellCount: 0, slideHalfWidthUm: 300 });
  camera = new SimCamera('camera', world, {
    widthPx: 64,
    heightPx: 64,
    pixelSizeUm: 0.2,
    readoutMs: 0,
    renderWorkers: 0,
  });
  await camera.connect();
  await camera.setExposureMs(10);
  const early: number[] = [];
  for (let i = 0; i < 60; i++) {
    camera.exposureLog.length = 0;
    let frames = 0;
    const startedMs = world.clock();
    await camera.startLive(() => void frames++);
    while (frames < 2) await new Promise((r) => setTimeout(r, 1));
    await camera.stopLive();
    const first = camera.exposureLog[0]!;
    if (first.startMs < startedMs) early.push(startedMs - first.startMs);
    // Each exposure follows the one before (read-out 0: back to back at the earliest).
    for (let k = 1; k < camera.exposureLog.length; k++)
      expect(camera.exposureLog[k]!.startMs).toBeGreaterThanOrEqual(
        camera.exposureLog[k - 1]!.endMs - 1e-6,
      );
  }
  expect(early, 'ms before startLive').toEqual([]);
});

it('a snap without read-out time never returns before its exposure ends (300 snaps)', async () => {
  const world = new SimWorld({ seed: 3, cellCount: 0, slideHalfWidthUm: 300 });
  camera = new SimCamera('camera', world, {
    widthPx: 64,
    heightPx: 64,
    pixelSizeUm: 0.2,
    readoutMs: 0,
    renderWorkers: 0,
  });
  await camera.connect();
  await camera.setExposureMs(10);
  const early: number[] = [];
  for (let i = 0; i < 300; i++) {
    await camera.snap();
    const returnedMs = world.clock();
    const endMs = camera.exposureLog.at(-1)!.endMs;
    if (returnedMs < endMs) early.push(endMs - returnedMs);
  }
  expect(early, 'ms before the exposure ended').toEqual([]);
});
