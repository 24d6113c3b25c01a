/** OBIS driver against its wire simulator over a real socat pty. */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../../drivers/devices';
import {
  DeviceError,
  DisconnectedError,
  LimitError,
  ProtocolError,
  StateError,
  TimeoutError,
  ValidationError,
} from '../../../drivers/errors';
import { ObisLaser } from '../../../drivers/lasers/obis/obis-laser';
import { OBIS_ERRORS, parseCode } from '../../../drivers/lasers/obis/obis-protocol';
import { ObisSim, scpiShort, type ObisSimOptions } from '../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';

const quiet = () => undefined;

describe('OBIS over a pty', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(sim: Partial<ObisSimOptions> = {}, options: Record<string, unknown> = {}) {
    const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });
    const obis = new ObisSim(world, 'l488', { cdrhDelayMs: 80, ...sim });
    const running: RunningWireSim<ObisSim> = await runWireSim(obis);
    cleanup.push(() => running.stop());
    const laser = new ObisLaser(
      'l488',
      { port: running.devicePath, timeoutMs: 1_000, emissionStartTimeoutMs: 3_000, ...options },
      { simWorld: () => world, log: quiet },
    );
    cleanup.push(() => laser.disconnect());
    const events: DeviceEvent[] = [];
    laser.subscribe((e) => events.push(e));
    return { world, obis, running, laser, events };
  }

  it('connects: handshake on, prompt off, identity and limits read from the device, autostart off', async () => {
    const { laser, obis } = await setup();
    expect(laser.maxPowerMw).toBe(0);
    const id = await laser.connect();
    expect(id).toEqual({
      vendor: 'Coherent',
      model: 'OBIS 488nm LX 100mW',
      serial: 'SIM1488A',
      firmware: '1.0.7-sim',
    });
    expect(laser.wavelengthNm).toBe(488);
    expect(laser.maxPowerMw).toBeCloseTo(100, 6);
    expect(obis.handshake).toBe(true);
    expect(obis.prompt).toBe(false);
    expect(obis.autostart).toBe(false);
    expect(obis.mode).toBe('CWP');
    expect(obis.commandsSince(0).slice(0, 2)).toEqual(['SYST:COMM:HAND ON', 'SYST:COMM:PROM OFF']);
  });

  it('sets power in W on the wire and reads mW back; the world line follows', async () => {
    const { laser, obis, world } = await setup();
    await laser.connect();
    const from = obis.received.length;
    await laser.setPowerMw(25);
    expect(obis.commandsSince(from)).toEqual(['SOUR:POW:LEV:IMM:AMPL 0.02500']);
    expect(await laser.getPowerMw()).toBeCloseTo(25, 6);
    expect(world.lasers.get('l488')?.powerMw).toBeCloseTo(25, 6);
  });

  it('refuses power outside 0..max with a LimitError and sends nothing', async () => {
    const { laser, obis } = await setup({}, { maxPowerMw: 50 });
    await laser.connect();
    expect(laser.maxPowerMw).toBe(50);
    const from = obis.received.length;
    await expect(laser.setPowerMw(60)).rejects.toBeInstanceOf(LimitError);
    await expect(laser.setPowerMw(-1)).rejects.toBeInstanceOf(LimitError);
    await expect(laser.setPowerMw(Number.NaN)).rejects.toBeInstanceOf(LimitError);
    expect(obis.commandsSince(from)).toEqual([]);
  });

  it('emission on waits out the CDRH delay; the camera-side world sees light only after it', async () => {
    const { laser, world, events } = await setup({ cdrhDelayMs: 120 });
    await laser.connect();
    await laser.setPowerMw(10);
    const t0 = performance.now();
    const on = laser.setEmission(true);
    await new Promise((r) => setTimeout(r, 40));
    expect(world.lasers.get('l488')?.emission).toBe(false);
    await on;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    expect(world.lasers.get('l488')?.emission).toBe(true);
    expect(await laser.getEmission()).toBe(true);
    expect(events.some((e) => e.type === 'changed')).toBe(true);
    await laser.setEmission(false);
    expect(world.lasers.get('l488')?.emission).toBe(false);
    expect(await laser.getEmission()).toBe(false);
  });

  it('emission off during the CDRH delay goes out at once and ends the wait for "on"', async () => {
    const { laser, world, obis } = await setup({ cdrhDelayMs: 2_000 });
    await laser.connect();
    const on = laser.setEmission(true).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await laser.setEmission(false);
    // one round trip, not the 2 s delay (headroom for the shared test machine)
    expect(performance.now() - t0).toBeLessThan(400);
    expect(obis.commandsSince(0)).toContain('SOUR:AM:STAT OFF');
    const err = await on;
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toMatch(/switched off before it started/);
    expect(world.lasers.get('l488')?.emission).toBe(false);
  });

  it('cdrhDelay: off disables the delay at connect', async () => {
    const { laser, obis, world } = await setup({ cdrhDelayMs: 10_000 }, { cdrhDelay: 'off' });
    await laser.connect();
    expect(obis.cdrh).toBe(false);
    await laser.setEmission(true);
    expect(world.lasers.get('l488')?.emission).toBe(true);
  });

  it('interlock open → emission on fails with a DeviceError naming it; status decodes', async () => {
    const { laser, obis, world } = await setup();
    await laser.connect();
    obis.setInterlock(false);
    const err = await laser.setEmission(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as Error).message).toMatch(/interlock open/);
    expect(world.lasers.get('l488')?.emission).toBe(false);
    const s = await laser.readStatus();
    expect(s.interlockClosed).toBe(false);
    expect(s.status).toContain('fault');
  });

  it('a device fault word is decoded into the error', async () => {
    const { laser, obis } = await setup();
    await laser.connect();
    obis.faultWord = 0x2 | 0x2000;
    const err = await laser.setEmission(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as Error).message).toMatch(/diode temperature, failed to reach power/);
  });

  it('every ERR-n → DeviceError with its meaning; the next command still works', async () => {
    const { laser, obis } = await setup();
    await laser.connect();
    for (const [code, meaning] of Object.entries(OBIS_ERRORS).filter(([c]) => c !== '0')) {
      obis.injectFault({ kind: 'garbage', text: `ERR-${code}` });
      const err = await laser.getPowerMw().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).details).toMatchObject({ vendorCode: Number(code), meaning });
      expect((err as Error).message).toContain(meaning);
    }
    expect(await laser.getPowerMw()).toBe(0);
  });

  it('the simulator answers bad commands with the real error numbers', async () => {
    const { laser, obis } = await setup();
    await laser.connect();
    const t = laser.link.transport;
    const ask = (cmd: string) =>
      t.request(cmd, { reply: (l) => l.length > 0 && /^(OK|ERR-\d+)$/.test(l.at(-1) ?? '') });
    await expect(ask('SOUR:POW:LEV:IMM:AMPL 0.5')).rejects.toMatchObject({
      details: { vendorCode: 220 },
    });
    await expect(ask('BOGUS:CMD')).rejects.toMatchObject({ details: { vendorCode: 100 } });
    await expect(ask('SOUR:AM:STAT')).rejects.toMatchObject({ details: { vendorCode: 109 } });
    obis.autostart = true;
    await expect(ask('SOUR:AM:STAT ON')).rejects.toMatchObject({ details: { vendorCode: 221 } });
  });

  it('garbage and partial replies → ProtocolError; the next command still works', async () => {
    const { laser, obis } = await setup({}, { timeoutMs: 300 });
    await laser.connect();
    obis.injectFault({ kind: 'garbage', text: 'x#?' }, 2);
    await expect(laser.getEmission()).rejects.toBeInstanceOf(ProtocolError);
    obis.injectFault({ kind: 'partial-line' }, 2);
    await expect(laser.getPowerMw()).rejects.toBeInstanceOf(ProtocolError);
    expect(await laser.getEmission()).toBe(false);
  });

  it('no reply → TimeoutError within the configured time (after one retry for queries)', async () => {
    const { laser, obis } = await setup({}, { timeoutMs: 300 });
    await laser.connect();
    obis.injectFault({ kind: 'no-reply' }, 2);
    const t0 = performance.now();
    await expect(laser.getPowerMw()).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * 300 - 5);
    expect(performance.now() - t0).toBeLessThan(2 * 300 + 1_000);
    obis.injectFault({ kind: 'no-reply' });
    await expect(laser.setPowerMw(1)).rejects.toBeInstanceOf(TimeoutError);
    expect(await laser.getPowerMw()).toBeCloseTo(1, 6);
  });

  it('port vanishing → DisconnectedError and a disconnected event; it reconnects and re-initialises', async () => {
    const { laser, obis, running, events } = await setup();
    await laser.connect();
    obis.injectFault({ kind: 'slow-reply', delayMs: 500 });
    const pending = laser.getPowerMw().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await running.vanish();
    expect(await pending).toBeInstanceOf(DisconnectedError);
    await expect(laser.getEmission()).rejects.toBeInstanceOf(DisconnectedError);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'connection', state: 'disconnected' }),
    );
    obis.handshake = false;
    const from = obis.received.length;
    await running.restore();
    const t0 = performance.now();
    while (performance.now() - t0 < 3_000) {
      if (
        events.at(-1)?.type === 'connection' &&
        (events.at(-1) as { state: string }).state === 'connected'
      )
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(events.at(-1)).toMatchObject({ type: 'connection', state: 'connected' });
    expect(obis.commandsSince(from)[0]).toBe('SYST:COMM:HAND ON');
    expect(await laser.getEmission()).toBe(false);
  });

  it('a "sim:obis" laser takes its wavelength and max power from the config entry', async () => {
    const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });
    const laser = new ObisLaser(
      'l405',
      { port: 'sim:obis', wavelengthNm: 405, maxPowerMw: 50, cdrhDelay: 'off' },
      { simWorld: () => world, log: quiet },
    );
    cleanup.push(() => laser.disconnect());
    const id = await laser.connect();
    expect(id.model).toBe('OBIS 405nm LX 50mW');
    expect(laser.wavelengthNm).toBe(405);
    expect(laser.maxPowerMw).toBe(50);
    expect(world.lasers.get('l405')).toMatchObject({ wavelengthNm: 405, maxPowerMw: 50 });
  });

  it('rejects bad options with the field named', () => {
    const ctx = {
      simWorld: () => new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1 }),
      log: quiet,
    };
    expect(() => new ObisLaser('l1', { port: '/dev/x', baudRate: 'fast' }, ctx)).toThrow(
      ValidationError,
    );
    expect(() => new ObisLaser('l1', { port: '/dev/x', baudRate: 'fast' }, ctx)).toThrow(
      /baudRate/,
    );
    expect(() => new ObisLaser('l1', {}, ctx)).toThrow(/port/);
    expect(() => new ObisLaser('l1', { port: 'sim:nope' }, ctx)).toThrow(
      /unknown wire simulator "nope"/,
    );
  });

  it('port "sim:obis" starts the simulator itself and shuts socat down on disconnect', async () => {
    const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });
    const laser = new ObisLaser(
      'l561',
      { port: 'sim:obis', cdrhDelay: 'off' },
      { simWorld: () => world, log: quiet },
    );
    cleanup.push(() => laser.disconnect());
    await laser.connect();
    await laser.setPowerMw(5);
    await laser.setEmission(true);
    expect(world.lasers.get('l561')).toMatchObject({ emission: true, powerMw: 5 });
    const path = laser.link.simulator?.devicePath;
    expect(path).toBeTruthy();
    await laser.setEmission(false);
    await laser.disconnect();
    expect(laser.link.simulator).toBeUndefined();
    const { existsSync } = await import('node:fs');
    expect(existsSync(path as string)).toBe(false);
  });
});

describe('OBIS protocol helpers', () => {
  it.each([
    ['SOURce:AM:STATe', 'SOUR:AM:STAT'],
    ['sour1:pow:lev:imm:ampl', 'SOUR:POW:LEV:IMM:AMPL'],
    ['SYSTem:COMMunicate:HANDshake', 'SYST:COMM:HAND'],
    ['SYST:INF:WAV?', 'SYST:INF:WAV?'],
  ])('scpiShort(%s) = %s', (long, short) => {
    expect(scpiShort(long.replace('?', '')) + (long.endsWith('?') ? '?' : '')).toBe(short);
  });

  it.each([
    ['0x00000106', 0x106],
    ['00000106', 0x106],
    ['1A', 0x1a],
    ['262', 262],
  ])('parseCode(%s) = %d', (text, value) => {
    expect(parseCode(text, 'status')).toBe(value);
  });

  it('parseCode rejects junk', () => {
    expect(() => parseCode('zz', 'status')).toThrow(ProtocolError);
  });
});
