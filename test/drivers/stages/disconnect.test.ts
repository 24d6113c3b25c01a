/** The pty vanishing mid-move (socat killed) and coming back, for each stage driver. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../drivers/devices';
import { DisconnectedError } from '../../../drivers/errors';
import { AsiWireSim } from '../../../drivers/stages/asi/asi-wire-sim';
import { PriorWireSim } from '../../../drivers/stages/prior/prior-wire-sim';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';
import type { SimWorld } from '../../../drivers/sim/world';
import { rejection, waitUntil } from '../contract/fixture';
import { wireRig, type WireRig } from './wire-stage-fixture';

const rigs: WireRig<WireSimulator>[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.cleanup();
});

const cases: [string, (w: SimWorld) => WireSimulator, string][] = [
  ['asi-ms2000', (w) => new AsiWireSim(w, { variant: 'ms2000' }), 'V'],
  ['asi-tiger', (w) => new AsiWireSim(w, { variant: 'tiger' }), 'BU X'],
  ['prior-proscan', (w) => new PriorWireSim(w, {}), 'COMP 0'],
];

describe.each(cases)('%s when the port vanishes mid-move', (driver, makeSim, initCommand) => {
  it('fails the move with E_DISCONNECTED, shows disconnected, and re-initialises when the port returns', async () => {
    const r = await wireRig(driver, makeSim);
    rigs.push(r);
    const states: ConnectionState[] = [];
    r.stage.subscribe((e) => {
      if (e.type === 'connection') states.push(e.state);
    });
    await Promise.all([r.stage.connect(), r.focus.connect()]);
    const moveFailure = rejection(r.stage.moveToUm({ xUm: 3_000, yUm: 0 }));
    await waitUntil(() => r.world.stage.isBusy(), 2_000, 'the move to start');
    await r.running.vanish();

    const err = await moveFailure;
    expect(err).toBeInstanceOf(DisconnectedError);
    expect(states).toContain('disconnected');
    expect((await rejection(r.stage.getPositionUm())).code).toBe('E_DISCONNECTED');

    const initsBefore = r.running.sim.received.filter((c) => c.line === initCommand).length;
    await r.running.restore();
    await waitUntil(() => states.at(-1) === 'connected', 5_000, 'the reconnect');
    expect(r.running.sim.received.filter((c) => c.line === initCommand).length).toBe(
      initsBefore + 1,
    );
    const at = await r.stage.getPositionUm();
    expect(at.xUm).toBeGreaterThan(0);
    expect(await r.focus.moveToUm(5)).toBeCloseTo(5, 6);
  });
});

describe('a reconnect request while the port is down', () => {
  it('fails clearly instead of claiming connected, and re-opens once the port is back', async () => {
    const r = await wireRig('asi-ms2000', (w) => new AsiWireSim(w, { variant: 'ms2000' }));
    rigs.push(r);
    const focusStates: ConnectionState[] = [];
    r.focus.subscribe((e) => {
      if (e.type === 'connection') focusStates.push(e.state);
    });
    await Promise.all([r.stage.connect(), r.focus.connect()]);
    await r.running.vanish();
    await waitUntil(() => focusStates.includes('disconnected'), 2_000, 'the loss to show');

    await r.stage.disconnect();
    const err = await rejection(r.stage.connect());
    expect(err).toBeInstanceOf(DisconnectedError);
    expect(err.message).toContain(r.running.devicePath);

    await r.running.restore();
    await r.stage.connect();
    expect(await r.stage.getPositionUm()).toEqual({ xUm: 0, yUm: 0 });
    // The Z drive on the same controller is told, and works again.
    await waitUntil(() => focusStates.at(-1) === 'connected', 2_000, 'the Z drive to reconnect');
    expect(await r.focus.getPositionUm()).toBe(0);
  });
});
