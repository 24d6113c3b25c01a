/**
 * Users, the control lease, the watchdog and the audit trail on a real host over the real
 * HTTP and WebSocket transports (the tunnel test repeats the core of it through ssh -L).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { UserStore } from '../../../electron/remote/users';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

let fx: HostFixture;
let tokens: Record<string, string>;
let root: string;
const clients: TestClient[] = [];

beforeEach(async () => {
  root = tempDir('aquila-data-');
  fx = await startTestHost(smallSimConfig({ storage: { datasetsRoot: root } }));
  // The watchdog tests switch a line on by hand, which auto-shutter refuses (issue #18).
  await fx.host.shutter.setAuto(false, 'test');
  const users = new UserStore(fx.dataDir);
  tokens = {
    alice: users.add('alice', 'operator'),
    carol: users.add('carol', 'operator'),
    bob: users.add('bob', 'observer'),
  };
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await fx.close();
});

async function as(user: string): Promise<TestClient> {
  const c = await TestClient.connect(fx, { authorization: `Bearer ${tokens[user]}` });
  clients.push(c);
  return c;
}
const clientIdOf = (c: TestClient) =>
  (c.messages.find((m) => m.type === 'hello') as { clientId: string }).clientId;
const laserOn = () => fx.host.store.state.lasers.laser488?.emission === true;

describe('access control on a running host', () => {
  it('refuses an observer’s mutating commands on every transport, but never its e-stop', async () => {
    const bob = await as('bob');
    expect(await bob.call('stage.moveTo', { xUm: 1, yUm: 1 })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER', message: expect.stringMatching(/bob is an observer/) },
    });
    const r = await fetch(`${fx.server.url}api/commands/laser.setEmission`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.bob}` },
      body: JSON.stringify({ laserId: 'laser488', on: true }),
    });
    expect(r.status).toBe(409);
    expect(await bob.call('control.request')).toMatchObject({
      ok: false,
      error: { code: 'E_FORBIDDEN' },
    });
    expect(
      await bob.call('plan.estimate', { plan: { channels: [{ config: 'GFP' }] } }),
    ).toMatchObject({ ok: true });
    expect(await bob.call('estop')).toMatchObject({ ok: true });
    expect(fx.host.store.state.safety.estopLatched).toBe(true);
  });

  it('request, hand over and take back, with the state and the audit trail following', async () => {
    const alice = await as('alice');
    const carol = await as('carol');
    await as('bob');
    expect(fx.host.store.state.control.clients.map((c) => c.user).sort()).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
    expect(await alice.call('control.request')).toMatchObject({
      ok: true,
      value: { granted: true },
    });
    expect(await carol.call('stage.moveTo', { xUm: 5, yUm: 5 })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER', details: { holder: { user: 'alice' } } },
    });
    expect(await carol.call('control.request')).toMatchObject({
      ok: true,
      value: { granted: false },
    });
    expect(await alice.call('control.handOver', { clientId: clientIdOf(carol) })).toMatchObject({
      ok: true,
    });
    expect(fx.host.store.state.control.holder?.user).toBe('carol');
    expect(await carol.call('stage.moveTo', { xUm: 5, yUm: 5 })).toMatchObject({ ok: true });
    // the instrument window takes control back without asking
    expect(
      await fx.host.call(
        'control.take',
        {},
        { clientId: 'desktop', transport: 'ipc', user: 'instrument', role: 'operator' },
      ),
    ).toMatchObject({ ok: true });
    expect(fx.host.store.state.control.holder?.clientId).toBe('desktop');
    expect(await carol.call('stage.moveTo', { xUm: 6, yUm: 6 })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER' },
    });

    const q = await carol.call('audit.query', { command: 'control.*' });
    const entries = (q as { value: { entries: { user: string; command: string; ok: boolean }[] } })
      .value.entries;
    expect(entries.map((e) => [e.user, e.command, e.ok])).toEqual([
      ['alice', 'control.request', true],
      ['carol', 'control.request', true],
      ['alice', 'control.handOver', true],
      ['instrument', 'control.take', true],
    ]);
    const refused = fx.host.audit.query({ user: 'carol', command: 'stage.moveTo' });
    expect(refused.map((e) => e.code ?? 'ok')).toEqual([
      'E_NOT_CONTROLLER',
      'ok',
      'E_NOT_CONTROLLER',
    ]);
    expect(refused[1]!.args).toEqual({ xUm: 5, yUm: 5 });
    expect(readFileSync(fx.host.audit.file, 'utf8')).not.toContain(tokens.alice);
  });

  it('watchdog: the controller’s socket closing turns the lasers off within 2 s', async () => {
    const alice = await as('alice');
    expect(await alice.call('laser.setEmission', { laserId: 'laser488', on: true })).toMatchObject({
      ok: true,
    });
    await fx.host.devices.refresh('laser488');
    expect(laserOn()).toBe(true);
    const closed = Date.now();
    alice.close();
    await until('laser off', () => !laserOn(), 2_000);
    expect(Date.now() - closed).toBeLessThan(2_000);
    expect(fx.host.audit.query({ command: 'watchdog' })[0]?.args).toMatchObject({
      reason: 'disconnected',
    });
  });

  it('watchdog: a controller that stops answering pings loses the lease and the lasers go off', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${fx.server.port}/api/ws`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
      autoPong: false,
    });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        name: 'laser.setEmission',
        args: { laserId: 'laser488', on: true },
      }),
    );
    await until(
      'alice holds the lease',
      () => fx.host.store.state.control.holder?.user === 'alice',
      2_000,
    );
    await fx.host.devices.refresh('laser488');
    await until('laser on', laserOn, 2_000);
    await until('laser off', () => !laserOn(), 4_000); // 1.5 s lease + check + laser off
    expect(fx.host.store.state.control.holder).toBeNull();
    expect(fx.host.audit.query({ command: 'watchdog' })[0]?.args).toMatchObject({
      reason: 'expired',
    });
    ws.terminate();
  });

  it('a plan run outlives its controller, records access in provenance, and the next controller cancels it', async () => {
    const alice = await as('alice');
    const carol = await as('carol');
    const plan = {
      channels: [{ config: 'GFP', exposure: 5 }],
      time_plan: { interval: 0.2, loops: 50 },
    };
    expect(await alice.call('run.start', { plan, name: 'unattended' })).toMatchObject({ ok: true });
    alice.close();
    await until('alice gone', () => fx.host.store.state.control.holder === null, 2_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(fx.host.store.state.run?.state).toBe('running');
    expect(await carol.call('run.cancel')).toMatchObject({ ok: true });
    await fx.host.acquisition.whenIdle();
    expect(fx.host.store.state.run?.state).toBe('cancelled');
    const prov = JSON.parse(readFileSync(path.join(root, 'unattended', 'provenance.json'), 'utf8'));
    expect(prov.operator).toBe('alice');
    expect(prov.access.controller).toMatchObject({ user: 'alice' });
    expect(prov.access.auditFile).toBe(fx.host.audit.file);
    expect(Array.isArray(prov.access.sessionAudit)).toBe(true);
    expect(fx.host.audit.query({ command: 'watchdog' })[0]?.args).toMatchObject({
      action: 'run continues',
    });
  });
});

describe('revocation', () => {
  it('closes a revoked user’s open WebSocket (4401) and ends its control', async () => {
    const alice = await as('alice');
    expect(await alice.call('control.request')).toMatchObject({
      ok: true,
      value: { granted: true },
    });
    const closed = new Promise<number>((r) => alice.ws.once('close', (code) => r(code)));
    new UserStore(fx.dataDir).revoke('alice');
    expect(await closed).toBe(4401);
    await until('lease ended', () => fx.host.store.state.control.holder === null, 2_000);
    const r = await fetch(`${fx.server.url}api/state`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    expect(r.status).toBe(401);
  });
});
