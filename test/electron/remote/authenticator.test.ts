import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/host/logger';
import { Authenticator, LOCAL_USER } from '../../../electron/remote/authenticator';
import { LoginThrottle, SessionTable } from '../../../electron/remote/sessions';
import { UserStore } from '../../../electron/remote/users';
import { tempDir } from '../../support/temp-dir';

const LOCAL = 'local-operator-token-0123';
const req = (headers: Record<string, string>, addr = '127.0.0.1') =>
  ({ headers, socket: { remoteAddress: addr } }) as unknown as IncomingMessage;

function setup(opts: { maxLoginFailures?: number; sessionMs?: number } = {}) {
  const dir = tempDir('aquila-users-');
  const users = new UserStore(dir);
  const auth = new Authenticator({ token: LOCAL, users, log: silentLogger, ...opts });
  return { dir, users, auth };
}

describe('users file', () => {
  it('stores only a SHA-256 of each token, mode 0600, and lists and revokes users', () => {
    const { users } = setup();
    const token = users.add('alice', 'operator');
    users.add('bob', 'observer');
    expect(token.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
    const text = readFileSync(users.file, 'utf8');
    expect(text).not.toContain(token);
    expect(statSync(users.file).mode & 0o777).toBe(0o600);
    expect(users.list().map((u) => [u.name, u.role])).toEqual([
      ['alice', 'operator'],
      ['bob', 'observer'],
    ]);
    expect(users.authenticate(token)).toEqual({ user: 'alice', role: 'operator' });
    users.revoke('alice');
    expect(users.authenticate(token)).toBeNull();
    expect(() => users.revoke('alice')).toThrow(/No user "alice"/);
  });

  it('refuses bad names, duplicates and the reserved local name; names the problem in a bad file', () => {
    const { users } = setup();
    users.add('carol', 'operator');
    expect(() => users.add('carol', 'observer')).toThrow(/exists/);
    expect(() => users.add('../x', 'operator')).toThrow(/User name/);
    expect(() => users.add(LOCAL_USER, 'operator')).toThrow(/reserved/);
    writeFileSync(users.file, '{"version":1,"users":[{"name":"x","role":"boss"}]}');
    expect(() => users.list()).toThrow(/users\.json is invalid: users\.0\.role|users\[0\]\.role/);
  });
});

describe('authenticator', () => {
  it('knows the local token and named users by bearer (any scheme case)', () => {
    const { users, auth } = setup();
    const bob = users.add('bob', 'observer');
    expect(auth.identify(req({ authorization: `Bearer ${LOCAL}` }))).toMatchObject({
      ok: true,
      identity: { user: 'local', role: 'operator' },
    });
    expect(auth.identify(req({ authorization: `bearer ${bob}` }))).toMatchObject({
      ok: true,
      identity: { user: 'bob', role: 'observer' },
    });
    expect(auth.identify(req({ authorization: `Basic ${bob}` }))).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    expect(auth.identify(req({ authorization: `Bearer ${bob}x` }))).toMatchObject({
      ok: false,
      reason: 'wrong',
    });
  });

  it('a login gives an HttpOnly, SameSite=Strict session cookie with an expiry; revocation ends it', () => {
    const { users, auth } = setup();
    const token = users.add('dave', 'operator');
    const r = auth.checkToken(token, '127.0.0.1');
    expect(r.ok).toBe(true);
    const cookie = auth.login(r.ok ? r.identity : { user: '', role: 'observer' });
    expect(cookie).toMatch(
      /^aquila_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/,
    );
    expect(cookie).not.toContain(token);
    const pair = cookie.split(';')[0]!;
    expect(auth.identify(req({ cookie: `a=b; ${pair}` }))).toMatchObject({
      ok: true,
      via: 'session',
      identity: { user: 'dave' },
    });
    users.revoke('dave');
    expect(auth.identify(req({ cookie: pair })).ok).toBe(false);
  });

  it('expires sessions', async () => {
    const { auth } = setup({ sessionMs: 50 });
    const pair = auth.login({ user: 'local', role: 'operator' }).split(';')[0]!;
    expect(auth.identify(req({ cookie: pair })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(auth.identify(req({ cookie: pair })).ok).toBe(false);
  });

  it('throttles a client after repeated failures, even for a right token; other clients unaffected', () => {
    const { auth } = setup({ maxLoginFailures: 3 });
    for (let i = 0; i < 3; i++)
      expect(auth.checkToken('wrong-wrong-wrong', '10.0.0.1')).toMatchObject({ reason: 'wrong' });
    const blocked = auth.checkToken(LOCAL, '10.0.0.1');
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
    expect(blocked.ok ? 0 : blocked.retryAfterS).toBeGreaterThan(0);
    expect(auth.checkToken(LOCAL, '10.0.0.2').ok).toBe(true);
  });
});

describe('bounded memory', () => {
  it('the session table and the throttle evict their oldest entries beyond the cap', () => {
    const sessions = new SessionTable(60_000, 10);
    const first = sessions.create({ user: 'a', role: 'operator' });
    for (let i = 0; i < 50; i++) sessions.create({ user: `u${i}`, role: 'observer' });
    expect(sessions.size).toBe(10);
    expect(sessions.lookup(first)).toBeNull();
    const throttle = new LoginThrottle(5, 60_000, 100);
    for (let i = 0; i < 10_000; i++) throttle.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBe(100);
  });

  it('the throttle forgets a client after its window', () => {
    let now = 0;
    const throttle = new LoginThrottle(2, 1_000, 100, () => now);
    throttle.fail('c');
    throttle.fail('c');
    expect(throttle.blockedForS('c')).toBe(1);
    now = 1_001;
    expect(throttle.blockedForS('c')).toBe(0);
  });
});
