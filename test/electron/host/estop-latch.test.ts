/**
 * Issue #18 item 5 on the host: a refused channel chip changes nothing (power, other lines,
 * selection); the reset ends the selection so no chip looks selected while its line is off;
 * every refusal reaches every client's event list; the reset is reported once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostEvent } from '../../../electron/api/contract';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { smallSimConfig } from '../../support/host-fixture';

const ctx: CallContext = { clientId: 'latch-test', transport: 'internal' };
let host: Host;
let events: HostEvent[];

beforeEach(async () => {
  events = [];
  host = await createHost(
    { path: '/test/latch.json', config: parseConfig(JSON.stringify(smallSimConfig()), 'test') },
    { log: { log: () => undefined } },
  );
  host.onEvent((e) => events.push(e));
});
afterEach(async () => {
  await host.shutdown('test end');
});

async function call(name: string, args: unknown = {}): Promise<unknown> {
  const r = await host.call(name, args, ctx);
  if (!r.ok) throw new Error(`${name}: ${r.error.message} [${r.error.code}]`);
  return r.value;
}

const laser = (id: string) => host.store.state.lasers[id]!;

describe('e-stop latch', () => {
  it('a channel chip refused by the latch leaves power, lines and selection as they were', async () => {
    await call('laser.setPower', { laserId: 'laser488', powerMw: 50 });
    await call('estop');
    const before = structuredClone(host.store.state.lasers);
    expect(await host.call('channel.apply', { name: 'GFP' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'E_ESTOP' },
    });
    await host.devices.refresh('laser488');
    expect(laser('laser488').powerMw).toBe(50);
    expect(host.store.state.lasers).toEqual(before);
    expect(host.store.state.activeChannel).toBeNull();
  });

  it('a chip refused because the camera is gone leaves the laser power alone', async () => {
    await call('laser.setPower', { laserId: 'laser488', powerMw: 50 });
    host.store.update((s) => {
      s.devices.camera!.connection = 'disconnected';
    });
    expect(await host.call('channel.apply', { name: 'GFP' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'E_DISCONNECTED' },
    });
    await host.devices.refresh('laser488');
    expect(laser('laser488')).toMatchObject({ powerMw: 50, armed: false });
  });

  it('after the reset no channel is selected and no line is armed', async () => {
    await call('channel.apply', { name: 'GFP' });
    expect(host.store.state.activeChannel).toBe('GFP');
    expect(laser('laser488').armed).toBe(true);
    await call('estop');
    // While latched the armed line keeps a snap refused.
    expect(await host.call('camera.snap', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'E_ESTOP' },
    });
    await call('safety.reset');
    expect(host.store.state.activeChannel).toBeNull();
    expect(laser('laser488')).toMatchObject({ armed: false, emission: false });
  });

  it('refusals go to the event list with the command, user and typed error', async () => {
    await call('estop');
    await host.call('stage.moveBy', { dxUm: 10, dyUm: 0 }, ctx);
    await host.call('laser.setPower', { laserId: 'laser488', powerMw: 500 }, ctx);
    // Queries are not news: an invalid plan estimate is answered to its caller only.
    await host.call('plan.estimate', { plan: { z_plan: 'nonsense' } }, ctx);
    const refused = events.filter((e) => e.type === 'refused');
    expect(refused).toMatchObject([
      { command: 'stage.moveBy', user: 'local', error: { code: 'E_ESTOP' } },
      {
        command: 'laser.setPower',
        error: { code: 'E_LIMIT', details: { laserId: 'laser488', powerMw: 500, maxPowerMw: 100 } },
      },
    ]);
  });

  it('the reset is reported once', async () => {
    await call('estop');
    await call('safety.reset');
    const resets = events.filter((e) => e.type !== 'refused' && /E-stop reset/.test(e.message));
    expect(resets).toHaveLength(1);
  });
});
