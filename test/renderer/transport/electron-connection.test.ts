import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { AquilaBridge } from '../../../electron/api/bridge';
import type { HostMessage } from '../../../electron/api/messages';
import { HostCallError } from '../../../renderer/transport/call-error';
import {
  ElectronConnection,
  type WindowLike,
} from '../../../renderer/transport/electron-connection';
import type { LinkStatus } from '../../../renderer/transport/host-connection';
import { sampleState } from '../state/sample-state';

type Handler = Parameters<WindowLike['addEventListener']>[1];

class FakeWindow implements WindowLike {
  handlers = new Set<Handler>();
  addEventListener(_t: 'message', fn: Handler) {
    this.handlers.add(fn);
  }
  removeEventListener(_t: 'message', fn: Handler) {
    this.handlers.delete(fn);
  }
  dispatch(source: unknown, data: unknown, ports: MessagePort[]) {
    for (const h of this.handlers) h({ source, data, ports });
  }
}

function fakeBridge() {
  const listeners = new Set<(m: HostMessage) => void>();
  let subscriptions = 0;
  const commands = new Proxy({} as AquilaBridge['commands'], {
    get: (_t, name) => async (args: unknown) =>
      name === 'estop'
        ? { ok: true, value: { lasersOff: ['l488'], args } }
        : {
            ok: false,
            error: { name: 'DeviceError', code: 'TIMEOUT', message: `${String(name)} timed out` },
          },
  });
  const bridge: AquilaBridge = {
    commands,
    onHostMessage(l) {
      subscriptions++;
      listeners.add(l);
      l({ type: 'hello', clientId: 'electron', rev: subscriptions * 10, state: sampleState() });
      return () => listeners.delete(l);
    },
  };
  return { bridge, listeners, subscriptions: () => subscriptions };
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function setup() {
  const win = new FakeWindow();
  const b = fakeBridge();
  const conn = new ElectronConnection(b.bridge, win);
  const statuses: LinkStatus[] = [];
  const messages: HostMessage[] = [];
  const frames: ArrayBuffer[] = [];
  conn.start({
    status: (s) => statuses.push(s),
    hostMessage: (m) => messages.push(m),
    frame: (f) => frames.push(f),
  });
  return { win, b, conn, statuses, messages, frames };
}

describe('ElectronConnection', () => {
  it('subscribes for hello, reports connected, resubscribes on resync', () => {
    const { b, conn, statuses, messages } = setup();
    expect(messages[0]).toMatchObject({ type: 'hello', rev: 10 });
    expect(statuses.at(-1)).toEqual({ state: 'connected', detail: null, transport: 'electron' });
    conn.resync();
    expect(b.subscriptions()).toBe(2);
    expect(b.listeners.size).toBe(1);
    expect(messages[1]).toMatchObject({ type: 'hello', rev: 20 });
  });

  it('unwraps outcomes: value on ok, HostCallError with the host code otherwise', async () => {
    const { conn } = setup();
    await expect(conn.call('estop', {})).resolves.toMatchObject({ lasersOff: ['l488'] });
    const err = await conn.call('camera.snap', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect(err).toMatchObject({ code: 'TIMEOUT', message: 'camera.snap timed out' });
  });

  it('takes the frame port only from its own window, then streams frames and acks', async () => {
    const { win, conn, frames } = setup();
    const ch = new MessageChannel();
    channels.push(ch);
    const hostSide: unknown[] = [];
    ch.port1.on('message', (m) => hostSide.push(m));
    conn.setFramesEnabled(true);
    const page = ch.port2 as unknown as MessagePort;
    win.dispatch({ other: true }, { type: 'aquila:frame-port' }, [page]);
    win.dispatch(win, { type: 'something-else' }, [page]);
    await new Promise((r) => setTimeout(r, 20));
    expect(hostSide).toEqual([]);
    win.dispatch(win, { type: 'aquila:frame-port' }, [page]);
    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
    ch.port1.postMessage(buf);
    ch.port1.postMessage(new Uint8Array([9, 9, 5, 6, 7, 9]).subarray(2, 5));
    conn.ackFrame(5);
    const end = Date.now() + 2000;
    while ((frames.length < 2 || hostSide.length < 2) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(hostSide).toEqual([
      { type: 'frames', enabled: true },
      { type: 'frame.ack', seq: 5 },
    ]);
    expect(Array.from(new Uint8Array(frames[0]!))).toEqual([1, 2, 3, 4]);
    expect(Array.from(new Uint8Array(frames[1]!))).toEqual([5, 6, 7]);
  });

  it('sends its view (never chunked) on the port, re-sends it to a new port, and routes pixel answers', async () => {
    const { win, conn, messages } = setup();
    conn.setView({
      type: 'view',
      view: { canvasWidthPx: 512, canvasHeightPx: 512 },
      codec: 'raw',
      chunks: true,
    });
    conn.setFramesEnabled(true);
    const ch = new MessageChannel();
    channels.push(ch);
    const hostSide: unknown[] = [];
    ch.port1.on('message', (m) => hostSide.push(m));
    win.dispatch(win, { type: 'aquila:frame-port' }, [ch.port2 as unknown as MessagePort]);
    conn.readPixel(3, 10, 20);
    const answer = { type: 'pixel', id: 3, seq: 8, x: 10, y: 20, value: 1234 };
    ch.port1.postMessage(answer);
    const end = Date.now() + 2000;
    while ((hostSide.length < 3 || !messages.some((m) => m.type === 'pixel')) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(hostSide).toEqual([
      {
        type: 'view',
        view: { canvasWidthPx: 512, canvasHeightPx: 512 },
        codec: 'raw',
        chunks: false,
      },
      { type: 'frames', enabled: true },
      { type: 'pixel.read', id: 3, x: 10, y: 20 },
    ]);
    expect(messages).toContainEqual(answer);
  });
});
