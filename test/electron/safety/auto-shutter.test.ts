/**
 * Auto-shutter on the simulated microscope: the lasers' emission timeline (SimWorld) against
 * the camera's exposure windows (SimCamera.exposureLog), on one clock. No laser emits while
 * the camera is idle in snap, live and runs; channel.apply arms without emitting; an e-stop
 * during an exposure ends the light; turning auto-shutter off gives manual light back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../../drivers/sim/camera';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import type { HostFrame } from '../../../electron/host/frame-bus';
import { smallSimConfig } from '../../support/host-fixture';
import {
  emissionIntervals,
  fullDose,
  lightWhileIdle,
  unlitExposures,
} from '../../support/light-timeline';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

/** Software switching latency allowed before an exposure and after its read-out. */
const MARGIN_MS = 100;
const ctx: CallContext = { clientId: 'shutter-test', transport: 'internal' };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let host: Host;
let logs: string[];
let frames: HostFrame[];

beforeEach(async () => {
  logs = [];
  frames = [];
  const config = smallSimConfig({
    channels: [
      { name: 'GFP', laserId: 'laser488', powerMw: 20, exposureMs: 10 },
      { name: 'Cy5', laserId: 'laser640', powerMw: 30, exposureMs: 15 },
    ],
    storage: { datasetsRoot: tempDir('aquila-shutter-') },
  });
  host = await createHost(
    { path: '/test/shutter.json', config: parseConfig(JSON.stringify(config), 'test') },
    { log: { log: (level, message) => void logs.push(`${level} ${message}`) } },
  );
  host.bus.subscribe((f) => frames.push(f));
});

afterEach(async () => {
  await host.shutdown('test end');
});

const camera = () => host.devices.camera as SimCamera;
const timeline = () => camera().world.emissionTimeline;
const light = (id: string) => emissionIntervals(timeline(), id);
async function call(name: string, args: unknown = {}): Promise<unknown> {
  const r = await host.call(name, args, ctx);
  if (!r.ok) throw new Error(`${name}: ${r.error.message} [${r.error.code}]`);
  return r.value;
}

