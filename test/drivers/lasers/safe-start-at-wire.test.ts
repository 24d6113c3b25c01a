/**
 * A safe start at the wire (Cobolt and OBIS simulators on ptys, the real drivers, the
 * host): a laser found emitting at connect is switched off before any mode command, its
 * emission, power and interlock are read back into state; a line that opts out is left
 * alone (and no mode command reaches it); a laser whose port disappears is shown
 * unreachable at once, and is switched off again when it comes back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoboltSim } from '../../../drivers/lasers/cobolt/cobolt-sim';
import { ObisSim } from '../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';
import { wireHost, type WireHost } from '../../support/wire-host';
import { waitUntil } from '../contract/fixture';

const sims: RunningWireSim<WireSimulator>[] = [];
let rig: WireHost | undefined;
afterEach(async () => {
  await rig?.host.shutdown('test end');
  rig = undefined;
  for (const s of sims.splice(0)) await s.stop();
});

const world = () => new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });

/** Both simulators powered up with autostart on: they emit before the host connects. */
async function emittingLasers() {
  const w = world();
  const cobolt = await runWireSim(new CoboltSim(w, 'cobolt'));
  const obis = await runWireSim(new ObisSim(w, 'obis', { cdrhDelayMs: 0 }));
  sims.push(cobolt, obis);
  cobolt.sim.powerUp();
  obis.sim.powerUp();
  expect(cobolt.sim.line.emission && obis.sim.line.emission).toBe(true);
  return { cobolt, obis };
}

const laser = (id: string, driver: string, port: string, options: object = {}) => ({
  id,
  kind: 'laser',
  driver,
  options: { port, ...options },
});

const lines = (s: RunningWireSim<WireSimulator>) => s.sim.received.map((r) => r.line.trim());

describe('safe start at the wire', () => {
  it('switches emitting lasers off before any mode command and shows emission, power, interlock', async () => {
    const { cobolt, obis } = await emittingLasers();
    rig = await wireHost([
      laser('cobolt', 'cobolt', cobolt.devicePath),
      laser('obis', 'obis', obis.devicePath),
    ]);
    const c = lines(cobolt);
    expect(c[0]).toBe('l0'); // before anything else
    for (const mode of ['@cobas 0', 'cp']) expect(c.indexOf('l0')).toBeLessThan(c.indexOf(mode));
    const o = lines(obis);
    expect(o.indexOf('SOUR:AM:STAT OFF')).toBeGreaterThanOrEqual(0);
    expect(o.indexOf('SOUR:AM:STAT OFF')).toBeLessThan(o.indexOf('SYST:INF:MOD?'));
    expect(o.indexOf('SOUR:AM:STAT OFF')).toBeLessThan(o.indexOf('SOUR:AM:INT CWP'));
    expect(cobolt.sim.line.emission).toBe(false);
    expect(obis.sim.line.emission).toBe(false);
    const state = rig.host.store.state.lasers;
    expect(state.cobolt).toMatchObject({ emission: false, interlock: 'closed', powerMw: 0 });
    expect(state.obis).toMatchObject({ emission: false, interlock: 'closed' });
  });

  it('leaves an opted-out line emitting, logs it, and sends it no mode command', async () => {
    const { cobolt } = await emittingLasers();
    rig = await wireHost([
      laser('cobolt', 'cobolt', cobolt.devicePath, { switchOffAtConnect: false }),
    ]);
    const c = lines(cobolt);
    for (const cmd of ['l0', 'l1', '@cobas 0', 'cp', 'ci']) expect(c).not.toContain(cmd);
    expect(cobolt.sim.line.emission).toBe(true);
    expect(rig.host.store.state.lasers.cobolt?.emission).toBe(true);
    expect(rig.logs.join('\n')).toMatch(/warn cobolt: options\.switchOffAtConnect is false/);
    expect(rig.logs.join('\n')).toMatch(/warn cobolt: emitting at connect; no mode/);
  });

  it('shows a vanished laser unreachable at once, reconnects and switches it off again', async () => {
    const { cobolt } = await emittingLasers();
    rig = await wireHost([laser('cobolt', 'cobolt', cobolt.devicePath)]);
    const status = () => rig!.host.store.state.devices.cobolt!;
    expect(status().alarms).toEqual([]);

    await cobolt.vanish();
    await waitUntil(() => status().connection === 'disconnected', 1_000, 'the loss to show');
    expect(status().alarms).toEqual([
      expect.objectContaining({
        code: 'E_UNREACHABLE',
        message: expect.stringMatching(/emission state unknown; reconnecting/),
      }),
    ]);

    // It comes back power-cycled, emitting (autostart): the reconnect switches it off.
    cobolt.sim.powerUp();
    const before = cobolt.sim.received.length;
    await cobolt.restore();
    await waitUntil(
      () => status().connection === 'connected' && status().alarms.length === 0,
      5_000,
      'the reconnect',
    );
    expect(cobolt.sim.commandsSince(before)).toContain('l0');
    expect(cobolt.sim.line.emission).toBe(false);
    await waitUntil(
      () => rig!.host.store.state.lasers.cobolt?.emission === false,
      1_000,
      'emission read back',
    );
    expect(status().lastError).toBeNull();
  });
});
