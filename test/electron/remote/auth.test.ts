import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  checkHostAndOrigin,
  isAuthorised,
  loginCookie,
  parseCookies,
  tokensEqual,
} from '../../../electron/remote/auth';

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

  it('authorises by bearer header or login cookie, constant-time compare', () => {
    expect(isAuthorised(req({ authorization: 'Bearer s3cret' }), 's3cret')).toBe(true);
    expect(
      isAuthorised(req({ cookie: `a=b; ${loginCookie('s3cret').split(';')[0]}` }), 's3cret'),
    ).toBe(true);
    expect(isAuthorised(req({ authorization: 'Bearer s3cre' }), 's3cret')).toBe(false);
    expect(isAuthorised(req({}), 's3cret')).toBe(false);
    expect(tokensEqual('abc', 'abd')).toBe(false);
  });

  it('takes the Bearer scheme in any case and ignores malformed cookies instead of throwing', () => {
    expect(isAuthorised(req({ authorization: 'bearer s3cret' }), 's3cret')).toBe(true);
    expect(isAuthorised(req({ authorization: 'BEARER s3cret' }), 's3cret')).toBe(true);
    expect(isAuthorised(req({ authorization: 'Basic s3cret' }), 's3cret')).toBe(false);
    expect(parseCookies('aquila_token=%E0; x=%; y=1')).toEqual({ y: '1' });
    expect(isAuthorised(req({ cookie: 'aquila_token=%E0' }), 's3cret')).toBe(false);
  });

  it('the login cookie is HttpOnly and SameSite=Strict', () => {
    expect(loginCookie('t')).toMatch(/HttpOnly/);
    expect(loginCookie('t')).toMatch(/SameSite=Strict/);
    expect(parseCookies('x=1; aquila_token=a%20b')).toEqual({ x: '1', aquila_token: 'a b' });
  });
});