describe('auto-shutter (default on)', () => {
  it('channel.apply arms its line without emitting; state shows armed, not emitting', async () => {
    await call('channel.apply', { name: 'GFP' });
    await pause(200);
    expect(timeline()).toEqual([]);
    await host.devices.refresh('laser488');
    expect(host.store.state.lasers.laser488).toMatchObject({ armed: true, emission: false });
    expect(host.store.state.lasers.laser640).toMatchObject({ armed: false, emission: false });
    expect(host.store.state.shutter).toMatchObject({ auto: true });
  });

  it('snap: light only from before the exposure to after the read-out; dose = power × exposure', async () => {
    await call('channel.apply', { name: 'GFP' });
    for (let i = 0; i < 3; i++) {
      await pause(300);
      await call('camera.snap');
    }
    await pause(300);
    const exposures = camera().exposureLog;
    expect(exposures).toHaveLength(3);
    const lit = light('laser488');
    expect(lit).toHaveLength(3);
    expect(lightWhileIdle(lit, exposures, MARGIN_MS)).toEqual([]);
    expect(unlitExposures(lit, exposures)).toEqual([]);
    expect(light('laser640')).toEqual([]);
    expect(frames).toHaveLength(3);
    for (const f of frames) {
      expect(f.meta.lasersMw).toEqual({ laser488: 20, laser640: 0 });
      expect(fullDose(f.meta.doseMwMs, 'laser488', 20, 10), JSON.stringify(f.meta.doseMwMs)).toBe(
        true,
      );
    }
  });

  it('live: light from before the first exposure until live stops; every line off after', async () => {
    await call('channel.apply', { name: 'GFP' });
    await pause(200);
    await call('camera.startLive');
    await until('live frames', () => frames.length >= 5, 5_000);
    await call('camera.stopLive');
    await pause(300);
    const exposures = camera().exposureLog;
    const lit = light('laser488');
    expect(lit).toHaveLength(1);
    // Live free-runs: the camera is busy from the first exposure to the last read-out (it may
    // wait for a render slot in between, light on: docs/safety.md §5).
    const live = {
      startMs: exposures[0]!.startMs,
      endMs: exposures.at(-1)!.endMs,
      readoutEndMs: Math.max(...exposures.map((e) => e.readoutEndMs)),
    };
    expect(lightWhileIdle(lit, [live], MARGIN_MS)).toEqual([]);
    expect(unlitExposures(lit, exposures)).toEqual([]);
    expect([...camera().world.lasers.values()].every((l) => !l.emission)).toBe(true);
    const first = frames[0]!.meta.doseMwMs;
    expect(fullDose(first, 'laser488', 20, 10), JSON.stringify(first)).toBe(true);
  });

  it('runs: each frame lit by its channel only, off between frames', async () => {
    const plan = {
      channels: [{ config: 'GFP' }, { config: 'Cy5' }],
      time_plan: { interval: 0.3, loops: 2 },
      axis_order: 'tc',
    };
    const started = await host.call('run.start', { plan, name: 'lit' }, ctx);
    expect(started.ok).toBe(true);
    await host.acquisition.whenIdle();
    await pause(200);
    expect(host.store.state.run).toMatchObject({ state: 'finished', framesWritten: 4 });
    const exposures = camera().exposureLog;
    expect(exposures).toHaveLength(4);
    const lit = [...light('laser488'), ...light('laser640')];
    expect(lit).toHaveLength(4);
    expect(lightWhileIdle(lit, exposures, MARGIN_MS)).toEqual([]);
    expect(unlitExposures(lit, exposures)).toEqual([]);
    // GFP exposures are lit by laser488 only, Cy5 by laser640 only (t-major: GFP, Cy5, GFP, Cy5).
    expect(unlitExposures(light('laser488'), [exposures[0]!, exposures[2]!])).toEqual([]);
    expect(unlitExposures(light('laser640'), [exposures[1]!, exposures[3]!])).toEqual([]);
    // The dose of each frame is stored with it (frames.jsonl): its channel's line only.
    const records = readFileSync(path.join(host.store.state.run!.dir, 'frames.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { meta: { channel: string; doseMwMs?: Record<string, number> } },
      );
    const lines = { GFP: ['laser488', 20, 10], Cy5: ['laser640', 30, 15] } as const;
    expect(records.map((r) => r.meta.channel).sort()).toEqual(['Cy5', 'Cy5', 'GFP', 'GFP']);
    for (const { meta } of records) {
      const [id, mw, ms] = lines[meta.channel as keyof typeof lines];
      expect(fullDose(meta.doseMwMs, id, mw, ms), JSON.stringify(meta)).toBe(true);
    }
  });

  it('runs: strict even where the plan keeps the shutter open across time points', async () => {
    const plan = {
      channels: [{ config: 'GFP' }],
      time_plan: { interval: 0.3, loops: 3 },
      keep_shutter_open_across: ['t'],
    };
    expect((await host.call('run.start', { plan, name: 'kept' }, ctx)).ok).toBe(true);
    await host.acquisition.whenIdle();
    expect(host.store.state.run).toMatchObject({ state: 'finished', framesWritten: 3 });
    const exposures = camera().exposureLog;
    const lit = light('laser488');
    expect(lit).toHaveLength(3);
    expect(lightWhileIdle(lit, exposures, MARGIN_MS)).toEqual([]);
    expect(unlitExposures(lit, exposures)).toEqual([]);
  });

  it('an e-stop during an exposure ends the light, and the latch refuses the next snap', async () => {
    await call('channel.apply', { name: 'GFP' });
    await call('camera.setExposure', { exposureMs: 400 });
    const snap = host.call('camera.snap', {}, ctx);
    await until('light on', () => camera().world.laser('laser488').emission, 2_000);
    await pause(100);
    await call('estop');
    const estopAt = performance.now();
    expect(camera().world.laser('laser488').emission).toBe(false);
    expect((await snap).ok).toBe(true);
    const lit = light('laser488');
    expect(lit).toHaveLength(1);
    expect(lit[0]!.toMs).toBeLessThanOrEqual(estopAt);
    const dose = frames[0]!.meta.doseMwMs?.laser488 ?? 0;
    expect(dose).toBeGreaterThan(0);
    expect(dose).toBeLessThan(20 * 400 * 0.8);
    expect(await host.call('camera.snap', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'E_ESTOP' },
    });
    expect(light('laser488')).toHaveLength(1);
  });

  it('a switch-on by hand is refused while auto-shutter is on (nothing emits); off always works', async () => {
    const r = await host.call('laser.setEmission', { laserId: 'laser488', on: true }, ctx);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'E_STATE', message: expect.stringMatching(/^Auto-shutter is on: laser488/) },
    });
    expect(await host.call('laser.setEmission', { laserId: 'nope', on: true }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID' },
    });
    await call('laser.setEmission', { laserId: 'laser488', on: false });
    await pause(100);
    expect(timeline()).toEqual([]);
    await call('shutter.setAuto', { enabled: false });
    await call('laser.setEmission', { laserId: 'laser488', on: true });
    expect(camera().world.laser('laser488').emission).toBe(true);
  });

  it('off: channel.apply switches the line on at once, logged as a warning; on again: every line off', async () => {
    await call('shutter.setAuto', { enabled: false });
    expect(logs.some((l) => /^warn Auto-shutter OFF \(shutter-test\)/.test(l))).toBe(true);
    expect(host.store.state.shutter).toMatchObject({ auto: false });
    await call('channel.apply', { name: 'Cy5' });
    expect(camera().world.laser('laser640').emission).toBe(true);
    await call('camera.snap');
    expect(camera().world.laser('laser640').emission).toBe(true);
    await call('shutter.setAuto', { enabled: true });
    expect(camera().world.laser('laser640').emission).toBe(false);
  });
});
