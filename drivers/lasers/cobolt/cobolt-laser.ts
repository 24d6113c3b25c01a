/**
 * Cobolt 06-series (and 04/05/08 classic command set) laser driver, 115200 8N1.
 * Power is in W on the wire (`p`, `p?`, `pa?`) and mW here; max power (`gmlp?`) is mW.
 * Connect first switches emission off (`l0`, unless `switchOffAtConnect` is false) and
 * reads it back, then reads serial, model (wavelength is the model string's first token)
 * and firmware; only if the head is not emitting does it turn autostart off (`@cobas 0`,
 * required for remote on/off) and select constant-power mode. setEmission(true) refuses with the interlock open; a latched
 * "interlock open" fault from an earlier opening is cleared (`cf`) first because the
 * caller explicitly asked for light; any other fault is reported, never cleared.
 */
import { z } from 'zod';
import type { DeviceIdentity, InterlockState, Laser } from '../../devices';
import { DeviceError, LimitError, StateError, ValidationError } from '../../errors';
import type { DriverContext } from '../../driver-types';
import { SerialLaserBase } from '../serial-laser-base';
import type { SerialTransport } from '../../serial/transport';
import { parseOrThrow } from '../../validation';
import {
  COBOLT_FAULTS,
  COBOLT_OPERATING_MODES,
  coboltReply,
  coboltVendorError,
  formatCoboltWatts,
  parseCoboltInt,
  parseCoboltNumber,
  replyValue,
  wavelengthFromModel,
} from './cobolt-protocol';

export const coboltOptions = z
  .object({
    /** Device path (`/dev/ttyUSB0`, `COM3`) or `sim:cobolt`. */
    port: z.string().min(1),
    baudRate: z.number().int().positive().default(115_200),
    timeoutMs: z.number().int().min(10).max(60_000).default(1_000),
    /** `constant-power` sends `cp` at connect; `keep` leaves the run mode alone. */
    mode: z.enum(['constant-power', 'keep']).default('constant-power'),
    /** Used when the model string does not carry the wavelength. */
    wavelengthNm: z.number().int().min(200).max(2_000).optional(),
    /** Used when `gmlp?` is not supported; otherwise caps the device maximum. */
    maxPowerMw: z.number().positive().optional(),
    /** Emission off (`l0`) at every connect; `false` leaves it as found (logged). */
    switchOffAtConnect: z.boolean().default(true),
  })
  .strict();
export type CoboltOptions = z.infer<typeof coboltOptions>;

export interface CoboltStatus {
  operatingMode: number;
  operatingModeName: string;
  fault: number;
  faultName: string;
  interlockOpen: boolean;
}

export class CoboltLaser extends SerialLaserBase<CoboltOptions> implements Laser {
  /** Bumped by every setEmission, so an "off" cancels an "on" still checking the head. */
  private emissionRequest = 0;

  constructor(id: string, options: unknown, ctx: Pick<DriverContext, 'simWorld' | 'log'>) {
    super(id, parseOrThrow(coboltOptions, options, `device "${id}" options`), ctx, {
      commandTerminator: '\r',
      replyTerminator: '\r\n',
      vendorError: coboltVendorError,
    });
  }

  async setEmission(on: boolean): Promise<void> {
    const request = ++this.emissionRequest;
    if (!on) {
      await this.command('l0');
      this.link.events.emit({ type: 'changed' });
      return;
    }
    const before = await this.readStatus();
    if (before.interlockOpen) {
      throw new DeviceError(`${this.id}: interlock open; close it before switching emission on`, {
        vendorCode: 3,
        meaning: 'interlock open',
      });
    }
    if (before.fault === 3) await this.command('cf');
    else if (before.fault !== 0) throw this.faultError(before);
    // An off (e.g. the e-stop) requested during the checks above wins: `l1` is never sent
    // after it. No await between this check and queueing `l1`.
    if (request !== this.emissionRequest) {
      throw new StateError(`${this.id}: emission was switched off before it started`);
    }
    await this.command('l1');
    this.link.events.emit({ type: 'changed' });
    if (!(await this.getEmission())) {
      const after = await this.readStatus();
      throw after.fault !== 0
        ? this.faultError(after)
        : new DeviceError(
            `${this.id}: emission did not start (operating mode ${after.operatingMode}: ${after.operatingModeName})`,
            { vendorCode: after.operatingMode, meaning: after.operatingModeName },
          );
    }
  }

  async getEmission(): Promise<boolean> {
    return this.query('l?', (v) => parseCoboltInt(v, 'emission state') === 1);
  }

