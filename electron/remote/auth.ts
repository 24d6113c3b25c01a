/**
 * Remote access checks. The server binds loopback only and is reached through `ssh -L`, so
 * the browser's Host may carry any local port — but its hostname must be a loopback name
 * (defeats DNS rebinding), an Origin, when sent, must be that same host, and every request
 * must prove who it is (authenticator.ts: session cookie or bearer token).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ConfigError } from '../config/load';
import { decodeOrNull } from './request-path';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Shorter tokens are refused at start: a guessable token is an open door to the lasers. */
export const MIN_TOKEN_LENGTH = 16;

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase();
}

/** Why the request's Host/Origin are unacceptable, or null when they are fine. */
export function checkHostAndOrigin(req: IncomingMessage): string | null {
  const host = req.headers.host;
  if (!host) return 'missing Host header';
  if (!LOOPBACK_NAMES.has(hostnameOf(host))) return `foreign Host "${host}"`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return `malformed Origin "${origin}"`;
    }
    if (url.protocol !== 'http:' || url.host.toLowerCase() !== host.toLowerCase())
      return `foreign Origin "${origin}"`;
  }
  return null;
}

/**
 * Cookie pairs of a Cookie header. Untrusted: a value with a malformed percent-escape (any
 * page on a loopback port can plant one) is skipped, never thrown on.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const value = decodeOrNull(part.slice(eq + 1).trim());
    if (value !== null) out[part.slice(0, eq).trim()] = value;
  }
  return out;
}

/** Throws a one-line ConfigError when `token` is too short to be safe. */
export function assertUsableToken(token: string): void {
  if (token.length < MIN_TOKEN_LENGTH)
    throw new ConfigError(
      `AQUILA_TOKEN is ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (or unset it to get a random one)`,
    );
}
