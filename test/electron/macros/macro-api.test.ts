import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../electron/api/contract';
import type { Host } from '../../../electron/host/host';
import {
  macroHost,
  MACRO_CTX,
  runMacro,
  startMacro,
  writeUserMacro,
} from '../../support/macro-host';

let host: Host & { userMacros: string };
beforeAll(async () => {
  host = await macroHost();
});
afterAll(() => host.shutdown('test end'));

const texts = (v: { console: { text: string }[] }) => v.console.map((l) => l.text);

/** The audit trail's entries of one client, oldest first. */
async function auditOf(clientId: string): Promise<AuditEntry[]> {
  const q = await host.call('audit.query', { limit: 10_000 }, MACRO_CTX);
  if (!q.ok) throw new Error(q.error.message);
  return (q.value as { entries: AuditEntry[] }).entries.filter((e) => e.clientId === clientId);
}

describe('a macro on the one API', () => {
  it('calls commands by their API names, with top-level await and params', async () => {
    const v = await runMacro(
      host,
      `const p = await aquila.stage.moveTo({ xUm: aquila.params.x, yUm: -50 });
       aquila.log('at', p.xUm, p.yUm);
       const pos = await aquila.stage.position();
       console.log(JSON.stringify(pos));
       aquila.progress(1, 'done');`,
      { params: { x: 120 } },
    );
    expect(v.error).toBeNull();
    expect(v.phase).toBe('finished');
    expect(texts(v)).toEqual(['at 120 -50', '{"xUm":120,"yUm":-50,"zUm":0}']);
    expect(v.progress).toEqual({ fraction: 1, message: 'done' });
    expect(host.store.state.stage).toMatchObject({ xUm: 120, yUm: -50 });
  });

  it('refuses a move past the envelope with E_LIMIT naming the limit, at the macro line:column', async () => {
    const v = await runMacro(
      host,
      `await aquila.stage.moveTo({ xUm: 0, yUm: 0 });\n  await aquila.stage.moveTo({ xUm: 5000, yUm: 0 });\n`,
    );
    expect(v.phase).toBe('failed');
    expect(v.error?.code).toBe('E_MACRO');
    expect(v.error?.details).toMatchObject({ cause: 'E_LIMIT', line: 2 });
    expect(v.error?.message).toMatch(/E_LIMIT/);
    expect(v.error?.message).toMatch(/1000/);
    expect(v.error?.message).toMatch(/macro\.js:2:\d+/);
    expect(host.store.state.stage?.xUm).toBe(0);
    // the safety layer's refusal is in the audit trail, not only in the macro's error
    const moves = (await auditOf(`macro:${v.id}`)).filter((e) => e.command === 'stage.moveTo');
    expect(moves.map((e) => [e.ok, e.code])).toEqual([
      [true, undefined],
      [false, 'E_LIMIT'],
    ]);
  });

  it('reports a runtime error with its line and column', async () => {
    const v = await runMacro(host, `const a = 1;\nconst o = {};\n   o.x.y = a;\n`);
    expect(v.phase).toBe('failed');
    expect(v.error?.details).toMatchObject({ line: 3 });
    // QuickJS points into the statement `   o.x.y = a;` (columns 4–13)
    const column = v.error?.details?.column as number;
    expect(column).toBeGreaterThanOrEqual(4);
    expect(column).toBeLessThanOrEqual(13);
    expect(v.error?.message).toMatch(new RegExp(`TypeError.*macro\\.js:3:${column}`));
  });

  it('validates parameters like every client (E_INVALID) and the macro may catch it', async () => {
    const v = await runMacro(
      host,
      `try { await aquila.stage.moveTo({ xUm: 'far' }); } catch (e) { aquila.log(e.code, e.line); }`,
    );
    expect(v.phase).toBe('finished');
    expect(texts(v)).toEqual(['E_INVALID 1']);
  });

  it('snaps a frame handle with statistics; pixels only on request', async () => {
    const v = await runMacro(
      host,
      `await aquila.channel.apply({ name: 'GFP' });
       const f = await aquila.camera.snap();
       aquila.log(f.widthPx, f.heightPx, f.stats.max >= f.stats.mean, f.stats.mean > 0);
       const px = await f.pixels({ xPx: 10, yPx: 20, widthPx: 4, heightPx: 3 });
       aquila.log(px.length, px instanceof Uint16Array, px[0], px[5], f.seq);
       try { await f.pixels({ xPx: 250, yPx: 0, widthPx: 10, heightPx: 1 }); } catch (e) { aquila.log(e.message); }`,
    );
    expect(v.error).toBeNull();
    const f = host.bus.latest!;
    const at = (x: number, y: number) => f.pixels[y * f.meta.widthPx + x];
    expect(texts(v)).toEqual([
      '256 256 true true',
      `12 true ${at(10, 20)} ${at(11, 21)} ${f.meta.seq}`,
      'pixels: region x 250, y 0, 10×1 is outside the 256×256 frame',
    ]);
  });

  it('runs TypeScript macros from the library', async () => {
    writeUserMacro(
      host,
      'typed.ts',
      `// A typed macro\nconst n: number = Number(aquila.params.n);\ninterface P { xUm: number }\nconst p: P = { xUm: n };\naquila.log('n', p.xUm * 2);\n`,
    );
    const list = await host.call('macro.list', {}, MACRO_CTX);
    expect(
      list.ok && (list.value as { macros: { name: string; summary: string }[] }).macros,
    ).toContainEqual(expect.objectContaining({ name: 'typed', summary: 'A typed macro' }));
    const v = await host.macros.whenDone(
      await startMacro(host, { name: 'typed', params: { n: 21 } }),
    );
    expect(texts(v)).toEqual(['n 42']);
  });

  it('locates errors in TypeScript macros in the TypeScript source', async () => {
    const v = await runMacro(
      host,
      `// types vanish in the JavaScript\ninterface P {\n  xUm: number;\n}\nconst p: P = { xUm: 1 };\n   await aquila.stage.moveTo({ xUm: p.xUm * 9000, yUm: 0 });\n`,
      { language: 'ts', label: 'typed-fail.ts' },
    );
    expect(v.error?.details).toMatchObject({ cause: 'E_LIMIT', line: 6 });
    expect(v.error?.message).toMatch(/at typed-fail\.ts:6:\d+$/);
  });

  it('dry-runs through the API on a simulated twin: this instrument does not move', async () => {
    const before = await host.devices.stage!.getPositionUm();
    const v = await host.macros.whenDone(
      await startMacro(host, {
        source: `await aquila.stage.moveTo({ xUm: 400, yUm: 300 });\nawait aquila.stage.moveTo({ xUm: 4000, yUm: 0 });\nawait aquila.sleep(600000);\naquila.log('end');`,
        dryRun: true,
      }),
    );
    expect(v).toMatchObject({ phase: 'finished', dryRun: true });
    expect(texts(v)).toEqual(['end']);
    expect(v.report?.durationS).toBeGreaterThan(600);
    expect(v.report?.stageTravelUm).toBeCloseTo(500, 0);
    expect(v.report?.refusals).toEqual([
      expect.objectContaining({ command: 'stage.moveTo', code: 'E_LIMIT' }),
    ]);
    expect(await host.devices.stage!.getPositionUm()).toEqual(before);
    expect(host.store.state.macros?.find((m) => m.report)?.report?.refusals).toHaveLength(1);
    // the twin's calls are in this host's audit trail, as this macro's, marked dry-run
    const moves = (await auditOf(`macro:${v.id}`)).filter((e) => e.command === 'stage.moveTo');
    expect(moves).toEqual([
      expect.objectContaining({ ok: true, dryRun: true }),
      expect.objectContaining({ ok: false, code: 'E_LIMIT', dryRun: true }),
    ]);
    const real = await auditOf('test');
    expect(real.every((e) => e.dryRun === undefined)).toBe(true);
  });

  it('serves typings and completions generated from the contract', async () => {
    const r = await host.call('macro.typings', {}, MACRO_CTX);
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as { dts: string; completions: { label: string; detail: string }[] };
    expect(v.dts).toContain('declare const aquila');
    expect(v.completions).toContainEqual(
      expect.objectContaining({
        label: 'aquila.stage.moveTo',
        detail: expect.stringMatching(/^\(params: \{ xUm: number; yUm: number; \}\) => Promise/),
      }),
    );
  });

  it('stops acting when its remote starter no longer holds control', async () => {
    const remote = {
      clientId: 'c1',
      transport: 'ws' as const,
      user: 'ana',
      role: 'operator' as const,
    };
    const r = await host.call(
      'macro.start',
      {
        source: `await aquila.stage.moveTo({ xUm: 10, yUm: 0 });\naquila.log('first');\nawait aquila.sleep(2500);\nawait aquila.stage.moveTo({ xUm: 20, yUm: 0 });`,
      },
      remote,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(host.store.state.control.holder?.clientId).toBe('c1');
    // c1 sends no heartbeat: its WebSocket lease expires after 1.5 s, during the sleep
    const v = await host.macros.whenDone((r.value as { id: string }).id);
    expect(texts(v)[0]).toBe('first');
    expect(v.phase).toBe('failed');
    expect(v.error?.details).toMatchObject({ cause: 'E_NOT_CONTROLLER', line: 4 });
    expect(v.error?.message).toMatch(/ana \(c1\), who started this macro, no longer holds control/);
    expect(host.store.state.stage?.xUm).toBe(10);
    expect(host.store.state.control.holder).toBeNull();
    // the refusal never reached the dispatcher, yet it is in the audit trail
    const moves = (await auditOf(`macro:${v.id}`)).filter((e) => e.command === 'stage.moveTo');
    expect(moves).toEqual([
      expect.objectContaining({ ok: true, user: 'ana' }),
      expect.objectContaining({ ok: false, code: 'E_NOT_CONTROLLER', user: 'ana' }),
    ]);
  });

  it('is a client of its own in the audit trail', async () => {
    await runMacro(host, `await aquila.focus.moveTo({ zUm: 3 });`);
    const q = await host.call('audit.query', { command: 'focus.moveTo' }, MACRO_CTX);
    const entries = q.ok ? (q.value as { entries: { clientId: string }[] }).entries : [];
    expect(entries.at(-1)?.clientId).toMatch(/^macro:m\d+$/);
  });

  it('answers reads from the state snapshot, audited in batches; reads with arguments go to the host', async () => {
    const v = await runMacro(
      host,
      `await aquila.stage.moveTo({ xUm: 40, yUm: -30 });
       let p;
       for (let i = 0; i < 2500; i++) p = await aquila.stage.position();
       aquila.log(p.xUm, p.yUm);
       p.xUm = 1;
       aquila.log((await aquila.stage.position({})).xUm);
       try {
         await aquila.stage.position({ extra: 1 });
       } catch (e) {
         aquila.log(e.code, e.line);
       }`,
    );
    // the position after the move, a fresh object each call
    expect(texts(v)).toEqual(['40 -30', '40', 'E_INVALID 8']);
    const q = await host.call('audit.query', { command: 'stage.position' }, MACRO_CTX);
    const entries = q.ok
      ? (q.value as { entries: { clientId: string; ok: boolean; args: unknown }[] }).entries
      : [];
    const mine = entries.filter((e) => e.clientId === `macro:${v.id}`);
    // 2,501 snapshot reads in batches of at most 1,000 (and before anything else the macro
    // sends, here a log line), then the refused call, by the dispatcher
    expect(mine.map((e) => e.args)).toEqual([
      { snapshotReads: 1000 },
      { snapshotReads: 1000 },
      { snapshotReads: 500 },
      { snapshotReads: 1 },
      { extra: 1 },
    ]);
    expect(mine.map((e) => e.ok)).toEqual([true, true, true, true, false]);
    expect(v.calls).toBe(2503);
  });

  it('aborts a tight loop within 1 s and leaves lasers off', async () => {
    const id = await startMacro(host, {
      source: `await aquila.laser.setPower({ laserId: 'laser640', powerMw: 5 });
                 await aquila.shutter.setAuto({ enabled: false });
                 await aquila.laser.setEmission({ laserId: 'laser640', on: true });
                 aquila.log('on');
                 while (true) {}`,
    });
    const t0 = Date.now();
    while (!host.store.state.macros?.find((m) => m.id === id)?.console.length) {
      if (Date.now() - t0 > 5000) throw new Error('macro never switched the laser on');
      await new Promise((res) => setTimeout(res, 10));
    }
    expect(host.store.state.lasers.laser640?.emission).toBe(true);
    const started = performance.now();
    const a = await host.call(
      'macro.abort',
      { id },
      { clientId: 'someone', transport: 'ws', role: 'observer', user: 'eve' },
    );
    const ms = performance.now() - started;
    expect(a.ok).toBe(true);
    expect(ms).toBeLessThan(1000);
    const v = host.macros.view(id);
    expect(v.phase).toBe('aborted');
    expect(v.error?.details).toMatchObject({ limit: 'aborted' });
    expect(host.store.state.lasers.laser640?.emission).toBe(false);
    await host.call('shutter.setAuto', { enabled: true }, MACRO_CTX);
  });
});
