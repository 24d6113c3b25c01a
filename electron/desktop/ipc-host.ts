/**
 * The host side of the Electron transport. Takes Electron's objects by injection (so it
 * runs and is tested without Electron): drops IPC from anything but our own window's main
 * frame, routes commands to the one dispatcher, pushes state/events, and feeds frames over
 * a MessagePort with the same latest-wins display channel as the WebSocket transport.
 *
 * Frame path: MessageChannelMain port → page, encoded per the window's `view` message as for
 * a WebSocket client (fitted view from the worker's pyramid, exact readout on request; never
 * chunked: no link to pace). Electron's MessagePortMain cannot transfer
 * ArrayBuffers (only ports), so each frame is copied once by structured clone; that still
 * beats ipcRenderer messages (no per-message routing through the IPC handler table) and
 * avoids a loopback WebSocket with its own framing and a network listener in the window.
 */
import type { HostMessage } from '../api/messages';
import { clientMessage } from '../api/messages';
import { DisplayChannel, type HostFrame } from '../host/frame-bus';
import { CodecChooser } from '../remote/codec-choice';
import {
  FULL_VIEW,
  prepareForView,
  readFramePixel,
  type ClientView,
  type EncodedFrame,
} from '../remote/view-frames';
import type { Host } from '../host/host';
import { IPC } from './ipc-channels';

export interface SenderEvent {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => void): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel: string): void;
}

export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

export interface WindowLike<P> {
  webContents: {
    id: number;
    send(channel: string, message: unknown): void;
    postMessage(channel: string, message: unknown, transfer: P[]): void;
    isDestroyed(): boolean;
  };
}

export interface IpcHostDeps<P> {
  host: Host;
  ipcMain: IpcMainLike;
  window: WindowLike<P>;
  /** The exact URL our window loaded (file://…/index.html). */
  trustedUrl: string;
  createChannel(): { port1: PortLike; port2: P };
}

/** The operator at the instrument: a local caller, so it can always take control back. */
const DESKTOP_CONTEXT = {
  clientId: 'desktop',
  transport: 'ipc',
  user: 'instrument',
  role: 'operator',
} as const;

export function setupIpcHost<P>({
  host,
  ipcMain,
  window,
  trustedUrl,
  createChannel,
}: IpcHostDeps<P>): () => void {
  const trusted = (e: SenderEvent) =>
    e.sender.id === window.webContents.id && e.senderFrame?.url === trustedUrl;
  const cleanups: (() => void)[] = [];
  const send = (msg: HostMessage) => {
    if (!window.webContents.isDestroyed()) window.webContents.send(IPC.hostMessage, msg);
  };

  ipcMain.handle(IPC.command, async (event, name, args) => {
    if (!trusted(event)) {
      host.log.log(
        'warn',
        `Dropped IPC command from untrusted sender ${event.senderFrame?.url ?? '(no frame)'}`,
      );
      return {
        ok: false,
        error: { name: 'AuthError', code: 'E_AUTH', message: 'IPC from an untrusted frame' },
      };
    }
    return host.call(String(name), args, DESKTOP_CONTEXT);
  });

  ipcMain.on(IPC.subscribe, (event) => {
    if (!trusted(event)) return;
    for (const c of cleanups.splice(0)) c(); // a reload re-subscribes
    host.lease.connect({
      clientId: 'desktop',
      user: 'instrument',
      role: 'operator',
      transport: 'ipc',
    });
    send({
      type: 'hello',
      clientId: 'desktop',
      rev: host.store.rev,
      state: host.store.state,
      events: host.recentEvents(),
    });
    cleanups.push(host.store.subscribe((rev, patches) => send({ type: 'patch', rev, patches })));
    cleanups.push(host.onEvent((ev) => send({ type: 'event', event: ev })));

    const { port1, port2 } = createChannel();
    // The same per-client view path as the WebSocket (electron/remote/view-frames.ts): a
    // `view` message gets fitted frames, `pixel.read` the exact value from the frame sent.
    let clientView: ClientView = FULL_VIEW;
    let lastSent: HostFrame | null = null;
    const post = (frame: HostFrame, { header, payload }: EncodedFrame) => {
      lastSent = frame;
      const out = new Uint8Array(header.length + payload.length);
      out.set(header, 0);
      out.set(payload, header.length);
      port1.postMessage(out.buffer);
    };
    const chooser = new CodecChooser();
    // Frames are prepared as they arrive, also while the previous one is in flight (as for a
    // WebSocket client).
    const display = new DisplayChannel(
      host.bus,
      (frame, finish: () => EncodedFrame) => post(frame, finish()),
      {
        prepare: (frame) =>
          prepareForView(frame, clientView, { chooser, bytesPerMs: () => Infinity }),
        failed: (frame, err) =>
          host.log.log('error', `Frame port: frame ${frame.meta.seq}: ${String(err)}`),
      },
    );
    port1.on('message', (e) => {
      const parsed = clientMessage.safeParse(e.data);
      if (!parsed.success) return;
      const msg = parsed.data;
      if (msg.type === 'frames') display.setEnabled(msg.enabled);
      else if (msg.type === 'frame.ack') display.ack(msg.seq);
      else if (msg.type === 'view') {
        clientView = {
          view: msg.view,
          codec: msg.codec,
          ...(msg.window && { window: msg.window }),
        };
        display.restart();
      } else if (msg.type === 'pixel.read') {
        const value = lastSent ? readFramePixel(lastSent, msg.x, msg.y) : null;
        port1.postMessage({
          type: 'pixel',
          id: msg.id,
          seq: lastSent?.meta.seq ?? -1,
          x: msg.x,
          y: msg.y,
          value,
        });
      }
    });
    port1.start();
    window.webContents.postMessage(IPC.framePort, null, [port2]);
    cleanups.push(() => {
      display.close();
      port1.close();
    });
  });

  return () => {
    for (const c of cleanups.splice(0)) c();
    host.lease.disconnect('desktop');
    ipcMain.removeHandler(IPC.command);
    ipcMain.removeAllListeners(IPC.subscribe);
  };
}
