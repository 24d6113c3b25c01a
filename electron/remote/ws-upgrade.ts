/**
 * The WebSocket upgrade on `GET /api/ws`. Anything may arrive here before any check — odd
 * paths, bad cookies, resets, malformed frames — so every step is guarded and every socket
 * and WebSocket has an error listener: a hostile upgrade costs one socket, never the host.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Host } from '../host/host';
import { checkHostAndOrigin } from './auth';
import type { Authenticator } from './authenticator';
import { requestPath } from './request-path';
import { attachSession } from './ws-session';

/**
 * Largest message an authenticated client may send (and largest HTTP body): plans of
 * hundreds of thousands of positions (a 26,000-position plan is ~2 MiB of JSON) fit.
 */
export const MAX_AUTHENTICATED_MESSAGE_BYTES = 32 * 1024 * 1024;
/** A client without a valid token is closed at once (4401); it may send next to nothing. */
const MAX_UNAUTHENTICATED_MESSAGE_BYTES = 1024;
/** …and its socket is dropped this long after the 4401 close if it does not answer the close. */
const UNAUTHORISED_LINGER_MS = 1_000;

export interface UpgradeHandler {
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createUpgradeHandler(host: Host, auth: Authenticator): UpgradeHandler {
  const trusted = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_AUTHENTICATED_MESSAGE_BYTES,
  });
  const untrusted = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_UNAUTHENTICATED_MESSAGE_BYTES,
  });
  let clientCounter = 0;

  function refuse(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /**
   * Protocol errors (unmasked frame, oversized message…) close that client only. Those of
   * unauthorised clients are logged at debug: they must not flood the operators' log.
   */
  function guard(ws: WebSocket, clientId: string, level: 'debug' | 'warn'): void {
    ws.on('error', (err) => host.log.log(level, `WebSocket ${clientId}: ${err.message}`));
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = requestPath(req.url);
    if (path === null) return refuse(socket, 400, 'Bad Request');
    if (path.pathname !== '/api/ws') return refuse(socket, 404, 'Not Found');
    if (checkHostAndOrigin(req)) return refuse(socket, 403, 'Forbidden');
    const who = auth.identify(req);
    if (!who.ok) {
      // Same origin but without a valid session or token: open, then close with 4401 so the
      // page can tell the user to log in (a refused upgrade looks like a network error).
      return untrusted.handleUpgrade(req, socket, head, (ws) => {
        guard(ws, `unauthorised@${req.socket.remoteAddress}`, 'debug');
        ws.close(4401, who.reason === 'throttled' ? 'Too many failed logins' : 'Not authorised');
        setTimeout(() => ws.terminate(), UNAUTHORISED_LINGER_MS).unref();
      });
    }
    trusted.handleUpgrade(req, socket, head, (ws) => {
      clientCounter += 1;
      const clientId = `ws${clientCounter}@${req.socket.remoteAddress}`;
      guard(ws, clientId, 'warn');
      attachSession(ws, host, clientId, who.identity, () => auth.stillValid(who.identity));
    });
  }

  return {
    handle(req, socket, head) {
      socket.on('error', () => socket.destroy());
      try {
        upgrade(req, socket, head);
      } catch (err) {
        host.log.log('error', `WebSocket upgrade ${req.url}: ${(err as Error).message}`);
        socket.destroy();
      }
    },
    close() {
      for (const wss of [trusted, untrusted]) {
        for (const c of wss.clients) c.terminate();
        wss.close();
      }
    },
  };
}
