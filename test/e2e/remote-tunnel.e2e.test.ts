/**
 * Remote operation through a real SSH tunnel: Debian's sshd on a loopback port (generated
 * keys, test/support/sshd.ts), `ssh -N -L` to the host's server, WebSocket and HTTP clients
 * on the tunnel's local end — as a remote user would run it. Skipped, saying why, only when
 * sshd cannot run on this machine.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../electron/remote/users';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../support/host-fixture';
import { launchChromium } from '../support/browser';
import { repoRoot } from '../support/serve-process';
import { startSshd, sshdUnavailable, type Sshd } from '../support/sshd';
import { until } from '../support/wait';

const unavailable = sshdUnavailable();
/** The built UI (`npm run build:renderer`, which .ci/run does before the tests). */
const uiRoot = path.join(repoRoot, 'dist/renderer');
if (unavailable) console.warn(`remote-tunnel: SKIPPED, sshd cannot run here: ${unavailable}`);

let fx: HostFixture;
let sshd: Sshd;
let tunnel: { localPort: number; close(): Promise<void> };
let tokens: Record<string, string>;
let browser: Browser | undefined;
const clients: TestClient[] = [];
const base = () => `http://127.0.0.1:${tunnel.localPort}/`;

beforeAll(async () => {
  if (unavailable) return;
  fx = await startTestHost(smallSimConfig(), uiRoot, {
    server: { maxLoginFailures: 10, loginFailureDelayMs: 250 },
  });
  // The watchdog tests switch a line on by hand, which auto-shutter refuses (issue #18).
  await fx.host.shutter.setAuto(false, 'test');
  const users = new UserStore(fx.dataDir);
  tokens = {
    alice: users.add('alice', 'operator'),
    carol: users.add('carol', 'operator'),
    bob: users.add('bob', 'observer'),
  };
  sshd = await startSshd();
  tunnel = await sshd.forward(fx.server.port);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const c of clients.splice(0)) c.close();
  await tunnel?.close();
  await sshd?.stop();
  await fx?.close();
});

/** A WebSocket client on the tunnel's local end. */
async function over(port: number, headers: Record<string, string>): Promise<TestClient> {
  const c = await TestClient.connect({ ...fx, server: { ...fx.server, port } }, headers);
  clients.push(c);
  return c;
}
const bearer = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
const clientIdOf = (c: TestClient) =>
  (c.messages.find((m) => m.type === 'hello') as { clientId: string }).clientId;
const laserOn = () => fx.host.store.state.lasers.laser488?.emission === true;
const desktop = {
  clientId: 'desktop',
  transport: 'ipc',
  user: 'instrument',
  role: 'operator',
} as const;

async function turnLaserOn(c: TestClient): Promise<void> {
  expect(await c.call('laser.setEmission', { laserId: 'laser488', on: true })).toMatchObject({
    ok: true,
  });
  await fx.host.devices.refresh('laser488');
  expect(laserOn()).toBe(true);
}

