import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostMessage } from '../../../electron/api/messages';
import { IPC } from '../../../electron/desktop/ipc-channels';
import {
  setupIpcHost,
  type IpcMainLike,
  type PortLike,
  type SenderEvent,
} from '../../../electron/desktop/ipc-host';
import { computeHistogram } from '../../../renderer/display/histogram';
import { planView } from '../../../electron/api/frame-view';
import { reduceFrame } from '../../../electron/remote/view-pyramid';
import { decodeFrame } from '../../../renderer/frames/decode-frame';
import { decodeViewFrame } from '../../../renderer/frames/decode-view-frame';
import { startTestHost, type HostFixture } from '../../support/host-fixture';

const TRUSTED = 'file:///app/dist/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (e: SenderEvent, ...a: unknown[]) => unknown>();
  listeners = new Map<string, (e: SenderEvent, ...a: unknown[]) => void>();
  handle(c: string, l: (e: SenderEvent, ...a: unknown[]) => unknown) {
    this.handlers.set(c, l);
  }
  on(c: string, l: (e: SenderEvent, ...a: unknown[]) => void) {
    this.listeners.set(c, l);
  }
  removeHandler(c: string) {
    this.handlers.delete(c);
  }
  removeAllListeners(c: string) {
    this.listeners.delete(c);
  }
}

class FakePort implements PortLike {
  sent: unknown[] = [];
  onMessage: ((e: { data: unknown }) => void) | undefined;
  started = false;
  closed = false;
  postMessage(m: unknown) {
    this.sent.push(m);
  }
  on(ev: string, l: (e: { data: unknown }) => void) {
    if (ev === 'message') this.onMessage = l;
  }
  start() {
    this.started = true;
  }
  close() {
    this.closed = true;
  }
}

let fx: HostFixture;
let ipc: FakeIpcMain;
let port: FakePort;
let sent: HostMessage[];
let transferred: unknown[];
let teardown: () => void;

const fromWindow: SenderEvent = { sender: { id: 7 }, senderFrame: { url: TRUSTED } };
const fromElsewhere: SenderEvent = {
  sender: { id: 7 },
  senderFrame: { url: 'https://evil.example/' },
};

beforeEach(async () => {
  fx = await startTestHost();
  ipc = new FakeIpcMain();
  port = new FakePort();
  sent = [];
  transferred = [];
  teardown = setupIpcHost({
    host: fx.host,
    ipcMain: ipc,
    trustedUrl: TRUSTED,
    window: {
      webContents: {
        id: 7,
        send: (_c: string, m: unknown) => sent.push(m as HostMessage),
        postMessage: (_c: string, _m: unknown, t: string[]) => transferred.push(...t),
        isDestroyed: () => false,
      },
    },
    createChannel: () => ({ port1: port, port2: 'port2' }),
  });
});

afterEach(async () => {
  teardown();
  await fx.close();
});

