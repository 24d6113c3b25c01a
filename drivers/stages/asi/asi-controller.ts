/**
 * ASI MS-2000 / Tiger controller over a serial port (protocols.md §1): XY and Z in µm.
 * Moves answer `:A` at once; completion is polled (`/` on the MS-2000, per-axis `RS X?` on
 * a Tiger) with a move-length timeout. Tiger axes, card addresses and unit multipliers are
 * discovered at connect (`BU X`, `UM X?`), since `UM` persists in the controller.
 */
import type { DeviceIdentity, XYPositionUm } from '../../devices';
import { DeviceError, LimitError, ProtocolError, StateError, TimeoutError } from '../../errors';
import type { DriverContext } from '../../driver-types';
import { SerialStageBase } from '../serial-stage-base';
import { moveTimeoutMs, waitUntilIdle, type StageController } from '../stage-controller';
import {
  ASI_DEFAULT_UNITS_PER_MM,
  asiDeviceError,
  asiUnitsToUm,
  formatAsiUnits,
  parseAsiAxisValues,
  parseAsiBusy,
  parseAsiNumbers,
  parseAsiReply,
  umToAsiUnits,
} from './asi-protocol';
import { parseTigerBuild, type TigerBuild } from './tiger-build';
import type { AsiOptions } from './asi-options';

export type AsiModel = 'ms2000' | 'tiger';

interface AxisInfo {
  letter: string;
  unitsPerMm: number;
  /** Controller soft limits (`SL`/`SU`, read in mm), µm; ±Infinity if unreadable. */
  lowerUm: number;
  upperUm: number;
  /** Tiger card address for card-addressed commands (`2HALT`); '' on the MS-2000. */
  card: string;
}

const errorLine = /^:N\s*-?\s*(\d+)/i;

export class AsiController extends SerialStageBase implements StageController {
  readonly key: string;
  /** The MS-2000 halts everything (`\`); a Tiger halts per card (see halt). */
  readonly stopHaltsAllAxes: boolean;
  private x: AxisInfo;
  private y: AxisInfo;
  private z: AxisInfo;
  private xySpeedUmPerS = 1_000;
  private zSpeedUmPerS = 100;
  /** Tiger discovery result, for tests and the identity string. */
  build: TigerBuild | undefined;

  constructor(
    readonly model: AsiModel,
    private readonly options: AsiOptions,
    label: string,
    ctx: DriverContext,
  ) {
    super(options, label, ctx, {
      commandTerminator: '\r',
      // Tiger multi-line replies separate lines with a bare `\r` and end with `\r\n`, so
      // with `\r\n` framing a whole reply is one line (protocols.md §1.1).
      replyTerminator: '\r\n',
      vendorError: (lines, command) => {
        const m = errorLine.exec((lines.at(-1) ?? '').trim());
        return m ? asiDeviceError(Number(m[1]), command) : undefined;
      },
    });
    const { axes } = options;
    const axis = (letter: string): AxisInfo => ({
      letter,
      unitsPerMm: ASI_DEFAULT_UNITS_PER_MM,
      lowerUm: -Infinity,
      upperUm: Infinity,
      card: '',
    });
    this.x = axis(axes.x);
    this.y = axis(axes.y);
    this.z = axis(axes.z);
    this.key = `asi-${model} ${options.baudRate} baud, axes ${axes.x}${axes.y}${axes.z}`;
    this.stopHaltsAllAxes = model === 'ms2000';
  }

  /** The unit multiplier in use per axis letter (units per mm). */
  unitsPerMm(): Record<string, number> {
    return Object.fromEntries([this.x, this.y, this.z].map((a) => [a.letter, a.unitsPerMm]));
  }

  private query<T = string>(
    command: string,
    parse: (line: string) => T = (l) => l as T,
  ): Promise<T> {
    return this.transport.request(command, {
      idempotentRetries: 2,
      parse: (lines) => parse(lines[0] ?? ''),
    });
  }

  private async command(command: string): Promise<void> {
    await this.transport.request(command, {
      parse: (lines) => parseAsiReply(lines[0] ?? '', command),
    });
  }

