/**
 * HTTP + WebSocket transport of the API, bound to loopback only (remote users come through
 * `ssh -L`). Routes:
 *   GET  /?token=T            exchange the token for an HttpOnly cookie, redirect to /
 *   GET  /api/state           {rev, state}
 *   GET  /api/commands        command names and summaries
 *   POST /api/commands/<name> JSON params → {ok:true, value} | {ok:false, error} (4xx/5xx)
 *   GET  /api/ws              WebSocket (messages: electron/api/messages.ts); closed with
 *                             code 4401 when the token is missing or wrong
 *   GET  /*                   the built UI
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { commands } from '../api/contract';
import type { Host } from '../host/host';
import { checkHostAndOrigin, isAuthorised, loginCookie, tokensEqual } from './auth';
import { serveStatic } from './static-files';
import { attachSession } from './ws-session';

export interface RemoteServerOptions {
  host: Host;
  token: string;
  /** 0 = any free port. */
  port: number;
  /** Folder of the built renderer (index.html). */
  uiRoot: string;
}

export interface RemoteServer {
  readonly port: number;
  readonly url: string;
  /** The URL that logs a browser in. Contains the token: print it only to the operator. */
  readonly loginUrl: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

/** HTTP status for each error code: client mistakes 4xx, device and host failures 5xx. */
const STATUS_BY_CODE: Record<string, number> = {
  E_INVALID: 400,
  E_AUTH: 401,
  E_LIMIT: 422,
  E_ESTOP: 409,
  E_ABORTED: 409,
  E_POSITION_UNTRUSTED: 409,
  E_STATE: 409,
  E_CONFIG: 400,
  E_TIMEOUT: 504,
  E_DISCONNECTED: 503,
  E_DEVICE: 502,
  E_PROTOCOL: 502,
};

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function errorBody(code: string, message: string, name = 'AuthError') {
  return { ok: false, error: { name, code, message } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRemoteServer(opts: RemoteServerOptions): Promise<RemoteServer> {
  const { host, token, uiRoot } = opts;
  let clientCounter = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      host.log.log('error', `HTTP ${req.method} ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent)
        json(res, 500, errorBody('E_INTERNAL', 'internal error', 'InternalError'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = checkHostAndOrigin(req);
    if (problem) return json(res, 403, errorBody('E_AUTH', `Forbidden: ${problem}`));
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!tokensEqual(url.searchParams.get('token') ?? '', token)) {
        return json(
          res,
          401,
          errorBody('E_AUTH', 'Wrong token. Use the URL printed by the host at start.'),
        );
      }
      res.writeHead(303, {
        Location: '/',
        'Set-Cookie': loginCookie(token),
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    if (!isAuthorised(req, token)) {
      return json(
        res,
        401,
        errorBody(
          'E_AUTH',
          'Not authorised: open the URL the host printed at start (it carries ?token=…) or send Authorization: Bearer <token>.',
        ),
      );
    }

    if (url.pathname === '/api/state' && req.method === 'GET') {
      return json(res, 200, { rev: host.store.rev, state: host.store.state });
    }
    if (url.pathname === '/api/commands' && req.method === 'GET') {
      return json(
        res,
        200,
        Object.entries(commands).map(([name, c]) => ({ name, summary: c.summary })),
      );
    }
    if (url.pathname.startsWith('/api/commands/')) {
      if (req.method !== 'POST')
        return json(
          res,
          405,
          errorBody('E_INVALID', 'Use POST with a JSON body', 'ValidationError'),
        );
      const name = decodeURIComponent(url.pathname.slice('/api/commands/'.length));
      let args: unknown = {};
      try {
        const text = await readBody(req);
        if (text.trim() !== '') args = JSON.parse(text);
      } catch (err) {
        return json(
          res,
          400,
          errorBody(
            'E_INVALID',
            `Request body for ${name} is not valid JSON: ${(err as Error).message}`,
            'ValidationError',
          ),
        );
      }
      const outcome = await host.call(name, args, {
        clientId: `http@${req.socket.remoteAddress}`,
        transport: 'http',
      });
      return json(res, outcome.ok ? 200 : (STATUS_BY_CODE[outcome.error.code] ?? 500), outcome);
    }
    if (url.pathname.startsWith('/api/'))
      return json(
        res,
        404,
        errorBody('E_INVALID', `No route ${req.method} ${url.pathname}`, 'ValidationError'),
      );
    if (req.method === 'GET' && (await serveStatic(uiRoot, url.pathname, res))) return;
    if (req.method === 'GET' && url.pathname === '/') {
      return json(
        res,
        503,
        errorBody(
          'E_STATE',
          `The UI is not built (${uiRoot}/index.html missing): run npm run build:renderer`,
          'StateError',
        ),
      );
    }
    return json(res, 404, errorBody('E_INVALID', `Not found: ${url.pathname}`, 'ValidationError'));
  }

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/ws') return refuse(404, 'Not Found');
    const problem = checkHostAndOrigin(req);
    if (problem) return refuse(403, 'Forbidden');
    const authorised = isAuthorised(req, token);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Same-origin but without a valid token: open, then close with 4401 so the page can
      // tell the user to log in (a refused upgrade is indistinguishable from a network error).
      if (!authorised) return ws.close(4401, 'Not authorised');
      clientCounter += 1;
      attachSession(ws, host, `ws${clientCounter}@${req.socket.remoteAddress}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    port,
    url,
    loginUrl: `${url}?token=${encodeURIComponent(token)}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
