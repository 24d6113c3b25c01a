import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../../electron/api/contract';
import { applyPatches, enablePatches, type Patch } from 'immer';
import { decodeFrame } from '../../../renderer/frames/decode-frame';
import { startTestHost, TestClient, type HostFixture } from '../../support/host-fixture';

enablePatches();

let fx: HostFixture;
let client: TestClient;

beforeEach(async () => {
  fx = await startTestHost();
  // These tests switch lines on by hand, which auto-shutter refuses (issue #18).
  await fx.host.shutter.setAuto(false, 'test');
  client = await TestClient.connect(fx);
  await client.until(() => client.messages.some((m) => m.type === 'hello'), 5_000, 'hello');
});

afterEach(async () => {
  client.close();
  await fx.close();
});

/** The client's mirror: the hello snapshot with every patch applied in order. */
function mirror(): AppState {
  const hello = client.messages.find((m) => m.type === 'hello');
  if (hello?.type !== 'hello') throw new Error('no hello');
  let state = hello.state;
  let rev = hello.rev;
  for (const m of client.messages) {
    if (m.type !== 'patch' || m.rev <= hello.rev) continue;
    expect(m.rev).toBe(rev + 1); // no gaps
    rev = m.rev;
    state = applyPatches(state, m.patches as Patch[]);
  }
  return state;
}

describe('host over WebSocket', () => {
  it('sends a snapshot with every configured device connected and identified', () => {
    const s = mirror();
    expect(Object.values(s.devices).map((d) => [d.id, d.connection])).toEqual([
      ['stage', 'connected'],
      ['focus', 'connected'],
      ['laser488', 'connected'],
      ['laser640', 'connected'],
      ['camera', 'connected'],
    ]);
    expect(s.devices.stage?.identity?.model).toMatch(/Simulated/);
    expect(s.safety.limits.zUm).toEqual({ min: -50, max: 50 });
    expect(s.camera).toMatchObject({ widthPx: 256, heightPx: 256, live: false });
  });

  it('runs commands, and state patches bring the mirror to the new truth', async () => {
    const r = await client.call('stage.moveTo', { xUm: 120, yUm: -40 });
    expect(r).toMatchObject({ ok: true, value: { xUm: 120, yUm: -40 } });
    await client.call('laser.setPower', { laserId: 'laser488', powerMw: 12.5 });
    await client.call('laser.setEmission', { laserId: 'laser488', on: true });
    await client.until(
      () => mirror().stage?.xUm === 120 && mirror().lasers.laser488?.emission === true,
      3_000,
      'patches',
    );
    expect(mirror().stage).toMatchObject({ xUm: 120, yUm: -40, busy: false });
    expect(mirror().lasers.laser488).toMatchObject({ powerMw: 12.5, emission: true });
    expect(mirror()).toEqual(fx.host.store.state);
  });

  it('returns typed errors for bad input and refused moves', async () => {
    expect(await client.call('stage.moveTo', { xUm: 'far' })).toMatchObject({
      ok: false,
      error: {
        name: 'ValidationError',
        code: 'E_INVALID',
        message: expect.stringMatching(/stage\.moveTo parameters: xUm: .*number/),
      },
    });
    expect(await client.call('stage.fly', {})).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID', message: expect.stringMatching(/Unknown command "stage\.fly"/) },
    });
    expect(await client.call('focus.moveTo', { zUm: 51 })).toMatchObject({
      ok: false,
      error: { code: 'E_LIMIT', message: expect.stringMatching(/Z maximum 50/) },
    });
    expect(
      await client.call('laser.setPower', { laserId: 'laser488', powerMw: 101 }),
    ).toMatchObject({ ok: false, error: { code: 'E_LIMIT' } });
  });

  it('rejects malformed messages with an error event and keeps the connection', async () => {
    client.ws.send('{not json');
    client.send({ type: 'call', id: 1 });
    await client.until(
      () =>
        client.messages.filter(
          (m) => m.type === 'event' && m.event.type === 'log' && m.event.level === 'error',
        ).length >= 2,
      3_000,
      'error events',
    );
    const texts = client.messages.flatMap((m) =>
      m.type === 'event' && m.event.type === 'log' ? [m.event.message] : [],
    );
    expect(texts.some((t) => /not JSON/.test(t))).toBe(true);
    expect(texts.some((t) => /invalid message: name/.test(t))).toBe(true);
    expect(await client.call('stage.stop')).toMatchObject({ ok: true });
  });

  it('streams frames with metadata, one in flight until acknowledged', async () => {
    await client.call('stage.moveTo', { xUm: 10, yUm: 20 });
    await client.call('channel.apply', { name: 'GFP' });
    client.send({ type: 'frames', enabled: true });
    await client.call('camera.startLive');
    await client.until(() => client.frames.length >= 1, 5_000, 'first frame');
    await new Promise((r) => setTimeout(r, 300));
    expect(client.frames.length).toBe(1); // not acknowledged yet → nothing more sent
    const first = decodeFrame(new Uint8Array(client.frames[0]!).buffer);
    expect(first.meta).toMatchObject({
      widthPx: 256,
      heightPx: 256,
      exposureMs: 10,
      stage: { xUm: 10, yUm: 20, zUm: 0 },
      lasersMw: { laser488: 20, laser640: 0 },
    });
    expect(first.pixels.length).toBe(256 * 256);
    expect(Math.abs(first.meta.sentAtMs - Date.now())).toBeLessThan(5_000);
    client.send({ type: 'frame.ack', seq: first.meta.seq });
    await client.until(() => client.frames.length >= 2, 5_000, 'second frame');
    const second = decodeFrame(new Uint8Array(client.frames[1]!).buffer);
    expect(second.meta.seq).toBeGreaterThan(first.meta.seq);
    await client.call('camera.stopLive');
  });

  it('e-stop switches every laser off, latches, and reset clears it', async () => {
    await client.call('laser.setPower', { laserId: 'laser640', powerMw: 5 });
    await client.call('laser.setEmission', { laserId: 'laser640', on: true });
    await client.call('laser.setEmission', { laserId: 'laser488', on: true });
    expect(await client.call('estop')).toMatchObject({
      ok: true,
      value: { lasersOff: expect.arrayContaining(['laser488', 'laser640']) },
    });
    await client.until(() => mirror().safety.estopLatched, 3_000, 'latched state');
    expect(Object.values(mirror().lasers).every((l) => !l.emission)).toBe(true);
    expect(await client.call('laser.setEmission', { laserId: 'laser488', on: true })).toMatchObject(
      { ok: false, error: { code: 'E_ESTOP' } },
    );
    await client.call('safety.reset');
    expect(await client.call('laser.setEmission', { laserId: 'laser488', on: true })).toMatchObject(
      { ok: true },
    );
  });
});