  protected async initialise(): Promise<DeviceIdentity> {
    const version = await this.query('V', (l) => parseAsiReply(l, 'V'));
    const firmware = /Version:\s*(\S+)/i.exec(version)?.[1] ?? version;
    let buildName: string;
    if (this.model === 'tiger') {
      const raw = await this.query('BU X');
      this.build = parseTigerBuild(raw);
      buildName = this.build.buildName;
      for (const a of [this.x, this.y, this.z]) await this.discover(a);
    } else {
      buildName = (await this.query('BU')).replace(/^:A\s*/i, '').trim();
    }
    this.xySpeedUmPerS = await this.speedUmPerS([this.x.letter, this.y.letter], this.xySpeedUmPerS);
    this.zSpeedUmPerS = await this.speedUmPerS([this.z.letter], this.zSpeedUmPerS);
    for (const a of [this.x, this.y, this.z]) await this.readSoftLimits(a);
    return {
      vendor: 'ASI',
      model: `${this.model === 'tiger' ? 'Tiger TG-1000' : 'MS-2000'} (${buildName})`,
      // No documented serial-number command on either controller [U].
      serial: 'not reported',
      firmware,
    };
  }

  private async discover(axis: AxisInfo): Promise<void> {
    const found = this.build?.axes.find((a) => a.letter === axis.letter);
    if (!found) {
      throw new StateError(
        `${this.label}: the Tiger has no axis ${axis.letter} (it reports ${this.build?.axes.map((a) => a.letter).join(' ')}); set options.axes`,
      );
    }
    axis.card = found.cardAddress;
    const cmd = `UM ${axis.letter}?`;
    const values = await this.query(cmd, (l) => parseAsiAxisValues(l, cmd));
    const upm = values[axis.letter];
    if (upm === undefined || !(upm > 0)) {
      throw new ProtocolError(`${this.label}: "${cmd}" gave no positive unit multiplier`, {
        values,
      });
    }
    axis.unitsPerMm = upm;
  }

  /** Slowest of the axes' speeds (`S X?`, mm/s), for move timeouts; `fallback` if unreadable. */
  private async speedUmPerS(letters: string[], fallback: number): Promise<number> {
    const cmd = `S ${letters.map((l) => `${l}?`).join(' ')}`;
    try {
      const v = await this.query(cmd, (l) => parseAsiAxisValues(l, cmd));
      const speeds = letters.map((l) => (v[l] ?? 0) * 1000).filter((s) => s > 0);
      return speeds.length ? Math.min(...speeds) : fallback;
    } catch (err) {
      this.ctx.log(
        'warn',
        `${this.label}: cannot read speed (${String(err)}); assuming ${fallback} µm/s`,
      );
      return fallback;
    }
  }

  /**
   * `SL X?` / `SU X?` in mm, independent of UM (MM ASITiger); unreadable → no check [U].
   * Limits with lower ≥ upper are warned about (naming both) and ignored.
   */
  private async readSoftLimits(axis: AxisInfo): Promise<void> {
    try {
      const lo = await this.query(`SL ${axis.letter}?`, (l) => parseAsiAxisValues(l, 'SL'));
      const hi = await this.query(`SU ${axis.letter}?`, (l) => parseAsiAxisValues(l, 'SU'));
      const lowerUm = (lo[axis.letter] ?? -Infinity) * 1000;
      const upperUm = (hi[axis.letter] ?? Infinity) * 1000;
      if (lowerUm >= upperUm) {
        this.ctx.log(
          'warn',
          `${this.label}: the controller's soft limits of ${axis.letter} make no sense (SL ${axis.letter} = ${lowerUm / 1000} mm is not below SU ${axis.letter} = ${upperUm / 1000} mm); they are ignored and only the configured envelope limits ${axis.letter} moves`,
        );
        axis.lowerUm = -Infinity;
        axis.upperUm = Infinity;
        return;
      }
      axis.lowerUm = lowerUm;
      axis.upperUm = upperUm;
    } catch (err) {
      this.ctx.log(
        'warn',
        `${this.label}: cannot read soft limits of ${axis.letter}: ${String(err)}`,
      );
    }
  }

