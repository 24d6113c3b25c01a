/**
 * Coherent OBIS LX/LS laser driver (single head, USB virtual COM, 115200 8N1).
 * Power is in W on the wire and mW here. Connect turns handshake on and the prompt off,
 * clears the error queue, switches emission off (unless `switchOffAtConnect` is false) and
 * reads it back, reads identity, wavelength and max power from the device; then, only if
 * the head is not emitting, turns autostart off (required for remote on/off) and selects
 * the modulation mode.
 * With CDRH on (the factory setting), emission starts 5 s after `SOUR:AM:STAT ON`;
 * setEmission(true) resolves only once the status word shows emission.
 */
import { z } from 'zod';
import type { DeviceIdentity, InterlockState, Laser } from '../../devices';
import { DeviceError, LimitError, StateError, TimeoutError } from '../../errors';
import type { DriverContext } from '../../driver-types';
import { SerialLaserBase } from '../serial-laser-base';
import type { SerialTransport } from '../../serial/transport';
import { parseOrThrow } from '../../validation';
import {
  OBIS_FAULT_BITS,
  OBIS_REPLY,
  OBIS_STATUS_BITS,
  STATUS_CDRH_DELAY,
  STATUS_EMISSION,
  STATUS_FAULT,
  decodeBits,
  formatWatts,
  obisVendorError,
  parseCode,
  parseNumber,
  parseOnOff,
  valueLine,
} from './obis-protocol';

export const obisOptions = z
  .object({
    /** Device path (`/dev/ttyACM0`, `COM3`) or `sim:obis`. */
    port: z.string().min(1),
    baudRate: z.number().int().positive().default(115_200),
    /** Per-command reply timeout, ms. */
    timeoutMs: z.number().int().min(10).max(60_000).default(1_000),
    /** How long setEmission(true) waits for emission (covers the 5 s CDRH delay), ms. */
    emissionStartTimeoutMs: z.number().int().min(100).max(60_000).default(8_000),
    /** `keep` leaves the CDRH 5 s emission delay as configured; `off` disables it. */
    cdrhDelay: z.enum(['keep', 'off']).default('keep'),
    /** `cw-power` = internal constant power (SOUR:AM:INT CWP); `digital`/`analog`/`mixed` = external modulation. */
    mode: z.enum(['cw-power', 'digital', 'analog', 'mixed', 'keep']).default('cw-power'),
    /** Only if the device does not report it; the device's value wins when it does. */
    wavelengthNm: z.number().int().min(200).max(2_000).optional(),
    /** Caps the power below the device's own maximum (never above it). */
    maxPowerMw: z.number().positive().optional(),
    /** Emission off (`SOUR:AM:STAT OFF`) at every connect; `false` leaves it as found (logged). */
    switchOffAtConnect: z.boolean().default(true),
  })
  .strict();
export type ObisOptions = z.infer<typeof obisOptions>;

const modeCommand: Record<Exclude<ObisOptions['mode'], 'keep'>, string> = {
  'cw-power': 'SOUR:AM:INT CWP',
  digital: 'SOUR:AM:EXT DIG',
  analog: 'SOUR:AM:EXT ANAL',
  mixed: 'SOUR:AM:EXT MIX',
};

export interface ObisStatus {
  statusWord: number;
  status: string[];
  faultWord: number;
  faults: string[];
  /** SYST:LOCK? = ON read as "interlock closed" — polarity uncertain [U]. */
  interlockClosed: boolean;
}

export class ObisLaser extends SerialLaserBase<ObisOptions> implements Laser {
  /** Bumped by every setEmission, so "off" ends a pending wait for "on" at once. */
  private emissionRequest = 0;

  constructor(id: string, options: unknown, ctx: Pick<DriverContext, 'simWorld' | 'log'>) {
    super(id, parseOrThrow(obisOptions, options, `device "${id}" options`), ctx, {
      commandTerminator: '\r\n',
      replyTerminator: '\r\n',
      vendorError: obisVendorError,
    });
  }

  async setEmission(on: boolean): Promise<void> {
    const request = ++this.emissionRequest;
    await this.set(`SOUR:AM:STAT ${on ? 'ON' : 'OFF'}`);
    this.link.events.emit({ type: 'changed' });
    if (on) await this.waitForEmission(request);
  }

  async getEmission(): Promise<boolean> {
    return this.query('SOUR:AM:STAT?', (v) => parseOnOff(v, 'emission state'));
  }

  async setPowerMw(powerMw: number): Promise<void> {
    const max = this.maxPowerMw;
    if (!(Number.isFinite(powerMw) && powerMw >= 0 && powerMw <= max)) {
      throw new LimitError(`${this.id}: power ${powerMw} mW is outside 0..${max} mW`);
    }
    await this.set(`SOUR:POW:LEV:IMM:AMPL ${formatWatts(powerMw)}`);
    this.link.events.emit({ type: 'changed' });
  }