  async setPowerMw(powerMw: number): Promise<void> {
    const max = this.maxPowerMw;
    if (!(Number.isFinite(powerMw) && powerMw >= 0 && powerMw <= max)) {
      throw new LimitError(`${this.id}: power ${powerMw} mW is outside 0..${max} mW`);
    }
    await this.command(`p ${formatCoboltWatts(powerMw)}`);
    this.link.events.emit({ type: 'changed' });
  }

  /** The power setpoint, mW. */
  async getPowerMw(): Promise<number> {
    return this.query('p?', (v) => parseCoboltNumber(v, 'power setpoint') * 1000);
  }

  /** Measured output power, mW. */
  async getOutputPowerMw(): Promise<number> {
    return this.query('pa?', (v) => parseCoboltNumber(v, 'output power') * 1000);
  }

  /** `ilk?`: 1 = open; a head that refuses the query reports `unknown`. */
  async getInterlock(): Promise<InterlockState> {
    try {
      return await this.query('ilk?', (v) =>
        parseCoboltInt(v, 'interlock') === 1 ? 'open' : 'closed',
      );
    } catch (err) {
      if (err instanceof DeviceError) return 'unknown';
      throw err;
    }
  }

  async readStatus(): Promise<CoboltStatus> {
    const operatingMode = await this.query('gom?', (v) => parseCoboltInt(v, 'operating mode'));
    const fault = await this.query('f?', (v) => parseCoboltInt(v, 'fault'));
    const interlockOpen = await this.query('ilk?', (v) => parseCoboltInt(v, 'interlock') === 1);
    return {
      operatingMode,
      operatingModeName: COBOLT_OPERATING_MODES[operatingMode] ?? 'unknown',
      fault,
      faultName: COBOLT_FAULTS[fault] ?? 'unknown fault',
      interlockOpen,
    };
  }

  private faultError(s: CoboltStatus): DeviceError {
    return new DeviceError(
      `${this.id}: laser fault ${s.fault} (${s.faultName}); clear the cause, then power-cycle or send "cf"`,
      { vendorCode: s.fault, meaning: s.faultName },
    );
  }

  protected async init(t: SerialTransport): Promise<DeviceIdentity> {
    const ask = (cmd: string) =>
      t.request(cmd, {
        reply: coboltReply(cmd),
        idempotentRetries: 1,
        parse: (l) => replyValue(l, cmd),
      });
    const set = (cmd: string) => t.request(cmd, { reply: coboltReply(cmd) });
    // Off first, before anything else is asked.
    const emitting = await this.safeStart(
      () => set('l0').then(() => undefined),
      async () => parseCoboltInt(await ask('l?'), 'emission state') === 1,
    );
    /** Older firmware lacks some queries; a refused query falls back. */
    const optional = (cmd: string) =>
      ask(cmd).catch((e: unknown) => (e instanceof DeviceError ? undefined : Promise.reject(e)));
    const serial = (await optional('gsn?')) ?? (await ask('sn?'));
    const model = (await optional('glm?')) ?? 'Cobolt laser';
    const firmware = (await optional('gfv?')) ?? (await optional('ver?')) ?? 'unknown';
    this.deviceWavelengthNm = wavelengthFromModel(model);
    const maxText = await optional('gmlp?');
    this.deviceMaxPowerMw =
      maxText === undefined ? undefined : parseCoboltNumber(maxText, 'max power');
    if (this.wavelengthNm === 0 || this.maxPowerMw === 0) {
      throw new ValidationError(
        `device "${this.id}": the laser does not report its ${this.wavelengthNm === 0 ? 'wavelength' : 'max power'}; set options.${this.wavelengthNm === 0 ? 'wavelengthNm' : 'maxPowerMw'}`,
      );
    }
    if (!emitting) {
      await set('@cobas 0');
      if (this.o.mode === 'constant-power') await set('cp');
    }
    return { vendor: 'Cobolt', model, serial, firmware };
  }

  /** A query; `parse` runs inside the transport so a garbled value is retried once. */
  private query<T>(cmd: string, parse: (value: string) => T): Promise<T> {
    return this.link.transport.request(cmd, {
      reply: coboltReply(cmd),
      idempotentRetries: 1,
      parse: (l) => parse(replyValue(l, cmd)),
    });
  }

  private async command(cmd: string): Promise<void> {
    await this.link.transport.request(cmd, { reply: coboltReply(cmd) });
  }
}

export function createCoboltLaser(
  spec: { id: string; options: Record<string, unknown> },
  ctx: Pick<DriverContext, 'simWorld' | 'log'>,
): CoboltLaser {
  return new CoboltLaser(spec.id, spec.options, ctx);
}
