/**
 * One WebSocket client: snapshot on connect, then patches, events, command results and
 * display frames (latest-wins, one in flight, sent as two fragments of one binary message
 * so pixel data is never copied per client). The client is listed in the control state
 * while connected; its pongs to our pings (every PING_EVERY_MS) are the heartbeat of its
 * control lease, and its close ends the lease (the watchdog then stops the hardware). A
 * client whose user is revoked is closed with 4401 within one ping interval.
 * A client that sent a `view` message gets frames reduced to it (./view-frames.ts). Control
 * messages (results, patches, events) are sent at once. A client that reassembles chunks
 * (`view.chunks`) gets its frames paced to its link (./frame-pacer.ts), so a reply waits
 * behind ~QUEUE_MS of frame bytes at most; for any other client a frame waits while more than
 * FRAME_BACKLOG_BYTES are still buffered for the socket, so a command's reply is never queued
 * behind more than one frame. Frames are prepared (encoded for the client's view) as they
 * arrive, also while the previous one is in flight, so an ack is answered with a frame
 * already encoded (DisplayChannel).
 * `pixel.read` answers from the full frame last sent.
 */
import type { RawData, WebSocket } from 'ws';
import { formatIssues } from '../../drivers/validation';
import { clientMessage, type HostMessage } from '../api/messages';
import { DisplayChannel, type HostFrame } from '../host/frame-bus';
import type { Host } from '../host/host';
import type { Identity } from './users';
import { CodecChooser } from './codec-choice';
import { FramePacer } from './frame-pacer';
import {
  FULL_VIEW,
  prepareForView,
  readFramePixel,
  type ClientView,
  type EncodedFrame,
} from './view-frames';

/** A client this far behind on non-frame messages is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
export const PING_EVERY_MS = 500;
/** A client silent this long (no pong, no message) is gone: its socket is terminated. */
const SILENT_CLIENT_MS = 20_000;
/** A frame is held back while the socket still has this much to send. */
export const FRAME_BACKLOG_BYTES = 64 * 1024;
/** How often a held-back frame retries. */
const FRAME_RETRY_MS = 5;

