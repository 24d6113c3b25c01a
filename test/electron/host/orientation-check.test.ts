/**
 * Issue #18 §7: the orientation check derives stageOrientation from how the image moves, for
 * every mapping the contract allows, and on the simulated microscope with its camera mounted
 * each of the eight ways (`sim.cameraMount`): the simulator renders what the contract says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StageOrientation } from '../../../electron/api/contract';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { inferOrientation } from '../../../electron/host/orientation-check';
import { smallSimConfig } from '../../support/host-fixture';

const ctx: CallContext = { clientId: 'orientation-test', transport: 'internal' };
let host: Host | undefined;
afterEach(async () => {
  await host?.shutdown('test end');
  host = undefined;
});

/** The contract: stage (dx, dy) → view shift in image axes. */
function stageToView(o: StageOrientation, dx: number, dy: number) {
  let [u, v] = o.rotate90 ? [-dy, dx] : [dx, dy];
  if (o.flipX) u = -u;
  if (o.flipY) v = -v;
  return { xPx: u, yPx: v };
}

describe('inferOrientation', () => {
  it('recovers each of the eight mappings from the two view shifts (with noise)', () => {
    for (const flipX of [false, true])
      for (const flipY of [false, true])
        for (const rotate90 of [false, true]) {
          const o = { flipX, flipY, rotate90 };
          const x = stageToView(o, 50, 0);
          const y = stageToView(o, 0, 50);
          const noisy = (s: { xPx: number; yPx: number }) => ({ xPx: s.xPx + 3, yPx: s.yPx - 2 });
          expect(inferOrientation(noisy(x), noisy(y)), JSON.stringify(o)).toEqual(o);
        }
  });

  it('refuses shifts that are too small or not at right angles', () => {
    expect(() => inferOrientation({ xPx: 0.5, yPx: 0 }, { xPx: 0, yPx: 40 })).toThrow(
      /did not move clearly/,
    );
    expect(() => inferOrientation({ xPx: 40, yPx: 0 }, { xPx: 38, yPx: 5 })).toThrow(
      /right angles/,
    );
  });
});

const ALL: StageOrientation[] = [];
for (const flipX of [false, true])
  for (const flipY of [false, true])
    for (const rotate90 of [false, true]) ALL.push({ flipX, flipY, rotate90 });

async function start(stageOrientation?: StageOrientation, cameraMount?: StageOrientation) {
  const base = smallSimConfig();
  const config = smallSimConfig({
    ...(stageOrientation ? { stageOrientation } : {}),
    ...(cameraMount ? { sim: { ...base.sim, cameraMount } } : {}),
  });
  host = await createHost(
    { path: '/test/orientation.json', config: parseConfig(JSON.stringify(config), 'test') },
    { log: { log: () => undefined } },
  );
  const r = await host.call('channel.apply', { name: 'GFP' }, ctx);
  if (!r.ok) throw new Error(r.error.message);
  return host;
}

describe('stage.checkOrientation on the simulated microscope', () => {
  it('measures the identity mapping, says it matches, and leaves the stage where it was', async () => {
    const h = await start();
    const r = await h.call('stage.checkOrientation', { stepUm: 10 }, ctx);
    expect(r).toMatchObject({
      ok: true,
      value: { measured: { flipX: false, flipY: false, rotate90: false }, matches: true },
    });
    // 10 µm at 0.2 µm/px = 50 px.
    if (r.ok) {
      const v = r.value as { afterXPx: { xPx: number }; afterYPx: { yPx: number } };
      expect(v.afterXPx.xPx).toBeCloseTo(50, 0);
      expect(v.afterYPx.yPx).toBeCloseTo(50, 0);
    }
    await h.devices.refresh('stage');
    expect(h.store.state.stage).toMatchObject({ xUm: 0, yUm: 0 });
  });

  it.each(ALL)('a camera mounted %o is measured so, matching the same config', async (o) => {
    const h = await start(o);
    expect(await h.call('stage.checkOrientation', { stepUm: 10 }, ctx)).toMatchObject({
      ok: true,
      value: { measured: o, configured: o, matches: true },
    });
  });

  it('a config that disagrees with the image is reported as not matching', async () => {
    const identity = { flipX: false, flipY: false, rotate90: false };
    const h = await start({ flipX: true, flipY: false, rotate90: false }, identity);
    expect(await h.call('stage.checkOrientation', { stepUm: 10 }, ctx)).toMatchObject({
      ok: true,
      value: { matches: false, configured: { flipX: true } },
    });
  });
});
