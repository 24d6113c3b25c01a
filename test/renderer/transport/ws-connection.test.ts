import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { HostMessage } from '../../../electron/api/messages';
import { HostCallError } from '../../../renderer/transport/call-error';
import type { LinkStatus } from '../../../renderer/transport/host-connection';
import {
  NOT_AUTHORISED_TEXT,
  WsConnection,
  type SocketLike,
} from '../../../renderer/transport/ws-connection';
import { sampleState } from '../state/sample-state';

async function waitFor(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

class Fixture {
  wss!: WebSocketServer;
  sockets: ServerSocket[] = [];
  received: unknown[][] = [];
  statuses: LinkStatus[] = [];
  messages: HostMessage[] = [];
  frames: ArrayBuffer[] = [];
  conn: WsConnection | null = null;
  rejectWith401 = false;

  async listen(): Promise<void> {
    this.wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      verifyClient: (_info, cb) => (this.rejectWith401 ? cb(false, 401) : cb(true)),
    });
    await new Promise<void>((r) => this.wss.once('listening', () => r()));
    this.wss.on('connection', (s) => {
      const log: unknown[] = [];
      this.sockets.push(s);
      this.received.push(log);
      s.on('message', (data) => log.push(JSON.parse(String(data))));
      s.send(
        JSON.stringify({
          type: 'hello',
          clientId: `c${this.sockets.length}`,
          rev: 1,
          state: sampleState(),
        }),
      );
    });
  }

  open(opts: Partial<ConstructorParameters<typeof WsConnection>[0]> = {}): WsConnection {
    const port = (this.wss.address() as AddressInfo).port;
    this.conn = new WsConnection({
      url: `ws://127.0.0.1:${port}/api/ws`,
      createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
      probeUnauthorised: async () => this.rejectWith401,
      backoff: () => 20,
      ...opts,
    });
    this.conn.start({
      status: (s) => this.statuses.push(s),
      hostMessage: (m) => this.messages.push(m),
      frame: (b) => this.frames.push(b),
    });
    return this.conn;
  }

  last(): ServerSocket {
    return this.sockets[this.sockets.length - 1]!;
  }

  async close(): Promise<void> {
    this.conn?.close();
    for (const s of this.sockets) s.terminate();
    await new Promise((r) => this.wss.close(r));
  }
}