export function attachSession(
  ws: WebSocket,
  host: Host,
  clientId: string,
  identity: Identity,
  stillValid: () => boolean,
): void {
  let lastHeardMs = Date.now();
  let revoked = false;
  const heard = () => {
    lastHeardMs = Date.now();
    host.lease.alive(clientId);
  };
  ws.on('pong', heard);
  const pinger = setInterval(() => {
    if (Date.now() - lastHeardMs > SILENT_CLIENT_MS) return void ws.terminate();
    if (!revoked && !stillValid()) {
      revoked = true; // its messages are ignored from now on, its lease ends at once
      host.lease.disconnect(clientId);
      return void ws.close(4401, 'Access revoked');
    }
    if (ws.readyState === ws.OPEN) ws.ping();
  }, PING_EVERY_MS);
  pinger.unref();
  host.lease.connect({ clientId, user: identity.user, role: identity.role, transport: 'ws' });
  const send = (msg: HostMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1013, 'client too slow');
      return;
    }
    ws.send(JSON.stringify(msg));
  };
  let clientView: ClientView = FULL_VIEW;
  let chunked = false;
  let lastSent: HostFrame | null = null;
  const chooser = new CodecChooser();
  const pacer = new FramePacer({
    write: (message) => {
      if (ws.readyState === ws.OPEN) ws.send(message, { binary: true });
    },
    buffered: () => ws.bufferedAmount,
  });
  let frameTimer: NodeJS.Timeout | null = null;
  // Each frame is prepared for this client's view and codec as it arrives, also while the
  // previous one is in flight, so an ack is answered at once (DisplayChannel).
  const display = new DisplayChannel(
    host.bus,
    (frame, finish: () => EncodedFrame) => {
      lastSent = frame;
      writeFrame(finish(), frame.meta.seq);
    },
    {
      prepare: (frame) =>
        prepareForView(frame, clientView, { chooser, bytesPerMs: () => pacer.bytesPerMs }),
      failed: (frame, err) =>
        host.log.log('error', `WebSocket ${clientId}: frame ${frame.meta.seq}: ${String(err)}`),
    },
  );
  const writeFrame = (encoded: EncodedFrame, seq: number) => {
    frameTimer = null;
    if (ws.readyState !== ws.OPEN) return;
    if (chunked ? pacer.busy : ws.bufferedAmount > FRAME_BACKLOG_BYTES) {
      frameTimer = setTimeout(() => writeFrame(encoded, seq), FRAME_RETRY_MS);
      return;
    }
    if (chunked) return pacer.send(seq, encoded.header, encoded.payload);
    ws.send(encoded.header, { binary: true, fin: false });
    ws.send(encoded.payload, { binary: true, fin: true });
  };

  const unsubscribePatches = host.store.subscribe((rev, patches) =>
    send({ type: 'patch', rev, patches }),
  );
  const unsubscribeEvents = host.onEvent((event) => send({ type: 'event', event }));
  send({
    type: 'hello',
    clientId,
    rev: host.store.rev,
    state: host.store.state,
    events: host.recentEvents(),
  });

  ws.on('message', (data, isBinary) => {
    if (revoked) return;
    heard();
    try {
      onMessage(data, isBinary);
    } catch (err) {
      // A fault in the host, not in the message: log it, tell the client, keep serving.
      host.log.log('error', `WebSocket ${clientId}: ${(err as Error)?.stack ?? String(err)}`);
      protocolError('internal error (E_INTERNAL) while handling the message');
    }
  });

  function onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return protocolError('binary messages are not accepted from clients');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch (err) {
      return protocolError(`message is not JSON: ${(err as Error).message}`);
    }
    const parsed = clientMessage.safeParse(json);
    if (!parsed.success)
      return protocolError(`invalid message: ${formatIssues(parsed.error).join('; ')}`);
    const msg = parsed.data;
    switch (msg.type) {
      case 'call':
        void host
          .call(msg.name, msg.args, {
            clientId,
            transport: 'ws',
            user: identity.user,
            role: identity.role,
          })
          .then((outcome) =>
            send(
              outcome.ok
                ? { type: 'result', id: msg.id, ok: true, value: outcome.value }
                : { type: 'result', id: msg.id, ok: false, error: outcome.error },
            ),
          )
          .catch((err: unknown) =>
            host.log.log(
              'error',
              `WebSocket ${clientId}: reply to ${msg.name} failed: ${String(err)}`,
            ),
          );
        break;
      case 'frames':
        display.setEnabled(msg.enabled);
        break;
      case 'frame.ack':
        display.ack(msg.seq);
        break;
      case 'view': {
        const before = clientView;
        clientView = {
          view: msg.view,
          codec: msg.codec,
          ...(msg.window && { window: msg.window }),
        };
        // A new display window alone (lut8, auto: auto-contrast moves it nearly every frame)
        // applies from the next preparation on; the frame prepared with the previous one still
        // goes, so the next ack is not left waiting for a fresh preparation.
        const sameView =
          JSON.stringify([before.view, before.codec]) === JSON.stringify([msg.view, msg.codec]);
        if (!sameView || chunked !== msg.chunks) display.restart();
        if (chunked && !msg.chunks) {
          // The client stops reassembling: the rest of a half-sent frame would corrupt the
          // stream, so it is dropped and its in-flight slot freed.
          const dropped = pacer.close();
          if (dropped !== null) display.ack(dropped);
        }
        chunked = msg.chunks;
        break;
      }
      case 'frame.progress':
        pacer.progress(msg.seq, msg.bytes);
        break;
      case 'pixel.read': {
        const f = lastSent;
        const value = f ? readFramePixel(f, msg.x, msg.y) : null;
        send({ type: 'pixel', id: msg.id, seq: f?.meta.seq ?? -1, x: msg.x, y: msg.y, value });
        break;
      }
    }
  }

  ws.on('close', () => {
    clearInterval(pinger);
    if (frameTimer) clearTimeout(frameTimer);
    pacer.close();
    host.lease.disconnect(clientId);
    display.close();
    unsubscribePatches();
    unsubscribeEvents();
  });

  function protocolError(message: string): void {
    host.log.log('warn', `WebSocket ${clientId}: ${message}`);
    send({
      type: 'event',
      event: {
        type: 'log',
        level: 'error',
        message: `Rejected message: ${message}`,
        timeMs: Date.now(),
      },
    });
  }
}
