/**
 * Byte-level simulator of an ASI MS-2000 or Tiger TG-1000 with X, Y (on `world.stage`)
 * and Z (on `world.focus`). Speaks protocols.md §1: commands end `\r`, replies end `\r\n`,
 * `:A` at once for moves while `/` reports `B` until the move ends, `:N-n` errors,
 * positions in controller units (1/10 µm unless a Tiger axis was re-scaled with `UM`).
 *
 * Quirks chosen where the sources are silent [U]: a target beyond the soft limits (SL/SU)
 * stops at the limit, as a limit switch would; a plain `HALT` answers `:A`.
 */
import type { SimWorld } from '../../sim/world';
import { WireSimulator, type SimReply } from '../../wire-sim/sim-base';
import {
  ASI_DEFAULT_UNITS_PER_MM,
  asiUnitsToUm,
  formatAsiUnits,
  umToAsiUnits,
} from './asi-protocol';
import {
  ALIASES,
  AXES,
  parseAssignments,
  parseLetters,
  SimCommandError,
  type AxisLetter,
} from './asi-sim-args';
import { formatTigerBuild, type TigerBuild } from './tiger-build';

export type AsiVariant = 'ms2000' | 'tiger';

export interface AsiWireSimOptions {
  variant: AsiVariant;
  /** Tiger only: units per mm per axis letter at power-up (persisted setting). */
  unitsPerMm?: Partial<Record<'X' | 'Y' | 'Z', number>>;
}

/** Card addresses of the simulated Tiger: XY card '1', Z card '2'. */
const CARD: Record<AxisLetter, string> = { X: '1', Y: '1', Z: '2' };

interface AxisState {
  unitsPerMm: number;
  lowerMm: number;
  upperMm: number;
  speedMmPerS: number;
}

export class AsiWireSim extends WireSimulator {
  readonly name: string;
  protected readonly replyTerminator = '\r\n';
  private readonly axes: Record<AxisLetter, AxisState>;
  private injected: number[] = [];
  /** Last commanded XY target, µm, so a single-axis move keeps the other axis's target. */
  private xyTargetUm: [number, number] | null = null;

  constructor(
    private readonly world: SimWorld,
    private readonly options: AsiWireSimOptions,
  ) {
    super();
    this.name = options.variant === 'tiger' ? 'asi-tiger' : 'asi-ms2000';
    const upm = (a: AxisLetter) =>
      options.variant === 'tiger'
        ? (options.unitsPerMm?.[a] ?? ASI_DEFAULT_UNITS_PER_MM)
        : ASI_DEFAULT_UNITS_PER_MM;
    const xy = (a: AxisLetter): AxisState => ({
      unitsPerMm: upm(a),
      lowerMm: -100,
      upperMm: 100,
      speedMmPerS: world.stage.speedUmPerS / 1000,
    });
    this.axes = {
      X: xy('X'),
      Y: xy('Y'),
      Z: { unitsPerMm: upm('Z'), lowerMm: -10, upperMm: 10, speedMmPerS: 0.5 },
    };
    this.axes.Z.speedMmPerS = world.focus.speedUmPerS / 1000;
  }

  /** Power-up: motion stopped, the controller counts from 0 again (position jumps to 0, 0, 0). */
  protected override onPowerUp(): void {
    this.world.stage.stop();
    this.world.focus.stop();
    this.world.stage.setPositionUm([0, 0]);
    this.world.focus.setPositionUm([0]);
    this.xyTargetUm = null;
    this.injected = [];
  }

  /** The next command (whatever it is) answers `:N-<code>`: for error paths no real input triggers. */
  injectError(code: number): void {
    this.injected.push(code);
  }

  protected handle(line: string): SimReply {
    return { raw: this.respond(line) };
  }

  /** The exact reply bytes (terminators included) to one command line; answered at once. */
  respond(line: string): string {
    const injected = this.injected.shift();
    if (injected !== undefined) return `:N-${injected}\r\n`;
    try {
      return this.execute(line);
    } catch (e) {
      if (e instanceof SimCommandError) return `:N-${e.asiCode}\r\n`;
      throw e;
    }
  }

  private execute(line: string): string {
    let card: string | undefined;
    let text = line.trim();
    const prefixed = /^(\d)(\D.*)$/.exec(text);
    if (prefixed) {
      if (this.options.variant !== 'tiger') throw new SimCommandError(1);
      card = prefixed[1] ?? '';
      text = prefixed[2] ?? '';
      if (!Object.values(CARD).includes(card)) throw new SimCommandError(7);
    }
    const [head = '', ...args] = text.trim().split(/\s+/);
    const upper = head.toUpperCase();
    const cmd = ALIASES[upper] ?? upper;
    switch (cmd) {
      case '/':
        return this.anyBusy() ? 'B\r\n' : 'N\r\n';
      case '\\':
        this.halt(card);
        return ':A \r\n';
      case 'M':
      case 'R':
        this.move(args, cmd === 'R');
        return ':A \r\n';
      case 'W':
        return `:A ${parseLetters(args)
          .map((a) => formatAsiUnits(umToAsiUnits(this.positionUm(a), this.axes[a].unitsPerMm)))
          .join(' ')} \r\n`;
      case 'H':
        this.here(args);
        return ':A \r\n';
      case 'Z':
        this.here(['X=0', 'Y=0', 'Z=0']);
        return ':A \r\n';
      case 'V':
        return this.options.variant === 'tiger'
          ? ':A Version: USB-3.30 \r\n'
          : ':A Version: USB-9.2p \r\n';
      case 'CD':
        return ':A Jan 15 2024:10:12:00 \r\n';
      case 'BU':
        return this.build(args);
      case 'S':
        return this.axisParameter(args, 'speedMmPerS', (a, v) => this.setSpeed(a, v));
      case 'SL':
        return this.axisParameter(args, 'lowerMm', (a, v) => (this.axes[a].lowerMm = v));
      case 'SU':
        return this.axisParameter(args, 'upperMm', (a, v) => (this.axes[a].upperMm = v));
      case 'UM':
        if (this.options.variant !== 'tiger') throw new SimCommandError(1);
        return this.axisParameter(args, 'unitsPerMm', (a, v) => {
          if (v <= 0) throw new SimCommandError(4);
          this.axes[a].unitsPerMm = v;
        });
      case 'RS':
        if (this.options.variant !== 'tiger') throw new SimCommandError(1);
        return `:A ${parseLetters(args).some((a) => this.axisBusy(a)) ? 'B' : 'N'}\r\n`;
      case 'WHO':
        if (this.options.variant !== 'tiger') throw new SimCommandError(1);
        return 'At 31: X:XYMotor,Y:XYMotor v3.30 STD_XY\rAt 32: Z:ZMotor v3.30 STD_Z\r\n';
      default:
        throw new SimCommandError(1);
    }
  }

