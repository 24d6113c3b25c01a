/** Failed logins over real HTTP and WebSocket: slowed, then refused with 429 per address. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { smallSimConfig, startTestHost, type HostFixture } from '../../support/host-fixture';

let fx: HostFixture;
beforeAll(async () => {
  fx = await startTestHost(smallSimConfig(), '/nonexistent-ui', {
    server: { maxLoginFailures: 3, loginFailureDelayMs: 150 },
  });
});
afterAll(() => fx.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${fx.server.url}${path}`, { headers, redirect: 'manual' });

describe('login throttle', () => {
  it('slows wrong tokens, then refuses the address (even the right token) but keeps sessions working', async () => {
    const login = await get(`?token=${fx.token}`);
    expect(login.status).toBe(303);
    const session = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

    const t0 = Date.now();
    expect((await get('?token=wrong-token-1234567')).status).toBe(401);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await get('api/state', { authorization: 'Bearer wrong-token-1234567' })).status).toBe(
      401,
    );
    const ws = new WebSocket(`ws://127.0.0.1:${fx.server.port}/api/ws`, {
      headers: { authorization: 'Bearer wrong-token-1234567' },
    });
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
    expect(code).toBe(4401);

    const blocked = await get('api/state', { authorization: `Bearer ${fx.token}` });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('E_AUTH');
    expect((await get(`?token=${fx.token}`)).status).toBe(429);
    expect((await get('api/state', { cookie: session })).status).toBe(200);
  });
});
