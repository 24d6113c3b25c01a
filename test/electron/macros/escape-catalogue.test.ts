/**
 * Escape and abuse attempts (issue #15): each fails inside the sandbox or is stopped by a
 * budget, and the host keeps serving. Laser and stage state is read from the simulated
 * devices themselves, not from the host's mirror.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../../electron/host/host';
import { macroHost, MACRO_CTX, runMacro, startMacro } from '../../support/macro-host';

let host: Host & { userMacros: string };
beforeAll(async () => {
  host = await macroHost();
});
afterAll(() => host.shutdown('test end'));

const texts = (v: { console: { text: string }[] }) => v.console.map((l) => l.text);

async function hostStillServes(): Promise<void> {
  const r = await host.call('stage.position', {}, MACRO_CTX);
  expect(r.ok).toBe(true);
  const m = await host.call('stage.moveBy', { dxUm: 1, dyUm: 0 }, MACRO_CTX);
  expect(m.ok).toBe(true);
}

async function devicesSafe(): Promise<void> {
  for (const laser of host.devices.lasers.values()) expect(await laser.getEmission()).toBe(false);
  const { xUm, yUm } = await host.devices.stage!.getPositionUm();
  expect(Math.abs(xUm)).toBeLessThanOrEqual(1000);
  expect(Math.abs(yUm)).toBeLessThanOrEqual(1000);
}

describe('escape attempts fail inside the sandbox', () => {
  it('constructor chains reach only the sandbox global: no process, require, host functions', async () => {
    const v = await runMacro(
      host,
      `const F = (() => {}).constructor.constructor;
       const g = F('return this')();
       const g2 = Object.getPrototypeOf(async function* () {}).constructor.constructor('return globalThis')();
       aquila.log(g === globalThis, g2 === globalThis, typeof g.process, typeof g.require,
         typeof g.__aquilaRequest, typeof g.__aquilaRequestSync, typeof g.__aquilaPost,
         F('return typeof process')());`,
    );
    expect(v.error).toBeNull();
    expect(texts(v)).toEqual([
      'true true undefined undefined undefined undefined undefined undefined',
    ]);
  });

  it('walking globalThis finds nothing of the host', async () => {
    const v = await runMacro(
      host,
      `const seen = new Set(); const found = [];
       const bad = /^(process|require|module|Buffer|__aquila\\w*|std|os|fetch|XMLHttpRequest|WebAssembly|setTimeout|setInterval|queueMicrotask|SharedArrayBuffer|Atomics)$/;
       (function walk(o, path, depth) {
         if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 4) return;
         seen.add(o);
         for (const k of Reflect.ownKeys(o)) {
           if (typeof k === 'string' && bad.test(k)) found.push(path + '.' + k);
           let v; try { v = o[k]; } catch { continue; }
           walk(v, path + '.' + String(k), depth + 1);
         }
       })(globalThis, 'globalThis', 0);
       aquila.log(found.length === 0 ? 'clean' : found.join(','), seen.size > 100);`,
    );
    expect(v.error).toBeNull();
    expect(texts(v)).toEqual(['clean true']);
  });

  it('import() and static import fail', async () => {
    const dyn = await runMacro(
      host,
      `try { await import('node:fs'); aquila.log('imported'); } catch (e) { aquila.log('refused', e.name); }`,
    );
    expect(texts(dyn)).toEqual(['refused ReferenceError']);
    const stat = await runMacro(host, `import fs from 'fs';\naquila.log(typeof fs);`);
    expect(stat.phase).toBe('failed');
    expect(stat.error?.message).toMatch(/fs/);
  });

  it('no timers and no Atomics.wait: sleep is the only way to wait', async () => {
    const v = await runMacro(
      host,
      `aquila.log(typeof setTimeout, typeof setInterval, typeof Atomics, typeof SharedArrayBuffer);
       Atomics.wait(new Int32Array(4), 0, 0);`,
    );
    expect(texts(v)[0]).toBe('undefined undefined undefined undefined');
    expect(v.error?.message).toMatch(/ReferenceError: 'Atomics' is not defined/);
    expect(v.error?.details).toMatchObject({ line: 2 });
  });

  it('the API objects cannot be polluted, and polluted JSON reaches the host only as data', async () => {
    const v = await runMacro(
      host,
      `const tries = [
         () => { aquila.stage.moveTo = () => 1; },
         () => { aquila.stage.evil = 1; },
         () => { Object.defineProperty(aquila, 'x', { value: 1 }); },
         () => { delete aquila.laser; },
         () => { globalThis.aquila = {}; },
         () => { Object.setPrototypeOf(aquila.stage, { moveTo() {} }); },
       ];
       aquila.log(tries.map((t) => { try { t(); return 'changed'; } catch (e) { return e.name; } }).join(' '));
       Object.prototype.polluted = 'yes';
       JSON.stringify = () => '{"xUm":99999,"yUm":0}';
       try { await aquila.stage.moveTo({ xUm: 1, yUm: 1 }); } catch (e) { aquila.log(e.code); }
       try { await aquila.stage.moveTo(JSON.parse('{"xUm":1,"yUm":1,"__proto__":{"polluted":1}}')); } catch (e) { aquila.log(e.code); }`,
    );
    expect(v.error).toBeNull();
    expect(texts(v)).toEqual([
      'TypeError TypeError TypeError TypeError TypeError TypeError',
      'E_LIMIT',
      'E_LIMIT',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await devicesSafe();
  });
});

describe('budgets stop abuse, and the host keeps serving', () => {
  it('a huge allocation hits the memory budget', async () => {
    const v = await runMacro(
      host,
      `const keep = [];\nwhile (true) keep.push(new Array(1e5).fill(1));`,
      { limits: { memoryMb: 16 } },
    );
    expect(v.phase).toBe('failed');
    expect(v.error?.details).toMatchObject({ limit: 'memory' });
    expect(v.error?.message).toMatch(/memory budget at macro\.js:2:/);
    await hostStillServes();
  });

  it('deep recursion hits the stack budget', async () => {
    const v = await runMacro(host, `function f(n) { return f(n + 1) + 1; }\nf(0);`);
    expect(v.error?.details).toMatchObject({ limit: 'stack' });
    await hostStillServes();
  });

  it('an endless loop hits the work budget, or the wall-time budget', async () => {
    const work = await runMacro(host, `let i = 0;\nwhile (true) { i++; }`, {
      limits: { workPolls: 200 },
    });
    expect(work.error?.details).toMatchObject({ limit: 'work' });
    const started = performance.now();
    const wall = await runMacro(host, `while (true) {}`, { limits: { wallS: 0.3 } });
    expect(wall.error?.details).toMatchObject({ limit: 'wall-time' });
    expect(performance.now() - started).toBeLessThan(5_000);
    await hostStillServes();
  });

  it('an endless async loop of calls is aborted, lasers off and motion stopped', async () => {
    const id = await startMacro(host, {
      source: `await aquila.laser.setPower({ laserId: 'laser488', powerMw: 1 });
                 await aquila.shutter.setAuto({ enabled: false });
                 await aquila.laser.setEmission({ laserId: 'laser488', on: true });
                 for (let i = 0; ; i++) await aquila.stage.moveTo({ xUm: (i % 2) * 900, yUm: 0 });`,
    });
    const t0 = Date.now();
    while (!(await host.devices.lasers.get('laser488')!.getEmission())) {
      if (Date.now() - t0 > 5_000) throw new Error('laser never on');
      await new Promise((res) => setTimeout(res, 10));
    }
    await new Promise((res) => setTimeout(res, 200));
    const a = await host.call('macro.abort', {}, MACRO_CTX);
    expect(a.ok && (a.value as { aborted: { id: string }[] }).aborted.map((m) => m.id)).toEqual([
      id,
    ]);
    expect(await host.devices.stage!.isBusy()).toBe(false);
    await devicesSafe();
    await host.call('shutter.setAuto', { enabled: true }, MACRO_CTX);
    await hostStillServes();
  });
});
