import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin, parseCookies, tokensEqual } from '../../../electron/remote/auth';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('remote auth', () => {
  it('accepts loopback hosts on any port (ssh -L maps ports) and same-origin Origins', () => {
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:8420' }))).toBeNull();
    expect(
      checkHostAndOrigin(req({ host: 'localhost:9000', origin: 'http://localhost:9000' })),
    ).toBeNull();
    expect(checkHostAndOrigin(req({ host: '[::1]:9000' }))).toBeNull();
  });

  it('rejects foreign hosts (DNS rebinding) and cross-origin requests', () => {
    expect(checkHostAndOrigin(req({ host: 'evil.example:8420' }))).toMatch(/foreign Host/);
    expect(checkHostAndOrigin(req({ host: '127.0.0.1.nip.io:8420' }))).toMatch(/foreign Host/);
    expect(
      checkHostAndOrigin(req({ host: '127.0.0.1:8420', origin: 'http://evil.example' })),
    ).toMatch(/foreign Origin/);
    expect(
      checkHostAndOrigin(req({ host: '127.0.0.1:8420', origin: 'http://127.0.0.1:9999' })),
    ).toMatch(/foreign Origin/);
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:8420', origin: 'null' }))).toMatch(/Origin/);
    expect(checkHostAndOrigin(req({}))).toMatch(/missing Host/);
  });

  it('compares tokens in constant time and parses cookies without throwing on bad escapes', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(parseCookies('aquila_session=%E0; x=%; y=1')).toEqual({ y: '1' });
    expect(parseCookies('x=1; aquila_session=a%20b')).toEqual({ x: '1', aquila_session: 'a b' });
  });
});
