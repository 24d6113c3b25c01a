/**
 * Who a request is. A request proves identity with a session cookie (set by the login URL)
 * or a bearer token; a token is the local operator's (`AQUILA_TOKEN`, user "local") or a
 * named user's from users.json. Token attempts (login URL, bearer, WebSocket) are throttled
 * per client address (sessions.ts); a throttled client's attempts are refused unchecked.
 * Tokens are never logged or kept: only their SHA-256 is compared (users.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../host/logger';
import { parseCookies, tokensEqual } from './auth';
import {
  DEFAULT_SESSION_MS,
  FAILURE_DELAY_MS,
  LoginThrottle,
  SESSION_COOKIE,
  SessionTable,
} from './sessions';
import type { Identity, UserStore } from './users';

export const LOCAL_USER = 'local';

export type AuthResult =
  | { ok: true; identity: Identity; via: 'session' | 'token' }
  | { ok: false; reason: 'missing' | 'wrong' | 'throttled'; retryAfterS?: number };

export interface AuthenticatorOptions {
  /** The local operator's token (AQUILA_TOKEN or generated). */
  token: string;
  users: UserStore;
  log: Logger;
  sessionMs?: number;
  /** Failed token attempts per client per minute before it is refused (HTTP 429). */
  maxLoginFailures?: number;
  /** Each failed attempt is answered only after this long, ms. */
  failureDelayMs?: number;
}

export class Authenticator {
  readonly sessions: SessionTable;
  readonly failureDelayMs: number;
  private readonly throttle: LoginThrottle;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.sessions = new SessionTable(opts.sessionMs ?? DEFAULT_SESSION_MS);
    this.throttle = new LoginThrottle(opts.maxLoginFailures ?? 10);
    this.failureDelayMs = opts.failureDelayMs ?? FAILURE_DELAY_MS;
  }

  /** Checks a presented token for `client` (its address), counting failures. */
  checkToken(token: string, client: string): AuthResult {
    const blocked = this.throttle.blockedForS(client);
    if (blocked > 0) return { ok: false, reason: 'throttled', retryAfterS: blocked };
    const identity = this.identityOfToken(token);
    if (!identity) {
      this.throttle.fail(client);
      return { ok: false, reason: 'wrong' };
    }
    this.throttle.succeed(client);
    return { ok: true, identity, via: 'token' };
  }

  /** The request's identity from its session cookie, else its bearer token. */
  identify(req: IncomingMessage): AuthResult {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (sid) {
      const identity = this.sessions.lookup(sid);
      if (identity && this.stillValid(identity)) return { ok: true, identity, via: 'session' };
    }
    const bearer = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined) return { ok: false, reason: 'missing' };
    return this.checkToken(bearer, clientAddress(req));
  }

  /** A new session for `identity`; returns the Set-Cookie value. */
  login(identity: Identity): string {
    const sid = this.sessions.create(identity);
    return `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${this.sessions.maxAgeS}`;
  }

  private identityOfToken(token: string): Identity | null {
    if (tokensEqual(token, this.opts.token)) return { user: LOCAL_USER, role: 'operator' };
    try {
      return this.opts.users.authenticate(token);
    } catch (err) {
      this.opts.log.log(
        'error',
        `Users file unusable, named users refused: ${(err as Error).message}`,
      );
      return null;
    }
  }

  /** Sessions of a revoked (or re-roled) user end at their next request. */
  stillValid(id: Identity): boolean {
    if (id.user === LOCAL_USER) return true;
    try {
      return this.opts.users.stillValid(id);
    } catch {
      return false;
    }
  }
}

export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
