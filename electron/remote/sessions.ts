/**
 * Browser sessions and the login throttle, both in bounded memory.
 *
 * A login exchanges a token for a random session id (the HttpOnly cookie); the session
 * carries the identity and an expiry. Failed logins are counted per client address: each
 * failure is answered only after FAILURE_DELAY_MS, and after `maxFailures` within `windowMs`
 * the address is refused (HTTP 429) until the window passes. Both maps evict their oldest
 * entry beyond their cap, so a flood of clients cannot grow memory.
 */
import { randomBytes } from 'node:crypto';
import type { Identity } from './users';

export const SESSION_COOKIE = 'aquila_session';
export const DEFAULT_SESSION_MS = 12 * 60 * 60 * 1000;
export const FAILURE_DELAY_MS = 250;

interface Session extends Identity {
  expiresAtMs: number;
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs = DEFAULT_SESSION_MS,
    private readonly maxSessions = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  get maxAgeS(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  create(id: Identity): string {
    const sid = randomBytes(32).toString('base64url');
    this.sessions.set(sid, { ...id, expiresAtMs: this.now() + this.ttlMs });
    while (this.sessions.size > this.maxSessions)
      this.sessions.delete(this.sessions.keys().next().value!);
    return sid;
  }

  /** The session's identity, or null when unknown or expired (expired ones are dropped). */
  lookup(sid: string): Identity | null {
    const s = this.sessions.get(sid);
    if (!s) return null;
    if (s.expiresAtMs <= this.now()) {
      this.sessions.delete(sid);
      return null;
    }
    return { user: s.user, role: s.role };
  }

  drop(sid: string): void {
    this.sessions.delete(sid);
  }

  get size(): number {
    return this.sessions.size;
  }
}

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; sinceMs: number }>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
    private readonly maxClients = 4_096,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `client` may try again, or 0 when it may try now. */
  blockedForS(client: string): number {
    const f = this.failures.get(client);
    if (!f) return 0;
    const left = f.sinceMs + this.windowMs - this.now();
    if (left <= 0) {
      this.failures.delete(client);
      return 0;
    }
    return f.count >= this.maxFailures ? Math.ceil(left / 1000) : 0;
  }

  fail(client: string): void {
    const now = this.now();
    const f = this.failures.get(client);
    if (f && now - f.sinceMs < this.windowMs) f.count += 1;
    else {
      this.failures.delete(client);
      this.failures.set(client, { count: 1, sinceMs: now });
    }
    while (this.failures.size > this.maxClients)
      this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }

  get size(): number {
    return this.failures.size;
  }
}
