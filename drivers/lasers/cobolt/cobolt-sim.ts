/**
 * Wire simulator of a Cobolt 06-01 laser speaking the classic command set (protocols.md
 * §6): one reply line per command, `OK` for set commands, text errors, optional echo,
 * autostart at power-up, interlock and latched faults. Emission and power act on the
 * SimWorld's laser line for `deviceId`.
 * Uncertain device behaviour [U] chosen here: `l1` with autostart on answers
 * `Syntax error: not allowed in autostart mode`; out-of-range power answers
 * `Syntax error: value out of range`; `l1` with the interlock open answers OK but the
 * laser stays off with fault 3 (interlock open) and operating mode 5 (fault).
 */
import type { SimLaserLine, SimWorld } from '../../sim/world';
import { WireSimulator, type SimReply } from '../../wire-sim/sim-base';

export interface CoboltSimOptions {
  wavelengthNm: number;
  maxPowerMw: number;
  model: string;
  serial: string;
  firmware: string;
  /** Echo every command line before the reply (some units do). */
  echo: boolean;
  autostart: boolean;
}

export const coboltSimDefaults: CoboltSimOptions = {
  wavelengthNm: 488,
  maxPowerMw: 60,
  model: '0488-06-01-0060-100',
  serial: '20488',
  firmware: '5.2.1-sim',
  echo: false,
  autostart: true,
};

/** Simulator options from a config's laser options (`sim:cobolt`): wavelength and max power. */
export function coboltSimParams(params: Record<string, unknown> = {}): Partial<CoboltSimOptions> {
  const nm = typeof params.wavelengthNm === 'number' ? params.wavelengthNm : undefined;
  const mw = typeof params.maxPowerMw === 'number' ? params.maxPowerMw : undefined;
  if (nm === undefined && mw === undefined) return {};
  const wavelengthNm = nm ?? coboltSimDefaults.wavelengthNm;
  const maxPowerMw = mw ?? coboltSimDefaults.maxPowerMw;
  const pad = (n: number) => String(Math.round(n)).padStart(4, '0');
  return { wavelengthNm, maxPowerMw, model: `${pad(wavelengthNm)}-06-01-${pad(maxPowerMw)}-100` };
}

export class CoboltSim extends WireSimulator {
  readonly name = 'cobolt';
  protected readonly replyTerminator = '\r\n';
  readonly o: CoboltSimOptions;
  echo: boolean;
  autostart: boolean;
  interlockOpen = false;
  fault = 0;
  runMode: 'cp' | 'ci' | 'em' = 'ci';

  constructor(
    private readonly world: SimWorld,
    private readonly deviceId: string,
    options: Partial<CoboltSimOptions> = {},
  ) {
    super();
    this.o = { ...coboltSimDefaults, ...options };
    this.echo = this.o.echo;
    this.autostart = this.o.autostart;
    world.addLaser(deviceId, this.o.wavelengthNm, this.o.maxPowerMw);
  }

  get line(): SimLaserLine {
    return this.world.laser(this.deviceId);
  }

  /** Opening the interlock stops emission and latches fault 3, as on the real laser. */
  setInterlock(closed: boolean): void {
    this.interlockOpen = !closed;
    if (!closed) {
      this.line.emission = false;
      this.fault = 3;
    }
  }

  /** Power-up: autostart as configured; with autostart on (and the interlock closed) it emits. */
  protected override onPowerUp(): void {
    this.autostart = this.o.autostart;
    this.fault = 0;
    this.runMode = 'ci';
    this.line.emission = this.autostart && !this.interlockOpen;
  }

  operatingMode(): number {
    if (this.fault !== 0) return 5;
    if (!this.line.emission) return 0;
    return this.runMode === 'em' ? 4 : 2;
  }

  protected handle(raw: string): SimReply[] {
    const reply = this.execute(raw.trim().toLowerCase());
    return this.echo ? [raw.trim(), reply] : [reply];
  }

  private execute(cmd: string): string {
    const l = this.line;
    const w = (mw: number) => (mw / 1000).toFixed(4);
    const arg = (prefix: string) => cmd.slice(prefix.length).trim();
    if (cmd.startsWith('p ') || cmd.startsWith('@cobasp ')) {
      const v = Number(arg(cmd.startsWith('p ') ? 'p ' : '@cobasp '));
      if (!Number.isFinite(v) || v < 0 || v * 1000 > this.o.maxPowerMw + 1e-9) {
        return 'Syntax error: value out of range';
      }
      l.powerMw = v * 1000;
      return 'OK';
    }
    if (cmd.startsWith('@cobas ')) {
      const v = arg('@cobas ');
      if (v !== '0' && v !== '1') return 'Syntax error: value out of range';
      this.autostart = v === '1';
      return 'OK';
    }
    switch (cmd) {
      case '?':
        return 'OK';
      case 'sn?':
      case 'gsn?':
        return this.o.serial;
      case 'glm?':
        return this.o.model;
      case 'gfv?':
      case 'ver?':
        return this.o.firmware;
      case 'gmlp?':
        return this.o.maxPowerMw.toFixed(1);
      case '@cobas?':
        return this.autostart ? '1' : '0';
      case 'l1':
        if (this.autostart) return 'Syntax error: not allowed in autostart mode';
        if (this.interlockOpen) this.fault = 3;
        else if (this.fault === 0) l.emission = true;
        return 'OK';
      case 'l0':
        l.emission = false;
        return 'OK';
      case 'l?':
        return l.emission ? '1' : '0';
      case 'p?':
      case 'glp?':
        return w(l.powerMw);
      case 'pa?':
        return w(l.emission ? l.powerMw : 0);
      case 'cp':
      case 'ci':
      case 'em':
        this.runMode = cmd;
        return 'OK';
      case 'gam?':
        return { ci: '0', cp: '1', em: '2' }[this.runMode];
      case 'ilk?':
        return this.interlockOpen ? '1' : '0';
      case 'f?':
        return String(this.fault);
      case 'cf':
        this.fault = 0;
        return 'OK';
      case 'gom?':
        return String(this.operatingMode());
      default:
        return 'Syntax error: illegal command';
    }
  }
}