describe('Electron IPC host', () => {
  it('routes commands from our window to the dispatcher and returns typed outcomes', async () => {
    const call = ipc.handlers.get(IPC.command)!;
    await expect(call(fromWindow, 'stage.moveTo', { xUm: 3, yUm: 4 })).resolves.toEqual({
      ok: true,
      value: { xUm: 3, yUm: 4 },
    });
    await expect(call(fromWindow, 'focus.moveTo', { zUm: 99 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'E_LIMIT' },
    });
  });

  it('drops IPC from any other frame or sender', async () => {
    const call = ipc.handlers.get(IPC.command)!;
    await expect(
      call(fromElsewhere, 'laser.setEmission', { laserId: 'laser488', on: true }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'E_AUTH' } });
    await expect(
      call({ sender: { id: 8 }, senderFrame: { url: TRUSTED } }, 'estop', {}),
    ).resolves.toMatchObject({ ok: false, error: { code: 'E_AUTH' } });
    expect(fx.host.store.state.lasers.laser488?.emission).toBe(false);
    ipc.listeners.get(IPC.subscribe)!(fromElsewhere);
    expect(sent).toEqual([]);
  });

  it('on subscribe sends the snapshot, then patches, and hands the page a frame port', async () => {
    ipc.listeners.get(IPC.subscribe)!(fromWindow);
    expect(sent[0]).toMatchObject({ type: 'hello', clientId: 'desktop' });
    expect(transferred).toEqual(['port2']);
    expect(port.started).toBe(true);
    await ipc.handlers.get(IPC.command)!(fromWindow, 'laser.setPower', {
      laserId: 'laser640',
      powerMw: 3,
    });
    expect(sent.some((m) => m.type === 'patch')).toBe(true);
  });

  it('the window is listed as the instrument operator and can always take control back', async () => {
    ipc.listeners.get(IPC.subscribe)!(fromWindow);
    expect(fx.host.store.state.control.clients).toMatchObject([
      { clientId: 'desktop', user: 'instrument', role: 'operator', transport: 'ipc' },
    ]);
    const remote = { clientId: 'ws9', transport: 'ws', user: 'alice', role: 'operator' } as const;
    await fx.host.call('control.request', {}, remote);
    const call = ipc.handlers.get(IPC.command)!;
    await expect(call(fromWindow, 'stage.moveTo', { xUm: 1, yUm: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER' },
    });
    await expect(call(fromWindow, 'control.take', {})).resolves.toMatchObject({ ok: true });
    await expect(call(fromWindow, 'stage.moveTo', { xUm: 1, yUm: 1 })).resolves.toMatchObject({
      ok: true,
    });
    expect(fx.host.store.state.control.holder).toMatchObject({
      clientId: 'desktop',
      expiresAtMs: null,
    });
    teardown();
    expect(fx.host.store.state.control.clients).toEqual([]);
  });

  it('feeds frames over the port, latest-wins with acknowledgement', async () => {
    ipc.listeners.get(IPC.subscribe)!(fromWindow);
    port.onMessage!({ data: { type: 'frames', enabled: true } });
    await ipc.handlers.get(IPC.command)!(fromWindow, 'camera.snap', {});
    await ipc.handlers.get(IPC.command)!(fromWindow, 'camera.snap', {});
    expect(port.sent.length).toBe(1);
    const f = decodeFrame(port.sent[0] as ArrayBuffer);
    expect(f.meta.widthPx).toBe(256);
    port.onMessage!({ data: { type: 'frame.ack', seq: f.meta.seq } });
    expect(port.sent.length).toBe(2);
    expect(decodeFrame(port.sent[1] as ArrayBuffer).meta.seq).toBe(f.meta.seq + 1);
    port.onMessage!({ data: { type: 'garbage' } }); // ignored, no throw
  });

  it('takes the same view path over the port: fitted AQF2 frames and exact pixel reads', async () => {
    ipc.listeners.get(IPC.subscribe)!(fromWindow);
    port.onMessage!({
      data: { type: 'view', view: { canvasWidthPx: 64, canvasHeightPx: 64 }, codec: 'raw' },
    });
    port.onMessage!({ data: { type: 'frames', enabled: true } });
    await ipc.handlers.get(IPC.command)!(fromWindow, 'camera.snap', {});
    const host = fx.host.bus.latest!;
    for (let i = 0; i < 200 && port.sent.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const f = await decodeViewFrame(port.sent[0] as ArrayBuffer);
    const plan = planView(256, 256, { canvasWidthPx: 64, canvasHeightPx: 64 });
    expect(f.view).toMatchObject({ ...plan, codec: 'raw' });
    expect(Array.from(f.reduced!)).toEqual(Array.from(reduceFrame(host.pixels, 256, plan)));
    expect(f.histogram).toEqual(computeHistogram(host.pixels, host.meta.bitDepth, Infinity));
    port.onMessage!({ data: { type: 'pixel.read', id: 4, x: 17, y: 200 } });
    expect(port.sent[1]).toEqual({
      type: 'pixel',
      id: 4,
      seq: f.meta.seq,
      x: 17,
      y: 200,
      value: host.pixels[200 * 256 + 17],
    });
  });
});
