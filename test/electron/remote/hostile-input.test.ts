/**
 * Regression tests for inputs that used to end the host (issue #11). The crashes are replayed
 * against a spawned `aquila serve`, where a crash is the process exiting; the rest run
 * in-process. Each must be a clean refusal, and the host must go on answering.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostMessage } from '../../../electron/api/messages';
import { DisplayChannel } from '../../../electron/host/frame-bus';
import { startRemoteServer } from '../../../electron/remote/http-server';
import { MAX_AUTHENTICATED_MESSAGE_BYTES } from '../../../electron/remote/ws-upgrade';
import { WebSocket } from 'ws';
import { startTestHost, TestClient, type HostFixture } from '../../support/host-fixture';
import {
  closed,
  rawExchange,
  rawWebSocket,
  receiveUntil,
  upgradeRequest,
  wsFrame,
} from '../../support/raw-socket';
import { startServe, type ServeProcess } from '../../support/serve-process';

let fx: HostFixture;
let serve: ServeProcess;

beforeAll(async () => {
  [fx, serve] = await Promise.all([startTestHost(), startServe([])]);
});
afterAll(async () => {
  await Promise.all([fx.close(), serve.stop()]);
});

function get(port: number, p: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: p.startsWith('POST ') ? 'POST' : 'GET',
        path: p.replace(/^POST /, ''),
        headers: { host: `127.0.0.1:${port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
const bearer = (token = fx.token) => ({ authorization: `Bearer ${token}` });

async function expectStillServing(port = fx.server.port, token = fx.token): Promise<void> {
  const r = await get(port, '/api/state', bearer(token));
  expect(r.status).toBe(200);
  expect(JSON.parse(r.body).state.instrument.name).toBeTypeOf('string');
}

/** A plan with `n` stage positions inside the limits of both test configs. */
function bigPlan(n: number) {
  const stage_positions = Array.from({ length: n }, (_, i) => ({
    x: (i % 400) * 2.5 - 500,
    y: Math.floor(i / 400) * 2.5 - 100,
    z: 0,
    name: `position-${i}`,
  }));
  return { stage_positions, channels: ['GFP'] };
}

/** The crashes of issue #11, against a spawned `aquila serve`: each used to end its process. */
describe('a spawned host survives the inputs that used to end it', () => {
  const port = () => Number(new URL(serve.baseUrl).port);
  const alive = async () => {
    expect(serve.child.exitCode, serve.output()).toBeNull();
    await expectStillServing(port(), serve.token);
  };

  it('refuses a WebSocket upgrade to // with 404', async () => {
    const { reply } = await rawExchange(port(), upgradeRequest(port(), '//'));
    expect(reply).toMatch(/^HTTP\/1\.1 404 /);
    await alive();
  });

  it('treats a malformed session cookie on the upgrade as no session (4401)', async () => {
    const socket = await rawWebSocket(port(), { Cookie: 'aquila_session=%E0' });
    const close = await receiveUntil(socket, (d) => d.length >= 4, 'the close frame');
    socket.destroy();
    expect(close[0]).toBe(0x88); // a close frame …
    expect(close.readUInt16BE(2)).toBe(4401); // … with the "not authorised" code
    await alive();
  });

  it('survives an unmasked frame after the 4401 close of an unauthorised client', async () => {
    const socket = await rawWebSocket(port(), {});
    socket.write(wsFrame(0x1, Buffer.from('{"type":"call"}'), { mask: false }));
    expect(await closed(socket)).toBe(true);
    await alive();
  });

  it('survives protocol errors of an authorised client, each closing that client only', async () => {
    for (const frame of [
      wsFrame(0x1, Buffer.from('{}'), { mask: false }),
      wsFrame(0x1, Buffer.from('{}'), { rsv: 2 }),
      wsFrame(0x3, Buffer.from('x')),
      wsFrame(0x1, Buffer.alloc(16), { declaredLength: MAX_AUTHENTICATED_MESSAGE_BYTES + 1 }),
    ]) {
      const socket = await rawWebSocket(port(), bearer(serve.token));
      socket.write(frame);
      expect(await closed(socket)).toBe(true);
    }
    await alive();
  });

  it('answers a 26,000-position plan sent over the WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port()}/api/ws`, { headers: bearer(serve.token) });
    const result = new Promise<HostMessage>((resolve, reject) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as HostMessage;
        if (msg.type === 'result') resolve(msg);
      });
      ws.on('error', reject);
      ws.on('close', (code) => reject(new Error(`closed with ${code} before the result`)));
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        name: 'plan.estimate',
        args: { plan: bigPlan(26_000) },
      }),
    );
    expect(await result).toMatchObject({ type: 'result', id: 1, ok: true });
    ws.close();
    await alive();
  });
});

describe('the close of a client over the limit', () => {
  it('is 1009, and other clients carry on', async () => {
    const other = await TestClient.connect(fx);
    const socket = await rawWebSocket(fx.server.port, bearer());
    const data: Buffer[] = [];
    socket.on('data', (c: Buffer) => data.push(c));
    socket.write(
      wsFrame(0x1, Buffer.alloc(16), { declaredLength: MAX_AUTHENTICATED_MESSAGE_BYTES + 1 }),
    );
    expect(await closed(socket)).toBe(true);
    const all = Buffer.concat(data);
    const closeAt = all.lastIndexOf(Buffer.from([0x88, 0x02]));
    expect(all.readUInt16BE(closeAt + 2)).toBe(1009);
    expect((await other.call('laser.allOff')).ok).toBe(true);
    other.close();
    await expectStillServing();
  });
});