  /** The power setpoint, mW. */
  async getPowerMw(): Promise<number> {
    return this.query('SOUR:POW:LEV:IMM:AMPL?', (v) => parseNumber(v, 'power setpoint') * 1000);
  }

  /** Measured output power, mW. */
  async getOutputPowerMw(): Promise<number> {
    return this.query('SOUR:POW:LEV?', (v) => parseNumber(v, 'output power') * 1000);
  }

  /** `SYST:LOCK?` = ON read as closed (polarity uncertain [U], see ObisStatus). */
  async getInterlock(): Promise<InterlockState> {
    return (await this.query('SYST:LOCK?', (v) => parseOnOff(v, 'interlock'))) ? 'closed' : 'open';
  }

  async readStatus(): Promise<ObisStatus> {
    const statusWord = await this.query('SYST:STAT?', (v) => parseCode(v, 'status'));
    const faultWord = await this.query('SYST:FAUL?', (v) => parseCode(v, 'fault code'));
    const interlockClosed = await this.query('SYST:LOCK?', (v) => parseOnOff(v, 'interlock'));
    return {
      statusWord,
      status: decodeBits(statusWord, OBIS_STATUS_BITS),
      faultWord,
      faults: decodeBits(faultWord, OBIS_FAULT_BITS),
      interlockClosed,
    };
  }

  protected async init(t: SerialTransport): Promise<DeviceIdentity> {
    // Handshake may be off (then a set command has no reply): tolerate one silent reply.
    await t.request('SYST:COMM:HAND ON', { reply: OBIS_REPLY }).catch((err: unknown) => {
      if (!(err instanceof TimeoutError)) throw err;
    });
    const set = (cmd: string) => t.request(cmd, { reply: OBIS_REPLY });
    const query = (cmd: string) =>
      t.request(cmd, { reply: OBIS_REPLY, idempotentRetries: 1, parse: valueLine });
    await set('SYST:COMM:PROM OFF');
    await set('SYST:ERR:CLE');
    const emitting = await this.safeStart(
      () => set('SOUR:AM:STAT OFF').then(() => undefined),
      async () => parseOnOff(await query('SOUR:AM:STAT?'), 'emission state'),
    );
    const model = await query('SYST:INF:MOD?');
    const serial = await query('SYST:INF:SNUM?');
    const firmware = await query('SYST:INF:FVER?');
    this.deviceWavelengthNm = Math.round(parseNumber(await query('SYST:INF:WAV?'), 'wavelength'));
    this.deviceMaxPowerMw = parseNumber(await query('SOUR:POW:LIM:HIGH?'), 'max power') * 1000;
    if (!emitting) {
      await set('SYST:AUT OFF');
      if (this.o.cdrhDelay === 'off') await set('SYST:CDRH OFF');
      if (this.o.mode !== 'keep') await set(modeCommand[this.o.mode]);
    }
    return { vendor: 'Coherent', model, serial, firmware };
  }

  private async waitForEmission(request: number): Promise<void> {
    const deadline = performance.now() + this.o.emissionStartTimeoutMs;
    for (;;) {
      if (request !== this.emissionRequest) {
        throw new StateError(`${this.id}: emission was switched off before it started`);
      }
      const word = await this.query('SYST:STAT?', (v) => parseCode(v, 'status'));
      if (word & STATUS_FAULT) {
        const s = await this.readStatus();
        const why = [...s.faults, ...(s.interlockClosed ? [] : ['interlock open'])];
        throw new DeviceError(
          `${this.id}: emission did not start: ${why.join(', ') || 'fault'} (status 0x${word.toString(16)}, faults 0x${s.faultWord.toString(16)})`,
          { vendorCode: s.faultWord, meaning: why.join(', '), status: s.status },
        );
      }
      if (word & STATUS_EMISSION && !(word & STATUS_CDRH_DELAY)) return;
      if (performance.now() > deadline) {
        throw new TimeoutError(
          `${this.id}: emission did not start within ${this.o.emissionStartTimeoutMs} ms (status: ${decodeBits(word, OBIS_STATUS_BITS).join(', ')})`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A query; `parse` runs inside the transport so a garbled value is retried once. */
  private query<T>(cmd: string, parse: (value: string) => T): Promise<T> {
    return this.link.transport.request(cmd, {
      reply: OBIS_REPLY,
      idempotentRetries: 1,
      parse: (l) => parse(valueLine(l)),
    });
  }

  private async set(cmd: string): Promise<void> {
    await this.link.transport.request(cmd, { reply: OBIS_REPLY });
  }
}

export function createObisLaser(
  spec: { id: string; options: Record<string, unknown> },
  ctx: Pick<DriverContext, 'simWorld' | 'log'>,
): ObisLaser {
  return new ObisLaser(spec.id, spec.options, ctx);
}
