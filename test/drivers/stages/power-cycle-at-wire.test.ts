/**
 * A power-cycled controller at the wire (asi-ms2000 and prior-proscan simulators): after it
 * comes back counting from 0, 0 the stage and the Z drive are marked "position not
 * trusted" in state, moves are refused with E_POSITION_UNTRUSTED (nothing sent), lastError
 * is clear once the device is healthy, and stage.confirmPosition / focus.confirmPosition
 * allow moves again, each for its own axis.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../contract/fixture';
import { stageHost, type StageHostRig } from './stage-host-rig';

let rig: StageHostRig | undefined;
afterEach(async () => {
  await rig?.host.shutdown('test end');
  rig = undefined;
});

describe.each(['asi-ms2000', 'prior-proscan'])('power-cycled %s', (driver) => {
  it('marks the position untrusted and refuses moves until confirmed', async () => {
    rig = await stageHost(driver);
    const r = rig;
    expect(await r.call('stage.moveTo', { xUm: 300, yUm: 200 })).toMatchObject({ ok: true });
    expect(await r.call('focus.moveTo', { zUm: 20 })).toMatchObject({ ok: true });
    const running = r.running();
    const status = (id: string) => r.host.store.state.devices[id]!;
    const untrusted = (id: string) =>
      status(id).alarms.some((a) => a.code === 'E_POSITION_UNTRUSTED');

    await running.powerCycle();
    await waitUntil(
      () =>
        ['stage', 'focus'].every((id) => status(id).connection === 'connected' && untrusted(id)),
      5_000,
      'the reconnect to be shown',
    );
    await waitUntil(
      () => r.host.store.state.stage?.xUm === 0 && r.host.store.state.stage.yUm === 0,
      2_000,
      'the jumped position to be read',
    );
    expect(status('stage').lastError).toBeNull();
    expect(status('stage').alarms).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/home or confirm/) }),
    ]);

    const sent = running.sim.received.length;
    for (const [name, args] of [
      ['stage.moveTo', { xUm: 10, yUm: 10 }],
      ['stage.moveBy', { dxUm: 1, dyUm: 0 }],
      ['focus.moveTo', { zUm: 1 }],
      ['focus.moveBy', { dzUm: 1 }],
    ] as const) {
      const out = await r.call(name, args);
      expect(out, name).toMatchObject({ ok: false, error: { code: 'E_POSITION_UNTRUSTED' } });
    }
    expect(running.sim.commandsSince(sent)).toEqual([]);

    expect(await r.call('stage.confirmPosition')).toEqual({ ok: true, value: { xUm: 0, yUm: 0 } });
    expect(untrusted('stage')).toBe(false);
    expect(untrusted('focus')).toBe(true);
    expect(await r.call('stage.moveTo', { xUm: 10, yUm: 10 })).toMatchObject({ ok: true });
    expect(await r.call('focus.moveTo', { zUm: 1 })).toMatchObject({
      ok: false,
      error: { code: 'E_POSITION_UNTRUSTED' },
    });
    expect(await r.call('focus.confirmPosition')).toEqual({ ok: true, value: { zUm: 0 } });
    expect(await r.call('focus.moveTo', { zUm: 1 })).toMatchObject({ ok: true });
  }, 20_000);
});
