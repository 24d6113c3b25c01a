/**
 * Wire simulator of a Coherent OBIS head: same bytes as the driver expects (protocols.md
 * §5) — handshake and prompt switches, SCPI short/long forms, `ERR-n`, status/fault
 * words, interlock, autostart and the CDRH emission delay. Emission and power act on the
 * SimWorld's laser line for `deviceId`, so the simulated camera sees the light.
 * Uncertain device behaviour [U] chosen here: status words are printed as 8 hex digits;
 * `SOUR:AM:STAT ON` with autostart on gives ERR-221; with the interlock open the command
 * is accepted but the status shows a fault and no emission.
 */
import type { SimLaserLine, SimWorld } from '../../sim/world';
import { WireSimulator, type SimReply } from '../../wire-sim/sim-base';
import { STATUS_CDRH_DELAY, STATUS_EMISSION, STATUS_FAULT } from './obis-protocol';

export interface ObisSimOptions {
  wavelengthNm: number;
  maxPowerMw: number;
  minPowerMw: number;
  model: string;
  serial: string;
  firmware: string;
  /** Emission delay after ON while CDRH is on (the real one is 5 s). */
  cdrhDelayMs: number;
  /** State at power-up. */
  handshake: boolean;
  autostart: boolean;
  cdrh: boolean;
}

export const obisSimDefaults: ObisSimOptions = {
  wavelengthNm: 488,
  maxPowerMw: 100,
  minPowerMw: 0.5,
  model: 'OBIS 488nm LX 100mW',
  serial: 'SIM1488A',
  firmware: '1.0.7-sim',
  cdrhDelayMs: 5_000,
  handshake: false,
  autostart: true,
  cdrh: true,
};

/** Simulator options from a config's laser options (`sim:obis`): wavelength and max power. */
export function obisSimParams(params: Record<string, unknown> = {}): Partial<ObisSimOptions> {
  const nm = typeof params.wavelengthNm === 'number' ? params.wavelengthNm : undefined;
  const mw = typeof params.maxPowerMw === 'number' ? params.maxPowerMw : undefined;
  if (nm === undefined && mw === undefined) return {};
  const wavelengthNm = nm ?? obisSimDefaults.wavelengthNm;
  const maxPowerMw = mw ?? obisSimDefaults.maxPowerMw;
  return { wavelengthNm, maxPowerMw, model: `OBIS ${wavelengthNm}nm LX ${maxPowerMw}mW` };
}

const LONG_FORMS = [
  'SYSTem',
  'COMMunicate',
  'HANDshake',
  'PROMpt',
  'INFormation',
  'MODel',
  'SNUMber',
  'FVERsion',
  'PNUMber',
  'WAVelength',
  'POWer',
  'SOURce',
  'NOMinal',
  'LIMit',
  'HIGH',
  'LOW',
  'AM',
  'STATe',
  'LEVel',
  'IMMediate',
  'AMPLitude',
  'INTernal',
  'EXTernal',
  'STATus',
  'FAULt',
  'LOCK',
  'AUTostart',
  'CDRH',
  'ERRor',
  'CLEar',
  'COUNt',
  'TEMPerature',
  'HOURs',
  'DIODe',
];

/** Reduces each SCPI header token to its short form (`SOURce` → `SOUR`), dropping a head index (`SOUR1`). */
export function scpiShort(header: string): string {
  return header
    .split(':')
    .map((raw) => {
      const tok = raw.toUpperCase().replace(/(?<=[A-Z])\d+$/, '');
      for (const long of LONG_FORMS) {
        const short = long.replace(/[a-z]+$/, '');
        if (tok.startsWith(short) && long.toUpperCase().startsWith(tok)) return short;
      }
      return tok;
    })
    .join(':');
}

