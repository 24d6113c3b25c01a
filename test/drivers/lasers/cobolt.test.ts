/** Cobolt driver against its wire simulator over a real socat pty. */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../../drivers/devices';
import {
  DeviceError,
  DisconnectedError,
  LimitError,
  ProtocolError,
  TimeoutError,
  ValidationError,
} from '../../../drivers/errors';
import { CoboltLaser } from '../../../drivers/lasers/cobolt/cobolt-laser';
import {
  coboltVendorError,
  replyValue,
  wavelengthFromModel,
} from '../../../drivers/lasers/cobolt/cobolt-protocol';
import { CoboltSim, type CoboltSimOptions } from '../../../drivers/lasers/cobolt/cobolt-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';

const quiet = () => undefined;
const newWorld = () => new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });

describe('Cobolt over a pty', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(sim: Partial<CoboltSimOptions> = {}, options: Record<string, unknown> = {}) {
    const world = newWorld();
    const cobolt = new CoboltSim(world, 'l488', sim);
    const running: RunningWireSim<CoboltSim> = await runWireSim(cobolt);
    cleanup.push(() => running.stop());
    const laser = new CoboltLaser(
      'l488',
      { port: running.devicePath, timeoutMs: 1_000, ...options },
      { simWorld: () => world, log: quiet },
    );
    cleanup.push(() => laser.disconnect());
    const events: DeviceEvent[] = [];
    laser.subscribe((e) => events.push(e));
    return { world, cobolt, running, laser, events };
  }

  it('an off requested while an on still checks the head wins: l1 is never sent after it', async () => {
    const { laser, cobolt } = await setup();
    await laser.connect();
    const from = cobolt.received.length;
    cobolt.injectFault({ kind: 'slow-reply', delayMs: 40 }, 3); // gom?, f?, ilk?
    const on = laser.setEmission(true).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await new Promise((r) => setTimeout(r, 10));
    await laser.setEmission(false);
    expect(await on).toMatch(/switched off before it started/);
    expect(cobolt.commandsSince(from)).not.toContain('l1');
    expect(cobolt.line.emission).toBe(false);
  });

  it.each([false, true])(
    'connects (echo %s): identity, wavelength and max power from the device; autostart off; constant power',
    async (echo) => {
      const { laser, cobolt } = await setup({ echo });
      const id = await laser.connect();
      expect(id).toEqual({
        vendor: 'Cobolt',
        model: '0488-06-01-0060-100',
        serial: '20488',
        firmware: '5.2.1-sim',
      });
      expect(laser.wavelengthNm).toBe(488);
      expect(laser.maxPowerMw).toBe(60);
      expect(cobolt.autostart).toBe(false);
      expect(cobolt.runMode).toBe('cp');
      await laser.setPowerMw(12.5);
      expect(await laser.getPowerMw()).toBeCloseTo(12.5, 6);
      expect(cobolt.commandsSince(cobolt.received.length - 2)).toEqual(['p 0.0125', 'p?']);
    },
  );

  it('emission on/off acts on the world line the camera sees', async () => {
    const { laser, world, events } = await setup();
    await laser.connect();
    await laser.setPowerMw(20);
    await laser.setEmission(true);
    expect(world.lasers.get('l488')).toMatchObject({ emission: true, powerMw: 20 });
    expect(await laser.getEmission()).toBe(true);
    expect(await laser.getOutputPowerMw()).toBeCloseTo(20, 6);
    expect(events.some((e) => e.type === 'changed')).toBe(true);
    await laser.setEmission(false);
    expect(world.lasers.get('l488')?.emission).toBe(false);
  });

  it('refuses power outside 0..max with a LimitError and sends nothing', async () => {
    const { laser, cobolt } = await setup();
    await laser.connect();
    const from = cobolt.received.length;
    await expect(laser.setPowerMw(61)).rejects.toBeInstanceOf(LimitError);
    await expect(laser.setPowerMw(-0.1)).rejects.toBeInstanceOf(LimitError);
    expect(cobolt.commandsSince(from)).toEqual([]);
  });

  it('interlock open: emission refused; once closed, the latched interlock fault is cleared and emission starts', async () => {
    const { laser, cobolt, world } = await setup();
    await laser.connect();
    await laser.setEmission(true);
    cobolt.setInterlock(false);
    expect(world.lasers.get('l488')?.emission).toBe(false);
    const err = await laser.setEmission(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as Error).message).toMatch(/interlock open/);
    expect(await laser.readStatus()).toMatchObject({
      fault: 3,
      operatingModeName: 'fault',
      interlockOpen: true,
    });
    cobolt.setInterlock(true);
    await laser.setEmission(true);
    expect(world.lasers.get('l488')?.emission).toBe(true);
    expect(cobolt.commandsSince(0)).toContain('cf');
  });

  it('other faults are reported with their meaning and never cleared by the driver', async () => {
    const { laser, cobolt } = await setup();
    await laser.connect();
    cobolt.fault = 1;
    const err = await laser.setEmission(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).details).toMatchObject({
      vendorCode: 1,
      meaning: 'temperature error',
    });
    expect(cobolt.commandsSince(0)).not.toContain('cf');
    expect(cobolt.commandsSince(0)).not.toContain('l1');
  });

  it('vendor error texts → DeviceError with their meaning; the next command works', async () => {
    const { laser, cobolt } = await setup();
    await laser.connect();
    const t = laser.link.transport;
    await expect(t.request('xyz?')).rejects.toMatchObject({
      details: { meaning: 'unknown command' },
    });
    await expect(t.request('p 5')).rejects.toMatchObject({
      details: { meaning: 'parameter out of range' },
    });
    cobolt.autostart = true;
    const err = await t.request('l1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).details?.meaning).toMatch(/autostart/);
    expect(await laser.getEmission()).toBe(false);
  });

  it('garbage, partial line and silence → ProtocolError / TimeoutError; the next command works', async () => {
    const { laser, cobolt } = await setup({}, { timeoutMs: 150 });
    await laser.connect();
    cobolt.injectFault({ kind: 'garbage', text: '#&?' }, 2);
    await expect(laser.getPowerMw()).rejects.toBeInstanceOf(ProtocolError);
    cobolt.injectFault({ kind: 'partial-line' }, 2);
    await expect(laser.getPowerMw()).rejects.toBeInstanceOf(ProtocolError);
    cobolt.injectFault({ kind: 'no-reply' });
    await expect(laser.setEmission(false)).rejects.toBeInstanceOf(TimeoutError);
    expect(await laser.getEmission()).toBe(false);
  });

  it('unsolicited bytes between commands do not corrupt the next reply', async () => {
    const { laser, cobolt } = await setup();
    await laser.connect();
    await laser.setPowerMw(7);
    cobolt.sendUnsolicited('1\r\n0.9999\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(await laser.getPowerMw()).toBeCloseTo(7, 6);
  });

  it('port vanishing → DisconnectedError, disconnected event; re-opens and re-initialises when it returns', async () => {
    const { laser, cobolt, running, events } = await setup();
    await laser.connect();
    cobolt.injectFault({ kind: 'slow-reply', delayMs: 500 });
    const pending = laser.getPowerMw().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await running.vanish();
    expect(await pending).toBeInstanceOf(DisconnectedError);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'connection', state: 'disconnected' }),
    );
    cobolt.autostart = true; // a power-cycled laser comes back with autostart on
    await running.restore();
    const t0 = performance.now();
    while (performance.now() - t0 < 3_000) {
      const last = events.at(-1);
      if (last?.type === 'connection' && last.state === 'connected') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(events.at(-1)).toMatchObject({ type: 'connection', state: 'connected' });
    expect(cobolt.autostart).toBe(false);
    await laser.setEmission(true);
    expect(await laser.getEmission()).toBe(true);
  });

  it('port "sim:cobolt" starts the simulator itself and removes the pty on disconnect', async () => {
    const world = newWorld();
    const laser = new CoboltLaser(
      'l405',
      { port: 'sim:cobolt' },
      { simWorld: () => world, log: quiet },
    );
    cleanup.push(() => laser.disconnect());
    await laser.connect();
    await laser.setPowerMw(3);
    await laser.setEmission(true);
    expect(world.lasers.get('l405')).toMatchObject({ emission: true, powerMw: 3 });
    const path = laser.link.simulator?.devicePath as string;
    await laser.setEmission(false);
    await laser.disconnect();
    expect(existsSync(path)).toBe(false);
  });

  it('a "sim:cobolt" laser takes its wavelength and max power from the config entry', async () => {
    const world = newWorld();
    const laser = new CoboltLaser(
      'l640',
      { port: 'sim:cobolt', wavelengthNm: 640, maxPowerMw: 140 },
      { simWorld: () => world, log: quiet },
    );
    cleanup.push(() => laser.disconnect());
    const id = await laser.connect();
    expect(id.model).toBe('0640-06-01-0140-100');
    expect(laser.wavelengthNm).toBe(640);
    expect(laser.maxPowerMw).toBe(140);
    expect(world.lasers.get('l640')).toMatchObject({ wavelengthNm: 640, maxPowerMw: 140 });
  });

  it('rejects bad options with the field named', () => {
    const ctx = { simWorld: newWorld, log: quiet };
    expect(() => new CoboltLaser('l1', { port: '/dev/x', mode: 'turbo' }, ctx)).toThrow(
      ValidationError,
    );
    expect(() => new CoboltLaser('l1', { port: '/dev/x', mode: 'turbo' }, ctx)).toThrow(/mode/);
    expect(() => new CoboltLaser('l1', { port: '/dev/x', extra: 1 }, ctx)).toThrow(/extra/);
  });
});

describe('Cobolt protocol helpers', () => {
  it.each([
    ['0488-06-01-0060-100', 488],
    ['0561-04-01-0100-300', 561],
    ['MLD 06-01', undefined],
    ['', undefined],
  ])('wavelengthFromModel(%s) = %s', (model, nm) => {
    expect(wavelengthFromModel(model)).toBe(nm);
  });

  it('skips an echo of the command', () => {
    expect(replyValue(['p?', '0.0100'], 'p?')).toBe('0.0100');
    expect(replyValue(['0.0100'], 'p?')).toBe('0.0100');
  });

  it.each([
    ['Syntax error: illegal command', 'unknown command'],
    [
      "Syntax error: only allowed when operating mode is 'Completed'.",
      'not allowed in the current operating mode',
    ],
    ['Error: something new', 'device reported an error'],
  ])('"%s" → %s', (line, meaning) => {
    expect(coboltVendorError([line], 'x')?.details?.meaning).toBe(meaning);
  });

  it('OK is not an error', () => {
    expect(coboltVendorError(['OK'], 'l0')).toBeUndefined();
  });
});
