/**
 * HTTP + WebSocket transport of the API, bound to loopback only (remote users come through
 * `ssh -L`). Routes:
 *   GET  /?token=T            exchange a token for a session cookie (HttpOnly, SameSite=Strict,
 *                             Max-Age), redirect to /; wrong tokens are slowed and throttled
 *   GET  /api/state           {rev, state}
 *   GET  /api/commands        command names and summaries
 *   POST /api/commands/<name> JSON params → {ok:true, value} | {ok:false, error} (4xx/5xx)
 *   GET  /api/ws              WebSocket (messages: electron/api/messages.ts); closed with
 *                             code 4401 when the token is missing or wrong
 *   GET  /*                   the built UI
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commands } from '../api/contract';
import { sessionDir } from '../cli/session-file';
import type { Host } from '../host/host';
import { registerSecret } from '../host/logger';
import { assertUsableToken, checkHostAndOrigin } from './auth';
import { Authenticator, clientAddress, type AuthResult } from './authenticator';
import { errorBody, invalid, json, statusForError, unauthorised } from './http-reply';
import { decodeOrNull, requestPath } from './request-path';
import { serveStatic } from './static-files';
import { UserStore, type Identity } from './users';
import { createUpgradeHandler, MAX_AUTHENTICATED_MESSAGE_BYTES } from './ws-upgrade';

export interface RemoteServerOptions {
  host: Host;
  /** At least MIN_TOKEN_LENGTH characters, else start fails with a ConfigError. */
  token: string;
  /** 0 = any free port. */
  port: number;
  /** Folder of the built renderer (index.html). */
  uiRoot: string;
  /** Folder of users.json (named users); default AQUILA_HOME or ~/.aquila. */
  dataDir?: string;
  /** Login throttle and session length (defaults in authenticator.ts / sessions.ts). */
  maxLoginFailures?: number;
  loginFailureDelayMs?: number;
  sessionMs?: number;
}

export interface RemoteServer {
  readonly port: number;
  readonly url: string;
  /** The URL that logs a browser in. Contains the token: print it only to the operator. */
  readonly loginUrl: string;
  close(): Promise<void>;
}

/** Statuses for Node's HTTP parser errors other than plain malformed requests (400). */
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** A request body over the limit; answered 413. */
class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_AUTHENTICATED_MESSAGE_BYTES)
      throw new BodyTooLarge(`request body exceeds ${MAX_AUTHENTICATED_MESSAGE_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRemoteServer(opts: RemoteServerOptions): Promise<RemoteServer> {
  const { host, token, uiRoot } = opts;
  assertUsableToken(token);
  const unregisterToken = registerSecret(token);
  const auth = new Authenticator({
    token,
    users: new UserStore(opts.dataDir ?? sessionDir()),
    log: host.log,
    ...(opts.maxLoginFailures !== undefined ? { maxLoginFailures: opts.maxLoginFailures } : {}),
    ...(opts.loginFailureDelayMs !== undefined ? { failureDelayMs: opts.loginFailureDelayMs } : {}),
    ...(opts.sessionMs !== undefined ? { sessionMs: opts.sessionMs } : {}),
  });
  const upgrades = createUpgradeHandler(host, auth);

  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined); // the client went away mid-reply: nothing to tell it
    handle(req, res).catch((err: unknown) => {
      host.log.log(
        'error',
        `HTTP ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`,
      );
      if (!res.headersSent)
        json(res, 500, errorBody('E_INTERNAL', 'internal error', 'InternalError'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = checkHostAndOrigin(req);
    if (problem) return unauthorised(res, 403, `Forbidden: ${problem}`);
    const url = requestPath(req.url);
    if (!url) return invalid(res, 400, 'Malformed request target: expected a path like /api/state');

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      const result = auth.checkToken(url.searchParams.get('token') ?? '', clientAddress(req));
      if (!result.ok)
        return refuse(res, result, 'Wrong token. Use the URL printed by the host at start.');
      // The page's own options (e.g. ?stream=fit) survive the login; the token leaves the URL.
      const rest = new URLSearchParams(url.searchParams);
      rest.delete('token');
      res.writeHead(303, {
        Location: rest.size > 0 ? `/?${rest}` : '/',
        'Set-Cookie': auth.login(result.identity),
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    const who = auth.identify(req);
    if (!who.ok) {
      return refuse(
        res,
        who,
        'Not authorised: open the URL the host printed at start (it carries ?token=…) or send Authorization: Bearer <token>.',
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
    if (url.pathname.startsWith('/api/commands/')) return command(req, res, url, who.identity);
    if (url.pathname.startsWith('/api/'))
      return invalid(res, 404, `No route ${req.method} ${url.pathname}`);
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
    return invalid(res, 404, `Not found: ${url.pathname}`);
  }

  /** 401 after the failure delay (a wrong token), or 429 with Retry-After (throttled). */
  async function refuse(
    res: ServerResponse,
    result: Extract<AuthResult, { ok: false }>,
    message: string,
  ): Promise<void> {
    if (result.reason === 'throttled') {
      res.setHeader('Retry-After', String(result.retryAfterS ?? 60));
      return unauthorised(
        res,
        429,
        `Too many failed logins from this address: try again in ${result.retryAfterS ?? 60} s`,
      );
    }
    if (result.reason === 'wrong' && auth.failureDelayMs > 0)
      await new Promise((r) => setTimeout(r, auth.failureDelayMs));
    return unauthorised(res, 401, message);
  }

  async function command(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    identity: Identity,
  ): Promise<void> {
    if (req.method !== 'POST') return invalid(res, 405, 'Use POST with a JSON body');
    const name = decodeOrNull(url.pathname.slice('/api/commands/'.length));
    if (name === null)
      return invalid(res, 400, `Command name ${url.pathname} has a malformed %-escape`);
    let args: unknown = {};
    try {
      const text = await readBody(req);
      if (text.trim() !== '') args = JSON.parse(text);
    } catch (err) {
      if (err instanceof BodyTooLarge) return invalid(res, 413, `${name}: ${err.message}`);
      return invalid(
        res,
        400,
        `Request body for ${name} is not valid JSON: ${(err as Error).message}`,
      );
    }
    const outcome = await host.call(name, args, {
      clientId: `http:${identity.user}@${req.socket.remoteAddress}`,
      transport: 'http',
      user: identity.user,
      role: identity.role,
    });
    return json(res, outcome.ok ? 200 : statusForError(outcome.error), outcome);
  }

  server.on('upgrade', (req, socket, head) => upgrades.handle(req, socket, head));
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Unparsable HTTP, oversized headers, a request too slow to arrive: answer when possible.
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    unregisterToken();
    upgrades.close();
    throw err;
  });
  // After start, a server error (e.g. EMFILE on accept) costs that connection, not the host.
  server.on('error', (err) => host.log.log('error', `HTTP server: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    port,
    url,
    loginUrl: `${url}?token=${encodeURIComponent(token)}`,
    async close() {
      unregisterToken();
      upgrades.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