export class ObisSim extends WireSimulator {
  readonly name = 'obis';
  protected readonly replyTerminator = '\r\n';
  readonly o: ObisSimOptions;
  handshake: boolean;
  prompt = true;
  autostart: boolean;
  cdrh: boolean;
  interlockClosed = true;
  faultWord = 0;
  mode = 'CWP';
  private errorCount = 0;
  private emissionRequested = false;
  private emissionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly world: SimWorld,
    private readonly deviceId: string,
    options: Partial<ObisSimOptions> = {},
  ) {
    super();
    this.o = { ...obisSimDefaults, ...options };
    this.handshake = this.o.handshake;
    this.autostart = this.o.autostart;
    this.cdrh = this.o.cdrh;
    world.addLaser(deviceId, this.o.wavelengthNm, this.o.maxPowerMw);
  }

  get line(): SimLaserLine {
    return this.world.laser(this.deviceId);
  }

  /** Power-up: settings as at first power-up; with autostart on (interlock closed) it emits. */
  protected override onPowerUp(): void {
    this.stopEmission();
    this.handshake = this.o.handshake;
    this.prompt = true;
    this.autostart = this.o.autostart;
    this.cdrh = this.o.cdrh;
    this.faultWord = 0;
    if (this.autostart && this.interlockClosed) {
      this.emissionRequested = true;
      this.startEmission();
    }
  }

  /** Opens the interlock: emission stops and the fault bit is set, as on the real head. */
  setInterlock(closed: boolean): void {
    this.interlockClosed = closed;
    if (!closed) this.stopEmission();
  }

  statusWord(): number {
    let w = 0;
    if (this.faultWord !== 0 || !this.interlockClosed) w |= STATUS_FAULT;
    if (this.line.emission) w |= STATUS_EMISSION;
    else if (this.emissionRequested) w |= STATUS_CDRH_DELAY;
    if (!this.emissionRequested) w |= 0x8; // standby
    return w | 0x4 | 0x100; // ready, warmed up
  }

  protected handle(line: string): SimReply[] {
    const [rawHeader = '', ...args] = line.trim().split(/\s+/);
    const header = scpiShort(rawHeader);
    const arg = args.join(' ').toUpperCase();
    try {
      const value = this.execute(header, arg);
      if (value === undefined) return this.handshake ? ['OK'] : [];
      return this.handshake ? [value, 'OK'] : [value];
    } catch (err) {
      this.errorCount += 1;
      return [`ERR-${(err as { code?: number }).code ?? 200}`];
    }
  }

  private execute(h: string, arg: string): string | undefined {
    const fail = (code: number) => Object.assign(new Error(), { code });
    const onOff = (): boolean => {
      if (arg === 'ON' || arg === '1') return true;
      if (arg === 'OFF' || arg === '0') return false;
      throw fail(arg === '' ? 109 : 220);
    };
    const l = this.line;
    switch (h) {
      case 'SYST:COMM:HAND':
        this.handshake = onOff();
        return undefined;
      case 'SYST:COMM:PROM':
        this.prompt = onOff();
        return undefined;
      case 'SYST:ERR:CLE':
        this.errorCount = 0;
        return undefined;
      case 'SYST:ERR:COUN?':
        return String(this.errorCount);
      case '*IDN?':
        return `Coherent, Inc - ${this.o.model} - V${this.o.firmware}`;
      case 'SYST:INF:MOD?':
        return this.o.model;
      case 'SYST:INF:SNUM?':
        return this.o.serial;
      case 'SYST:INF:FVER?':
        return this.o.firmware;
      case 'SYST:INF:WAV?':
        return this.o.wavelengthNm.toFixed(0);
      case 'SYST:INF:POW?':
      case 'SOUR:POW:NOM?':
      case 'SOUR:POW:LIM:HIGH?':
        return (this.o.maxPowerMw / 1000).toFixed(5);
      case 'SOUR:POW:LIM:LOW?':
        return (this.o.minPowerMw / 1000).toFixed(5);
      case 'SYST:AUT':
        this.autostart = onOff();
        return undefined;
      case 'SYST:AUT?':
        return this.autostart ? 'ON' : 'OFF';
      case 'SYST:CDRH':
        this.cdrh = onOff();
        return undefined;
      case 'SYST:CDRH?':
        return this.cdrh ? 'ON' : 'OFF';
      case 'SYST:STAT?':
        return this.statusWord().toString(16).toUpperCase().padStart(8, '0');
      case 'SYST:FAUL?':
        return this.faultWord.toString(16).toUpperCase().padStart(8, '0');
      case 'SYST:LOCK?':
        return this.interlockClosed ? 'ON' : 'OFF';
      case 'SOUR:AM:STAT': {
        const on = onOff();
        if (!on) {
          this.stopEmission();
          return undefined;
        }
        if (this.autostart) throw fail(221);
        if (this.emissionRequested) return undefined;
        this.emissionRequested = true;
        if (this.interlockClosed && this.faultWord === 0) this.startEmission();
        return undefined;
      }
      case 'SOUR:AM:STAT?':
        return this.emissionRequested ? 'ON' : 'OFF';
      case 'SOUR:AM:INT':
        if (arg !== 'CWP' && arg !== 'CWC') throw fail(220);
        this.mode = arg;
        return undefined;
      case 'SOUR:AM:EXT': {
        const m: Record<string, string> = {
          DIG: 'DIGITAL',
          DIGITAL: 'DIGITAL',
          ANAL: 'ANALOG',
          ANALOG: 'ANALOG',
          MIX: 'MIXED',
          MIXED: 'MIXED',
          DIGSO: 'DIGSO',
          MIXSO: 'MIXSO',
        };
        const mode = m[arg];
        if (!mode) throw fail(220);
        this.mode = mode;
        return undefined;
      }
      case 'SOUR:AM:SOUR?':
        return this.mode;
      case 'SOUR:POW:LEV:IMM:AMPL': {
        const w = Number(arg);
        if (arg === '') throw fail(109);
        if (!Number.isFinite(w) || w < 0 || w * 1000 > this.o.maxPowerMw + 1e-9) throw fail(220);
        l.powerMw = w * 1000;
        return undefined;
      }
      case 'SOUR:POW:LEV:IMM:AMPL?':
        return (l.powerMw / 1000).toFixed(5);
      case 'SOUR:POW:LEV?':
        return ((l.emission ? l.powerMw : 0) / 1000).toFixed(5);
      default:
        throw fail(100);
    }
  }

  private startEmission(): void {
    const delay = this.cdrh ? this.o.cdrhDelayMs : 0;
    const go = () => {
      this.emissionTimer = undefined;
      if (this.emissionRequested && this.interlockClosed) this.line.emission = true;
    };
    if (delay <= 0) go();
    else {
      this.emissionTimer = setTimeout(go, delay);
      this.emissionTimer.unref();
    }
  }

  private stopEmission(): void {
    clearTimeout(this.emissionTimer);
    this.emissionTimer = undefined;
    this.emissionRequested = false;
    this.line.emission = false;
  }
}
