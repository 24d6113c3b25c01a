/**
 * Auto-shutter with a serial laser: a Cobolt wire simulator on a pty (the real driver, the
 * host) and the simulated camera. channel.apply puts no `l1` on the wire; each snap switches
 * the line on before its exposure and off after its read-out; the laser is dark while the
 * camera is idle. Light (the simulator's line) and exposures share performance.now.
 */
import { afterEach, expect, it } from 'vitest';
import { CoboltSim } from '../../../drivers/lasers/cobolt/cobolt-sim';
import type { SimCamera } from '../../../drivers/sim/camera';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import {
  emissionIntervals,
  fullDose,
  lightWhileIdle,
  unlitExposures,
} from '../../support/light-timeline';
import { wireHost, type WireHost } from '../../support/wire-host';

/** Serial switching latency allowed before an exposure and after its read-out. */
const MARGIN_MS = 150;

let rig: WireHost | undefined;
let sim: RunningWireSim<CoboltSim> | undefined;
afterEach(async () => {
  await rig?.host.shutdown('test end');
  await sim?.stop();
  rig = sim = undefined;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('snap with a Cobolt on a pty: no l1 at channel.apply, light only around each exposure', async () => {
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
  sim = await runWireSim(new CoboltSim(world, 'cobolt'));
  rig = await wireHost(
    [
      { id: 'cobolt', kind: 'laser', driver: 'cobolt', options: { port: sim.devicePath } },
      {
        id: 'camera',
        kind: 'camera',
        driver: 'sim',
        options: { widthPx: 64, heightPx: 64, pixelSizeUm: 0.2 },
      },
    ],
    { channels: [{ name: 'GFP', laserId: 'cobolt', powerMw: 5, exposureMs: 20 }] },
  );
  const sent = () => sim!.sim.received.map((r) => r.line.trim());
  const before = sent().length;
  expect(await rig.call('channel.apply', { name: 'GFP' })).toMatchObject({ ok: true });
  await pause(300);
  expect(sent().slice(before)).not.toContain('l1');
  expect(world.laser('cobolt').emission).toBe(false);

  for (let i = 0; i < 3; i++) {
    expect(await rig.call('camera.snap')).toMatchObject({ ok: true });
    await pause(300);
  }
  const camera = rig.host.devices.camera as SimCamera;
  const lit = emissionIntervals(world.emissionTimeline, 'cobolt');
  expect(lit).toHaveLength(3);
  expect(lightWhileIdle(lit, camera.exposureLog, MARGIN_MS)).toEqual([]);
  expect(unlitExposures(lit, camera.exposureLog)).toEqual([]);
  expect(world.laser('cobolt').emission).toBe(false);
  const dose = rig.host.bus.latest?.meta.doseMwMs;
  expect(fullDose(dose, 'cobolt', 5, 20), JSON.stringify(dose)).toBe(true);
});