  /** Refuses a target outside the controller's soft limits instead of letting it stop short. */
  private checkTravel(axes: AxisInfo[], targetsUm: number[]): void {
    axes.forEach((a, i) => {
      const t = targetsUm[i] ?? 0;
      if (t < a.lowerUm || t > a.upperUm) {
        throw new LimitError(
          `${this.label}: target ${a.letter} = ${t} µm is beyond the controller's travel limits ${a.lowerUm}..${a.upperUm} µm (SL/SU)`,
          { axis: a.letter, targetUm: t, lowerUm: a.lowerUm, upperUm: a.upperUm },
        );
      }
    });
  }

  private async readUm(axes: AxisInfo[]): Promise<number[]> {
    // MS-2000 answers several axes in one line; on a Tiger the order of a multi-axis reply
    // may follow the cards, so each axis is queried alone (MM ASITiger).
    if (this.model === 'ms2000') {
      const cmd = `W ${axes.map((a) => a.letter).join(' ')}`;
      const units = await this.query(cmd, (l) => parseAsiNumbers(l, cmd, axes.length));
      return units.map((u, i) => asiUnitsToUm(u, axes[i]?.unitsPerMm));
    }
    const out: number[] = [];
    for (const a of axes) {
      const cmd = `W ${a.letter}`;
      const [u = 0] = await this.query(cmd, (l) => parseAsiNumbers(l, cmd, 1));
      out.push(asiUnitsToUm(u, a.unitsPerMm));
    }
    return out;
  }

  private async busy(axes: AxisInfo[]): Promise<boolean> {
    if (this.model === 'ms2000') return await this.query('/', (l) => parseAsiBusy(l));
    // Some Tiger firmware answers a bare `:A` to RS; the retry re-issues it (TigerASI).
    const cmd = `RS ${axes.map((a) => `${a.letter}?`).join(' ')}`;
    return await this.query(cmd, (l) => parseAsiBusy(l, cmd));
  }

  private async move(axes: AxisInfo[], targetsUm: number[], speedUmPerS: number): Promise<void> {
    this.checkTravel(axes, targetsUm);
    const fromUm = await this.readUm(axes);
    const parts = axes.map(
      (a, i) => `${a.letter}=${formatAsiUnits(umToAsiUnits(targetsUm[i] ?? 0, a.unitsPerMm))}`,
    );
    await this.command(`M ${parts.join(' ')}`);
    const distanceUm = Math.hypot(...fromUm.map((f, i) => (targetsUm[i] ?? f) - f));
    const timeoutMs = moveTimeoutMs(distanceUm, speedUmPerS);
    await waitUntilIdle(
      () => this.busy(axes),
      this.options.pollMs,
      timeoutMs,
      () =>
        new TimeoutError(`${this.label}: move did not finish within ${timeoutMs} ms`, {
          timeoutMs,
          axes: axes.map((a) => a.letter),
        }),
    );
  }

  private async halt(axes: AxisInfo[]): Promise<void> {
    // A Tiger halts one card with `<addr>HALT`; the MS-2000 only halts everything (`\`).
    const cards = [...new Set(axes.map((a) => a.card))];
    const cmds =
      this.model === 'tiger' && cards.every((c) => c !== '')
        ? cards.map((c) => `${c}HALT`)
        : ['\\'];
    for (const cmd of cmds) {
      try {
        await this.command(cmd);
      } catch (err) {
        // `:N-21` "halted by HALT" is success here (MM does the same).
        if (!(err instanceof DeviceError && err.details?.vendorCode === 21)) throw err;
      }
    }
  }

  async getXyUm(): Promise<XYPositionUm> {
    const [xUm = 0, yUm = 0] = await this.readUm([this.x, this.y]);
    return { xUm, yUm };
  }

  moveXyUm(target: XYPositionUm): Promise<void> {
    return this.move([this.x, this.y], [target.xUm, target.yUm], this.xySpeedUmPerS);
  }

  stopXy(): Promise<void> {
    return this.halt([this.x, this.y]);
  }

  isXyBusy(): Promise<boolean> {
    return this.busy([this.x, this.y]);
  }

  async getZUm(): Promise<number> {
    const [z = 0] = await this.readUm([this.z]);
    return z;
  }

  moveZUm(zUm: number): Promise<void> {
    return this.move([this.z], [zUm], this.zSpeedUmPerS);
  }

  stopZ(): Promise<void> {
    return this.halt([this.z]);
  }

  isZBusy(): Promise<boolean> {
    return this.busy([this.z]);
  }
}