describe('limits and faults inside one message', () => {
  it('answers a body over the authenticated limit with 413 and keeps serving', async () => {
    const r = await fetch(`${fx.server.url}api/commands/plan.estimate`, {
      method: 'POST',
      headers: bearer(),
      body: Buffer.alloc(MAX_AUTHENTICATED_MESSAGE_BYTES + 1, 0x20),
    }).catch((err: Error) => err);
    // The host may cut the upload short after answering; either way it must refuse, not die.
    if (!(r instanceof Error)) expect(r.status).toBe(413);
    await expectStillServing();
  });

  it('lets a client without the token send no more than 1 KiB before its close', async () => {
    const small = await rawWebSocket(fx.server.port, {});
    small.write(wsFrame(0x1, Buffer.alloc(1000, 0x20)));
    expect(await closed(small, 500)).toBe(false); // waits for the close handshake…
    expect(await closed(small, 1_500)).toBe(true); // dropped when it never answers the close
    const big = await rawWebSocket(fx.server.port, {});
    big.write(wsFrame(0x1, Buffer.alloc(2048, 0x20)));
    expect(await closed(big, 2_000)).toBe(true); // dropped at once: over the limit
  });

  it('answers a fault while handling a WebSocket message with E_INTERNAL and keeps the session', async () => {
    const client = await TestClient.connect(fx);
    const spy = vi.spyOn(DisplayChannel.prototype, 'setEnabled').mockImplementationOnce(() => {
      throw new Error('simulated display fault');
    });
    client.send({ type: 'frames', enabled: true });
    await client.until(
      () =>
        client.messages.some(
          (m) =>
            m.type === 'event' && m.event.type === 'log' && m.event.message.includes('E_INTERNAL'),
        ),
      5_000,
      'the E_INTERNAL report',
    );
    spy.mockRestore();
    expect((await client.call('laser.allOff')).ok).toBe(true);
    client.close();
  });
});

describe('large legitimate plans', () => {
  const plan = bigPlan(26_000);
  const text = JSON.stringify({ plan });

  it('are over 1 MiB (the old WebSocket limit)', () => {
    expect(text.length).toBeGreaterThan(1024 * 1024);
  });

  it('are estimated over the WebSocket', async () => {
    const client = await TestClient.connect(fx);
    const r = await client.call('plan.estimate', { plan });
    client.close();
    expect(r).toMatchObject({ ok: true, value: { events: 26_000, frames: 26_000 } });
  });

  it('are estimated over HTTP POST', async () => {
    const r = await fetch(`${fx.server.url}api/commands/plan.estimate`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: text,
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, value: { events: 26_000 } });
  });
});

describe('HTTP refusals are 4xx, internal faults 500 and survived', () => {
  it('answers GET // with 404 and a bad %-escape in a command name with 400', async () => {
    expect((await get(fx.server.port, '//', bearer())).status).toBe(404);
    expect((await get(fx.server.port, '//')).status).toBe(401);
    const bad = await get(fx.server.port, 'POST /api/commands/%E0', bearer());
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'E_INVALID' });
  });

  it('answers request targets that are not a path with 400', async () => {
    for (const target of ['*', 'http://127.0.0.1/api/state', '@evil/x']) {
      const { reply } = await rawExchange(
        fx.server.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${fx.server.port}\r\nConnection: close\r\n\r\n`,
      );
      expect(reply, target).toMatch(/^HTTP\/1\.1 400 /);
    }
  });

  it('answers unparsable HTTP with 400 and oversized headers with 431', async () => {
    const { reply } = await rawExchange(fx.server.port, 'GET / HTTP/1.1\r\nHo st\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    const long = await rawExchange(fx.server.port, `GET /${'a'.repeat(40_000)} HTTP/1.1\r\n\r\n`);
    expect(long.reply).toMatch(/^HTTP\/1\.1 431 /);
    await expectStillServing();
  });

  it('answers a fault inside one request with E_INTERNAL 500, logs it without the token, and keeps serving', async () => {
    const client = await TestClient.connect(fx);
    const spy = vi.spyOn(fx.host.store, 'state', 'get').mockImplementationOnce(() => {
      throw new Error('simulated fault');
    });
    const r = await get(fx.server.port, `/api/state?token=${fx.token}`, bearer());
    spy.mockRestore();
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body).error).toMatchObject({ code: 'E_INTERNAL' });
    const isFaultLog = (m: HostMessage) =>
      m.type === 'event' && m.event.type === 'log' && m.event.message.includes('simulated fault');
    await client.until(() => client.messages.some(isFaultLog), 5_000, 'the fault log event');
    const logged = JSON.stringify(client.messages.filter(isFaultLog));
    client.close();
    expect(logged).toContain('token=[redacted]');
    expect(logged).not.toContain(fx.token);
    await expectStillServing();
  });

  it('accepts the Bearer scheme in any case (RFC 7235)', async () => {
    expect(
      (await get(fx.server.port, '/api/state', { authorization: `bEaReR ${fx.token}` })).status,
    ).toBe(200);
  });
});

describe('the token', () => {
  it('stops `aquila serve` with a one-line error and exit code 2 when too short', async () => {
    const err = await startServe([], 'nine-char').then(
      async (s) => {
        await s.stop();
        return new Error('serve started with a 9-character token');
      },
      (e: Error) => e,
    );
    expect(err.message).toMatch(/^serve exited with 2:/);
    expect(err.message).toMatch(
      /^aquila serve: AQUILA_TOKEN is 9 characters; use at least 16 \(or unset it to get a random one\)$/m,
    );
  });

  it('is refused at start when shorter than 16 characters, with a one-line reason', async () => {
    await expect(
      startRemoteServer({ host: fx.host, token: 'nine-char', port: 0, uiRoot: '/nonexistent' }),
    ).rejects.toThrow(/^AQUILA_TOKEN is 9 characters; use at least 16/);
  });
});
