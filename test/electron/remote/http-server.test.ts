import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { KNOWN_ERROR_CODES, statusForError } from '../../../electron/remote/http-reply';
import { startTestHost, smallSimConfig, type HostFixture } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

let fx: HostFixture;
const ui = tempDir('aquila-ui-');
writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Aquila</title>');

beforeAll(async () => {
  fx = await startTestHost(smallSimConfig(), ui);
});
afterAll(() => fx.close());

/** Raw HTTP so the Host and Origin headers can be set freely (fetch forbids that). */
function raw(method: string, p: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: fx.server.port,
          method,
          path: p,
          headers: { host: `127.0.0.1:${fx.server.port}`, ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}
const auth = () => ({ authorization: `Bearer ${fx.token}` });

describe('HTTP transport', () => {
  it('refuses the page and the API without the token', async () => {
    expect((await raw('GET', '/')).status).toBe(401);
    expect((await raw('GET', '/api/state')).status).toBe(401);
    expect((await raw('GET', '/api/state', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await raw('GET', '/?token=wrong')).status).toBe(401);
  });

  it('exchanges the token in the URL for an HttpOnly cookie and redirects it out of the address bar', async () => {
    const r = await raw('GET', `/?token=${fx.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    // the page's own options survive the redirect, the token does not
    const opts = await raw('GET', `/?stream=fit&token=${fx.token}&codec=deflate`);
    expect(opts.headers.location).toBe('/?stream=fit&codec=deflate');
    const cookie = String((r.headers['set-cookie'] as string[])[0]);
    expect(cookie).toMatch(/HttpOnly/);
    const page = await raw('GET', '/', { cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Aquila</title>');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('rejects a foreign Host or Origin even with the token', async () => {
    expect(
      (await raw('GET', '/api/state', { ...auth(), host: 'attacker.example:8420' })).status,
    ).toBe(403);
    expect(
      (
        await raw(
          'POST',
          '/api/commands/estop',
          { ...auth(), origin: 'http://attacker.example' },
          '{}',
        )
      ).status,
    ).toBe(403);
  });

  it('serves the state snapshot and runs commands with typed errors and 4xx statuses', async () => {
    const state = JSON.parse((await raw('GET', '/api/state', auth())).body);
    expect(state.state.instrument.name).toBe('Test scope');
    const ok = await raw('POST', '/api/commands/stage.moveTo', auth(), '{"xUm":5,"yUm":6}');
    expect([ok.status, JSON.parse(ok.body)]).toEqual([
      200,
      { ok: true, value: { xUm: 5, yUm: 6 } },
    ]);
    const limit = await raw('POST', '/api/commands/focus.moveTo', auth(), '{"zUm":1000}');
    expect(limit.status).toBe(422);
    expect(JSON.parse(limit.body).error).toMatchObject({ name: 'LimitError', code: 'E_LIMIT' });
    const badJson = await raw('POST', '/api/commands/stage.moveTo', auth(), '{"xUm":');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error.message).toMatch(/not valid JSON/);
    const unknown = await raw('POST', '/api/commands/self.destruct', auth(), '{}');
    expect(unknown.status).toBe(400);
    expect((await raw('GET', '/api/commands/estop', auth())).status).toBe(405);
  });

  it('closes a WebSocket without a valid token with code 4401, and refuses a foreign Origin outright', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${fx.server.port}/api/ws`);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4401);
    const foreign = new WebSocket(`ws://127.0.0.1:${fx.server.port}/api/ws`, {
      headers: { ...auth(), origin: 'http://evil.example' },
    });
    const err = await new Promise<Error>((resolve) => foreign.on('error', resolve));
    expect(err.message).toMatch(/403/);
  });

  it('serves files through links inside the UI folder but never follows one out of it', async () => {
    const outside = tempDir('aquila-outside-');
    writeFileSync(path.join(outside, 'secret.txt'), 'not for the browser');
    mkdirSync(path.join(ui, 'assets'), { recursive: true });
    writeFileSync(path.join(ui, 'assets', 'app.js'), 'console.log(1)');
    symlinkSync(outside, path.join(ui, 'out'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(ui, 'secret.txt'));
    symlinkSync(path.join(ui, 'assets'), path.join(ui, 'assets-link'));
    expect((await raw('GET', '/out/secret.txt', auth())).status).toBe(404);
    expect((await raw('GET', '/secret.txt', auth())).status).toBe(404);
    const inside = await raw('GET', '/assets-link/app.js', auth());
    expect([inside.status, inside.body]).toEqual([200, 'console.log(1)']);
  });

  it('maps every error code to its HTTP status: client mistakes 4xx, 500 only for internal faults', () => {
    const status = (code: string, details?: Record<string, unknown>) =>
      statusForError({ name: 'X', code, message: '', ...(details ? { details } : {}) });
    expect(status('E_UPLOAD', { transient: false })).toBe(422);
    expect(status('E_UPLOAD', { transient: true })).toBe(502);
    expect(status('E_STORAGE')).toBe(507);
    expect(status('E_INTERNAL')).toBe(500);
    for (const code of KNOWN_ERROR_CODES.filter((c) => c !== 'E_INTERNAL'))
      expect(status(code), code).not.toBe(500);
  });

  it('binds to loopback only', () => {
    expect(fx.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});
