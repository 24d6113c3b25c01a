/**
 * An honest e-stop at the wire: with one laser answering garbage and one whose port is gone,
 * the e-stop result lists every line as confirmed-off, unconfirmed (with the reason) or
 * unreachable; the lines not confirmed off carry a persistent alarm in state and a
 * lastError, until the head confirms it is off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoboltSim } from '../../../drivers/lasers/cobolt/cobolt-sim';
import { ObisSim } from '../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';
import { wireHost, type WireHost } from '../../support/wire-host';
import { sleep, waitUntil } from '../contract/fixture';

const sims: RunningWireSim<WireSimulator>[] = [];
let rig: WireHost | undefined;
afterEach(async () => {
  await rig?.host.shutdown('test end');
  rig = undefined;
  for (const s of sims.splice(0)) await s.stop();
});

describe('e-stop result at the wire', () => {
  it('lists every line as confirmed-off, unconfirmed or unreachable and keeps the alarm', async () => {
    const w = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
    const good = await runWireSim(new ObisSim(w, 'good', { cdrhDelayMs: 0 }));
    const garbage = await runWireSim(new CoboltSim(w, 'garbage'));
    const gone = await runWireSim(new CoboltSim(w, 'gone'));
    sims.push(good, garbage, gone);
    rig = await wireHost(
      [
        ['good', 'obis', good],
        ['garbage', 'cobolt', garbage],
        ['gone', 'cobolt', gone],
      ].map(([id, driver, s]) => ({
        id,
        kind: 'laser',
        driver,
        options: { port: (s as RunningWireSim).devicePath, timeoutMs: 100 },
      })),
    );
    // Lines on by hand need auto-shutter off (issue #18).
    expect(await rig.call('shutter.setAuto', { enabled: false })).toMatchObject({ ok: true });
    for (const id of ['good', 'garbage', 'gone'])
      expect(await rig.call('laser.setEmission', { laserId: id, on: true })).toMatchObject({
        ok: true,
      });
    garbage.sim.injectFault({ kind: 'garbage' }, Infinity);
    await gone.vanish();
    const state = () => rig!.host.store.state;
    await waitUntil(() => state().devices.gone?.connection === 'disconnected', 1_000, 'the loss');

    const r = await rig.call('estop');
    expect(r).toEqual({
      ok: true,
      value: {
        lasersOff: ['good'],
        lines: [
          { laserId: 'good', outcome: 'confirmed-off' },
          {
            laserId: 'garbage',
            outcome: 'unconfirmed',
            // The off command's reply is not checked (set replies are [U]); the read-back is.
            reason: expect.stringMatching(/emission state is not a number: "#%.garbage/),
          },
          {
            laserId: 'gone',
            outcome: 'unreachable',
            reason: expect.stringMatching(/not connected/),
          },
        ],
      },
    });
    expect(good.sim.line.emission).toBe(false);
    const alarm = (id: string) =>
      state().devices[id]?.alarms.find((a) => a.code === 'E_OFF_UNCONFIRMED');
    expect(alarm('good')).toBeUndefined();
    expect(alarm('garbage')?.message).toMatch(/garbage did not confirm off/);
    expect(alarm('gone')?.message).toMatch(/gone unreachable/);
    expect(state().devices.garbage?.lastError?.code).toBe('E_PROTOCOL');

    // The alarm persists while the head cannot confirm off, until it does.
    await rig.host.devices.refresh('garbage');
    expect(alarm('garbage')).toBeDefined();
    garbage.sim.clearFaults();
    const again = await rig.call('laser.allOff');
    expect(again).toMatchObject({ ok: true, value: { lasersOff: ['good', 'garbage'] } });
    expect(alarm('garbage')).toBeUndefined();

    // The vanished one stays red until it is back and reads off (switched off at connect).
    await sleep(300);
    expect(alarm('gone')).toBeDefined();
    await gone.restore();
    await waitUntil(() => state().devices.gone?.alarms.length === 0, 5_000, 'the return');
    expect(gone.sim.line.emission).toBe(false);
  });
});