describe('WsConnection', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = new Fixture();
    await fx.listen();
  });
  afterEach(() => fx.close());

  it('delivers hello, resolves calls with results and rejects with the typed host error', async () => {
    const conn = fx.open();
    await waitFor(() => fx.messages.length === 1, 'hello');
    expect(fx.messages[0]).toMatchObject({ type: 'hello', rev: 1 });
    expect(fx.statuses.at(-1)).toMatchObject({ state: 'connected', transport: 'websocket' });
    fx.last().on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; id: number; name: string };
      if (m.type !== 'call') return;
      fx.last().send(
        JSON.stringify(
          m.name === 'stage.moveTo'
            ? { type: 'result', id: m.id, ok: true, value: { xUm: 5, yUm: 6 } }
            : {
                type: 'result',
                id: m.id,
                ok: false,
                error: { name: 'SafetyError', code: 'ESTOP_LATCHED', message: 'E-stop is latched' },
              },
        ),
      );
    });
    await expect(conn.call('stage.moveTo', { xUm: 5, yUm: 6 })).resolves.toEqual({
      xUm: 5,
      yUm: 6,
    });
    const err = await conn
      .call('laser.setEmission', { laserId: 'l488', on: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect(err).toMatchObject({
      code: 'ESTOP_LATCHED',
      hostName: 'SafetyError',
      message: 'E-stop is latched',
    });
    expect(fx.received[0]).toContainEqual({
      type: 'call',
      id: 1,
      name: 'stage.moveTo',
      args: { xUm: 5, yUm: 6 },
    });
  });

  it('asks for frames on open, passes binary frames through and sends acks', async () => {
    const conn = fx.open();
    conn.setFramesEnabled(true);
    await waitFor(() => fx.received[0]?.length === 1, 'frames request');
    expect(fx.received[0]![0]).toEqual({ type: 'frames', enabled: true });
    fx.last().send(new Uint8Array([0x41, 0x51, 0x46, 0x31, 1, 2, 3, 4]));
    await waitFor(() => fx.frames.length === 1, 'frame');
    expect(fx.frames[0]).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(new Uint8Array(fx.frames[0]!))).toEqual([0x41, 0x51, 0x46, 0x31, 1, 2, 3, 4]);
    conn.ackFrame(9);
    await waitFor(() => fx.received[0]?.length === 2, 'ack');
    expect(fx.received[0]![1]).toEqual({ type: 'frame.ack', seq: 9 });
  });

  it('on close 4401 shows "not authorised" and stops reconnecting', async () => {
    fx.open();
    await waitFor(() => fx.sockets.length === 1, 'connection');
    fx.last().close(4401, 'bad token');
    await waitFor(() => fx.statuses.at(-1)?.state === 'unauthorised', 'unauthorised');
    expect(fx.statuses.at(-1)?.detail).toBe(NOT_AUTHORISED_TEXT);
    await new Promise((r) => setTimeout(r, 100));
    expect(fx.sockets).toHaveLength(1);
  });

  it('treats a handshake refused with HTTP 401 as not authorised', async () => {
    fx.rejectWith401 = true;
    fx.open();
    await waitFor(() => fx.statuses.at(-1)?.state === 'unauthorised', 'unauthorised');
    expect(fx.sockets).toHaveLength(0);
  });

  it('fails pending calls on loss, reconnects with backoff and re-requests frames', async () => {
    const conn = fx.open();
    conn.setFramesEnabled(true);
    await waitFor(() => fx.received[0]?.length === 1, 'first connection');
    const pending = conn.call('stage.moveBy', { dxUm: 1, dyUm: 0 }).catch((e: unknown) => e);
    await waitFor(() => fx.received[0]?.length === 2, 'call sent');
    fx.last().terminate();
    expect(await pending).toMatchObject({ code: 'DISCONNECTED' });
    await waitFor(() => fx.statuses.some((s) => s.state === 'disconnected'), 'disconnected');
    expect(fx.statuses.find((s) => s.state === 'disconnected')?.detail).toMatch(
      /retrying in 0\.0 s/,
    );
    await waitFor(() => fx.received[1]?.length === 1, 'second connection');
    expect(fx.received[1]![0]).toEqual({ type: 'frames', enabled: true });
    await waitFor(() => fx.messages.length === 2, 'second hello');
  });

  it('sends the view and re-sends it on reconnect before asking for frames', async () => {
    const conn = fx.open();
    const view = { canvasWidthPx: 800, canvasHeightPx: 600 };
    const message = { type: 'view', view, codec: 'deflate', chunks: false } as const;
    conn.setView(message);
    conn.setFramesEnabled(true);
    await waitFor(() => fx.received[0]?.length === 2, 'view and frames');
    expect(fx.received[0]).toContainEqual(message);
    fx.last().terminate();
    await waitFor(() => fx.received[1]?.length === 2, 'second connection');
    expect(fx.received[1]).toEqual([message, { type: 'frames', enabled: true }]);
  });

  it('resync reconnects at once for a fresh snapshot', async () => {
    const conn = fx.open({ backoff: () => 60_000 });
    await waitFor(() => fx.messages.length === 1, 'hello');
    conn.resync('rev gap');
    await waitFor(() => fx.messages.length === 2, 'fresh hello');
    expect(fx.sockets).toHaveLength(2);
  });

  it('refuses calls while not connected and bounds every wait', async () => {
    const conn = fx.open({ callTimeoutMs: 50 });
    await expect(conn.call('stage.stop', {})).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    await waitFor(() => fx.messages.length === 1, 'hello');
    await expect(conn.call('stage.stop', {})).rejects.toMatchObject({
      code: 'CALL_TIMEOUT',
      message: expect.stringMatching(/^stage\.stop: no answer from the host within 0\.05 s/),
    });
  });
});