  private build(args: string[]): string {
    if (this.options.variant !== 'tiger') return ':A MS2000-XYZ \r\n';
    const build: TigerBuild = {
      buildName: 'TIGER_COMM',
      axes: AXES.map((letter) => ({
        letter,
        type: letter === 'Z' ? 'z' : 'x',
        cardAddress: CARD[letter],
      })),
    };
    return args.length > 0 ? `${formatTigerBuild(build)}\r\n` : 'TIGER_COMM\r\n';
  }

  /** `CMD X?` query or `CMD X=v` set of one numeric per-axis parameter. */
  private axisParameter(
    args: string[],
    key: keyof AxisState,
    set: (axis: AxisLetter, value: number) => void,
  ): string {
    if (args.length === 0) throw new SimCommandError(3);
    if (args.every((t) => t.endsWith('?'))) {
      const parts = parseLetters(args).map((a) => `${a}=${+this.axes[a][key].toFixed(6)}`);
      return `:A ${parts.join(' ')} \r\n`;
    }
    for (const [axis, value] of parseAssignments(args)) set(axis, value);
    return ':A \r\n';
  }

  private setSpeed(axis: AxisLetter, mmPerS: number): void {
    // Out-of-range speeds are clamped, not refused (protocols.md §1.4, MM reads max this way).
    const clamped = Math.min(Math.max(mmPerS, 0.001), axis === 'Z' ? 2 : 7.5);
    if (axis === 'Z') {
      this.axes.Z.speedMmPerS = clamped;
      this.world.focus.speedUmPerS = clamped * 1000;
    } else {
      this.axes.X.speedMmPerS = clamped;
      this.axes.Y.speedMmPerS = clamped;
      this.world.stage.speedUmPerS = clamped * 1000;
    }
  }

  positionUm(axis: AxisLetter): number {
    if (axis === 'Z') return this.world.focus.positionUm()[0] ?? 0;
    return this.world.stage.positionUm()[axis === 'X' ? 0 : 1] ?? 0;
  }

  private axisBusy(axis: AxisLetter): boolean {
    return axis === 'Z' ? this.world.focus.isBusy() : this.world.stage.isBusy();
  }

  private anyBusy(): boolean {
    return this.world.stage.isBusy() || this.world.focus.isBusy();
  }

  private clampUm(axis: AxisLetter, um: number): number {
    const a = this.axes[axis];
    return Math.min(Math.max(um, a.lowerMm * 1000), a.upperMm * 1000);
  }

  private move(args: string[], relative: boolean): void {
    const targets = parseAssignments(args);
    const xy: [number, number] =
      this.world.stage.isBusy() && this.xyTargetUm
        ? [...this.xyTargetUm]
        : [this.positionUm('X'), this.positionUm('Y')];
    let moveXy = false;
    for (const [axis, units] of targets) {
      const deltaUm = asiUnitsToUm(units, this.axes[axis].unitsPerMm);
      if (axis === 'Z') {
        const z = relative ? this.positionUm('Z') + deltaUm : deltaUm;
        this.world.focus.moveTo([this.clampUm('Z', z)]);
        continue;
      }
      const i = axis === 'X' ? 0 : 1;
      const base = relative ? this.positionUm(axis) : 0;
      xy[i] = this.clampUm(axis, base + deltaUm);
      moveXy = true;
    }
    if (moveXy) {
      this.xyTargetUm = xy;
      this.world.stage.moveTo(xy);
    }
  }

  private here(args: string[]): void {
    const xy = [this.positionUm('X'), this.positionUm('Y')];
    let setXy = false;
    for (const [axis, units] of parseAssignments(args)) {
      const um = asiUnitsToUm(units, this.axes[axis].unitsPerMm);
      if (axis === 'Z') this.world.focus.setPositionUm([um]);
      else {
        xy[axis === 'X' ? 0 : 1] = um;
        setXy = true;
      }
    }
    if (setXy) {
      this.world.stage.setPositionUm(xy);
      this.xyTargetUm = null;
    }
  }

  private halt(card: string | undefined): void {
    const stops = (a: AxisLetter) => card === undefined || CARD[a] === card;
    if (stops('X') || stops('Y')) this.world.stage.stop();
    if (stops('Z')) this.world.focus.stop();
    this.xyTargetUm = null;
  }
}