describe.skipIf(unavailable !== null)('remote operation through ssh -L', () => {
  it('logs in through the tunnel: token → session cookie; a wrong token is slowed', async () => {
    const login = await fetch(`${base()}?token=${tokens.bob}`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^aquila_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+/,
    );
    expect(cookie).not.toContain(tokens.bob);
    const state = await fetch(`${base()}api/state`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(state.status).toBe(200);
    const t0 = Date.now();
    expect(
      (await fetch(`${base()}?token=wrong-token-for-sure`, { redirect: 'manual' })).status,
    ).toBe(401);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('refuses the observer’s mutating commands on the server; request, hand over, take back; audited', async () => {
    const bob = await over(tunnel.localPort, bearer('bob'));
    const alice = await over(tunnel.localPort, bearer('alice'));
    const carol = await over(tunnel.localPort, bearer('carol'));
    expect(await bob.call('laser.setEmission', { laserId: 'laser488', on: true })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER' },
    });
    const http = await fetch(`${base()}api/commands/stage.moveTo`, {
      method: 'POST',
      headers: bearer('bob'),
      body: '{"xUm":10,"yUm":10}',
    });
    expect(http.status).toBe(409);

    expect(await alice.call('control.request')).toMatchObject({
      ok: true,
      value: { granted: true },
    });
    expect(await carol.call('control.request')).toMatchObject({
      ok: true,
      value: { granted: false, holder: expect.stringMatching(/^alice/) },
    });
    await bob.until(
      () => JSON.stringify(bob.messages).includes('"requests"'),
      5_000,
      'request visible to watchers',
    );
    expect(await alice.call('control.handOver', { clientId: clientIdOf(carol) })).toMatchObject({
      ok: true,
    });
    expect(await carol.call('stage.moveTo', { xUm: 20, yUm: 20 })).toMatchObject({ ok: true });
    expect(await alice.call('stage.moveTo', { xUm: 0, yUm: 0 })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER', details: { holder: { user: 'carol' } } },
    });
    expect(await fx.host.call('control.take', {}, desktop)).toMatchObject({ ok: true });
    expect(await carol.call('stage.moveTo', { xUm: 0, yUm: 0 })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER' },
    });
    expect(await bob.call('estop')).toMatchObject({ ok: true }); // safety over access control
    expect(await fx.host.call('safety.reset', {}, desktop)).toMatchObject({ ok: true });

    const q = await bob.call('audit.query', { sinceMs: 0 });
    const trail = (
      q as { value: { entries: { user: string; command: string; code?: string }[] } }
    ).value.entries
      .filter((e) => e.command !== 'audit.query')
      .map((e) => `${e.user} ${e.command}${e.code ? ` ${e.code}` : ''}`);
    expect(trail).toEqual(
      expect.arrayContaining([
        'bob laser.setEmission E_NOT_CONTROLLER',
        'bob stage.moveTo E_NOT_CONTROLLER',
        'alice control.request',
        'carol control.request',
        'alice control.handOver',
        'carol stage.moveTo',
        'alice stage.moveTo E_NOT_CONTROLLER',
        'instrument control.take',
        'carol stage.moveTo E_NOT_CONTROLLER',
        'bob estop',
      ]),
    );
    expect(trail.indexOf('alice control.handOver')).toBeLessThan(
      trail.indexOf('instrument control.take'),
    );
    expect(await fx.host.call('control.release', {}, desktop)).toMatchObject({ ok: true });
    for (const c of [alice, carol, bob]) c.close();
  });

  it('watchdog: the controller’s socket closing through the tunnel turns the laser off within 2 s', async () => {
    const alice = await over(tunnel.localPort, bearer('alice'));
    await turnLaserOn(alice);
    const t0 = Date.now();
    alice.close();
    await until('laser off', () => !laserOn(), 2_000);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('watchdog: the tunnel itself dying (ssh killed) turns the laser off within 2 s', async () => {
    const own = await sshd.forward(fx.server.port);
    const alice = await over(own.localPort, bearer('alice'));
    await turnLaserOn(alice);
    const t0 = Date.now();
    await own.close();
    await until('laser off', () => !laserOn(), 2_000);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(fx.host.audit.query({ command: 'watchdog' }).length).toBeGreaterThanOrEqual(2);
  });

  it('in Chromium through the tunnel: observer’s controls disabled; operator’s enabled on hand-over; closing it turns the laser off', async () => {
    expect(
      existsSync(path.join(uiRoot, 'index.html')),
      `${uiRoot} not built: npm run build:renderer`,
    ).toBe(true);
    const alice = await over(tunnel.localPort, bearer('alice'));
    expect(await alice.call('control.request')).toMatchObject({
      ok: true,
      value: { granted: true },
    });
    browser = await launchChromium();
    const open = async (user: string) => {
      const page = await browser!.newPage();
      await page.goto(`${base()}?token=${tokens[user]}`);
      await page.getByTestId('control-holder').getByText('alice').waitFor({ timeout: 15_000 });
      return page;
    };
    const bob = await open('bob');
    expect(await bob.getByTestId('control-holder').textContent()).toMatch(
      /^alice \(ws\d+@[^)]+\) is in control$/,
    );
    expect(await bob.getByTestId('control-watchers').textContent()).toContain('bob');
    expect(await bob.getByTestId('control-gate').getAttribute('disabled')).not.toBeNull();
    expect(await bob.getByTestId('jog-right').isDisabled()).toBe(true);
    expect(await bob.getByTestId('control-request').count()).toBe(0);
    expect(await bob.getByTestId('estop').isEnabled()).toBe(true);

    const carol = await open('carol');
    expect(await carol.getByTestId('jog-right').isDisabled()).toBe(true);
    await carol.getByTestId('control-request').click();
    await alice.until(
      () => fx.host.store.state.control.requests.some((r) => r.user === 'carol'),
      5_000,
      'carol’s request',
    );
    const carolId = fx.host.store.state.control.requests.find((r) => r.user === 'carol')!.clientId;
    expect(await alice.call('control.handOver', { clientId: carolId })).toMatchObject({ ok: true });
    await carol
      .getByTestId('control-holder')
      .getByText('You are in control')
      .waitFor({ timeout: 5_000 });
    expect(await carol.getByTestId('jog-right').isEnabled()).toBe(true);
    await carol.getByTestId('jog-right').click();
    await until('carol’s jog', () => (fx.host.store.state.stage?.xUm ?? 0) > 0, 5_000);
    await bob.getByTestId('control-holder').getByText('carol').waitFor({ timeout: 5_000 });
    expect(await bob.getByTestId('jog-right').isDisabled()).toBe(true);
    await until(
      'carol’s jog in the audit trail',
      () => fx.host.audit.query({ user: 'carol', command: 'stage.moveBy' }).length === 1,
      5_000,
    );
    expect(fx.host.audit.query({ user: 'carol', command: 'stage.moveBy' })).toMatchObject([
      { ok: true, transport: 'ws' },
    ]);

    // closing the controlling browser turns the laser it switched on off within 2 s
    await carol.getByTestId('laser-laser488-emission').click();
    await until('laser on from the browser', laserOn, 5_000);
    const t0 = Date.now();
    await carol.close();
    await until('laser off after the browser closed', () => !laserOn(), 2_000);
    expect(Date.now() - t0).toBeLessThan(2_000);
  }, 60_000);

  it('in Chromium through the tunnel: ?stream=fit gets the zoomed region only, deflated, and Alt+click still centres the clicked point', async () => {
    const alice = await over(tunnel.localPort, bearer('alice'));
    await until('control free', () => fx.host.store.state.control.holder === null, 5_000);
    expect(await alice.call('camera.startLive')).toMatchObject({ ok: true });
    expect(await alice.call('control.release')).toMatchObject({ ok: true });
    browser ??= await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${base()}?token=${tokens.alice}&stream=fit&codec=deflate`);
    const canvas = page.getByTestId('live-view');
    await canvas.waitFor({ timeout: 15_000 });
    const lastView = () => page.evaluate(() => window.__aquilaDisplay?.lastView ?? null);
    const poll = async (what: string, ok: () => Promise<boolean>) => {
      const end = Date.now() + 10_000;
      while (!(await ok())) {
        if (Date.now() > end) {
          const probe = await page.evaluate(() => {
            const p = window.__aquilaDisplay;
            return p && { framesDrawn: p.framesDrawn, lastView: p.lastView, url: location.href };
          });
          throw new Error(`timed out waiting for ${what}: ${JSON.stringify(probe)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await poll('a fitted frame', async () => (await lastView())?.codec === 'deflate');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
    // Zoomed in: the host sends only the visible part of the 256² image, at level 0.
    await poll('a cropped frame', async () => ((await lastView())?.region.width ?? 256) < 200);
    // the frames catch up with the last wheel step: wait until the region stops changing
    let previous = '';
    await poll('a settled region', async () => {
      await new Promise((r) => setTimeout(r, 300));
      const now = JSON.stringify((await lastView())?.region);
      const settled = now === previous;
      previous = now;
      return settled;
    });
    const view = (await lastView())!;
    expect(view).toMatchObject({ level: 0, codec: 'deflate' });
    expect(view.region.x).toBeGreaterThan(0);
    expect(view.payloadBytes).toBeLessThan(view.widthPx * view.heightPx * 2);
    // Alt+click right of centre moves the stage +x (image coordinates survive the crop).
    const at = fx.host.store.state.stage!;
    await canvas.click({
      modifiers: ['Alt'],
      position: { x: box.width / 2 + 60, y: box.height / 2 },
    });
    await until(
      'stage moved by the click',
      () => fx.host.store.state.stage!.xUm > at.xUm + 0.1,
      5_000,
    );
    // 60 screen px are 60 × (region width / canvas width) image px of 0.2 µm each.
    const wantUm = 60 * (view.region.width / box.width) * 0.2;
    const moved = fx.host.store.state.stage!;
    expect(moved.xUm - at.xUm).toBeGreaterThan(wantUm * 0.75);
    expect(moved.xUm - at.xUm).toBeLessThan(wantUm * 1.25);
    expect(Math.abs(moved.yUm - at.yUm)).toBeLessThan(wantUm * 0.1);
    // The full frame's histogram comes with the view, computed on the host from every pixel.
    expect(view.histogram?.samples).toBe(256 * 256);
    // Readout comes from the host, which reads the full frame it last sent to this page.
    const recent: Uint16Array[] = [];
    const unsubscribe = fx.host.bus.subscribe((f) => recent.push(f.pixels.slice()));
    if (fx.host.bus.latest) recent.push(fx.host.bus.latest.pixels.slice());
    await page.mouse.move(box.x + box.width / 2 + 7, box.y + box.height / 2 - 5);
    let readout = '';
    await poll('a readout from the host', async () => {
      readout = (await page.getByTestId('pixel-readout').textContent()) ?? '';
      return /^x \d+\s+y \d+\s+= \d+$/.test(readout);
    });
    unsubscribe();
    const [, x, y, value] = /^x (\d+)\s+y (\d+)\s+= (\d+)$/.exec(readout)!;
    const index = Number(y) * 256 + Number(x);
    expect(recent.map((p) => p[index])).toContain(Number(value));
    await page.close();
    await until('control free', () => fx.host.store.state.control.holder === null, 5_000);
    expect(await alice.call('camera.stopLive')).toMatchObject({ ok: true });
  }, 60_000);
});
