/**
 * Byte-level simulator of a Prior ProScan III with an XY stage (`world.stage`) and a focus
 * drive (`world.focus`), speaking protocols.md §2: commands end `\r`, reply lines end `\r`,
 * queries answer at once, movement commands answer `R` only when the move ends (moves
 * queue, at most 100: `E,18`), `$` busy bits, integer user units scaled by `RES`.
 *
 * Quirks chosen where the sources are silent [U]: the unit starts in compatibility mode
 * (`COMP 1`), where moves answer `R` at once; `K` aborts the running and queued moves and
 * answers one `R` (the aborted moves send none); a target beyond the travel stops at the
 * limit; `U` is +Z.
 */
import type { SimWorld } from '../../sim/world';
import { WireSimulator } from '../../wire-sim/sim-base';
import { priorUnitsToUm, umToPriorUnits } from './prior-protocol';
import { DATE_REPLY, IDENTITY_LISTING, MAX_QUEUE, SimPriorError } from './prior-sim-replies';

export interface PriorWireSimOptions {
  /** µm per user unit at power-up (`RES,s` / `RES,Z`). Default 1 and 1 [U]. */
  umPerUnitXy?: number;
  umPerUnitZ?: number;
  /** Mechanical half-travel, µm. */
  xyHalfTravelUm?: number;
  zHalfTravelUm?: number;
}

interface QueuedMove {
  xy?: [number, number];
  z?: number;
  /** Relative move: the targets above are offsets, resolved when the move starts. */
  relative: boolean;
}

export class PriorWireSim extends WireSimulator {
  readonly name = 'prior-proscan';
  protected readonly replyTerminator = '\r';
  compatibilityMode = true;
  umPerUnitXy: number;
  umPerUnitZ: number;
  private readonly xyHalfUm: number;
  private readonly zHalfUm: number;
  private injected: number[] = [];
  private readonly queue: QueuedMove[] = [];
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private speedPctXy = 100;
  private speedPctZ = 100;
  private readonly baseSpeedXy: number;
  private readonly baseSpeedZ: number;

  constructor(
    private readonly world: SimWorld,
    options: PriorWireSimOptions = {},
  ) {
    super();
    this.umPerUnitXy = options.umPerUnitXy ?? 1;
    this.umPerUnitZ = options.umPerUnitZ ?? 1;
    this.xyHalfUm = options.xyHalfTravelUm ?? 100_000;
    this.zHalfUm = options.zHalfTravelUm ?? 10_000;
    this.baseSpeedXy = world.stage.speedUmPerS;
    this.baseSpeedZ = world.focus.speedUmPerS;
  }

  /** Power-up: queue and motion gone, the controller counts from 0 again (position 0, 0, 0). */
  protected override onPowerUp(): void {
    clearTimeout(this.timer);
    this.queue.splice(0);
    this.running = false;
    this.injected = [];
    this.compatibilityMode = true;
    this.world.stage.stop();
    this.world.focus.stop();
    this.world.stage.setPositionUm([0, 0]);
    this.world.focus.setPositionUm([0]);
  }

  /** The next command answers `E,<code>`: for error paths no real input triggers. */
  injectError(code: number): void {
    this.injected.push(code);
  }

  /** Stops timers; the simulator sends nothing afterwards. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.running = false;
  }

  /** Reply lines joined by `\r` (terminator not included), or undefined until a move ends. */
  protected handle(line: string): string | undefined {
    return this.respond(line);
  }

  respond(line: string): string | undefined {
    const injected = this.injected.shift();
    if (injected !== undefined) return `E,${injected}`;
    try {
      return this.execute(line.trim());
    } catch (e) {
      if (!(e instanceof SimPriorError)) throw e;
      return `E,${e.priorCode}`;
    }
  }

  /** A move ended: its `R` goes out now, unasked. */
  private moveDone(): void {
    this.sendUnsolicited(`R${this.replyTerminator}`);
  }

  /** Returns the reply (lines joined by `\r`), or undefined when it comes later (moves). */
  private execute(line: string): string | undefined {
    const [head = '', ...rest] = line.split(/[,\s;:\t]+/).filter((t) => t !== '');
    const cmd = head.toUpperCase();
    const args = rest.map((t) => t.toUpperCase());
    const nums = () =>
      args.map((t) => {
        const v = Number(t);
        if (!Number.isFinite(v)) throw new SimPriorError(4);
        return v;
      });
    const need = (n: number) => {
      const v = nums();
      if (v.length < n) throw new SimPriorError(4);
      return v;
    };
    const xyUnits = () => this.xyUm().map((u) => umToPriorUnits(u, this.umPerUnitXy));
    const zUnits = () => umToPriorUnits(this.zUm(), this.umPerUnitZ);
    switch (cmd) {
      case 'COMP':
        if (args.length === 0) return this.compatibilityMode ? '1' : '0';
        this.compatibilityMode = need(1)[0] !== 0;
        return '0';
      case '?':
        return IDENTITY_LISTING;
      case 'DATE':
        return DATE_REPLY;
      case 'VERSION':
        return '119';
      case 'SERIAL':
        return '70631';
      case '$':
        return String(this.statusBits());
      case 'PX':
      case 'PY':
        if (args.length > 0) return this.setPosition(cmd === 'PX' ? 0 : 1, need(1)[0] as number);
        return String(xyUnits()[cmd === 'PX' ? 0 : 1]);
      case 'PZ':
        if (args.length > 0) return this.setPosition(2, need(1)[0] as number);
        return String(zUnits());
      case 'PS':
        if (args.length > 0) {
          const [x = 0, y = 0] = need(2);
          this.setPosition(0, x);
          return this.setPosition(1, y);
        }
        return xyUnits().join(',');
      case 'P':
        if (args.length > 0) {
          const [x = 0, y = 0, z = 0] = need(3);
          this.setPosition(0, x);
          this.setPosition(1, y);
          return this.setPosition(2, z);
        }
        return [...xyUnits(), zUnits()].join(',');
      case 'G': {
        const v = need(2);
        return this.enqueueMove({ xy: [v[0] as number, v[1] as number], z: v[2], relative: false });
      }
      case 'GR': {
        const v = need(2);
        return this.enqueueMove({ xy: [v[0] as number, v[1] as number], z: v[2], relative: true });
      }
      case 'GX':
        return this.enqueueMove({ xy: [need(1)[0] as number, NaN], relative: false });
      case 'GY':
        return this.enqueueMove({ xy: [NaN, need(1)[0] as number], relative: false });
      case 'V':
        return this.enqueueMove({ z: need(1)[0] as number, relative: false });
      case 'U':
      case 'D':
        return this.enqueueMove({
          z: (cmd === 'U' ? 1 : -1) * (need(1)[0] as number),
          relative: true,
        });
      case 'K':
      case 'I':
        this.abort();
        return 'R';
      case 'RES':
        return this.resolution(args);
      case 'SMS':
      case 'SMZ':
        return this.speed(cmd === 'SMZ', nums());
      case 'J':
      case 'H':
        return '0';
      default:
        throw new SimPriorError(4);
    }
  }

  private resolution(args: string[]): string {
    const [axis, value] = args;
    if (axis !== 'S' && axis !== 'Z') throw new SimPriorError(4);
    if (value === undefined) return (axis === 'S' ? this.umPerUnitXy : this.umPerUnitZ).toFixed(6);
    const v = Number(value);
    if (!Number.isFinite(v) || v <= 0) throw new SimPriorError(8);
    if (axis === 'S') this.umPerUnitXy = v;
    else this.umPerUnitZ = v;
    return '0';
  }

  private speed(z: boolean, values: number[]): string {
    if (values.length === 0) return String(z ? this.speedPctZ : this.speedPctXy);
    const pct = values[0] as number;
    if (!Number.isInteger(pct) || pct < 1 || pct > 100) throw new SimPriorError(8);
    if (z) {
      this.speedPctZ = pct;
      this.world.focus.speedUmPerS = (this.baseSpeedZ * pct) / 100;
    } else {
      this.speedPctXy = pct;
      this.world.stage.speedUmPerS = (this.baseSpeedXy * pct) / 100;
    }
    return '0';
  }

  private xyUm(): number[] {
    return this.world.stage.positionUm().slice(0, 2);
  }

  private zUm(): number {
    return this.world.focus.positionUm()[0] ?? 0;
  }

  private setPosition(axis: 0 | 1 | 2, units: number): string {
    if (axis === 2) this.world.focus.setPositionUm([priorUnitsToUm(units, this.umPerUnitZ)]);
    else {
      const xy = this.xyUm();
      xy[axis] = priorUnitsToUm(units, this.umPerUnitXy);
      this.world.stage.setPositionUm(xy);
    }
    return '0';
  }

  private statusBits(): number {
    const xyBusy = this.world.stage.isBusy() ? 3 : 0;
    return xyBusy | (this.world.focus.isBusy() ? 4 : 0);
  }

  private enqueueMove(move: QueuedMove): string | undefined {
    if (this.compatibilityMode) {
      this.start(move);
      return 'R';
    }
    if (this.queue.length >= MAX_QUEUE) throw new SimPriorError(18);
    this.queue.push(move);
    if (!this.running) this.next();
    return undefined;
  }

  private next(): void {
    const move = this.queue.shift();
    if (!move) {
      this.running = false;
      return;
    }
    this.running = true;
    this.start(move);
    this.watch();
  }

  private watch(): void {
    const remaining = Math.max(this.world.stage.remainingMs(), this.world.focus.remainingMs());
    if (remaining > 0) {
      this.timer = setTimeout(() => this.watch(), Math.max(1, Math.ceil(remaining)));
      this.timer.unref?.();
      return;
    }
    this.timer = undefined;
    this.moveDone();
    this.next();
  }

  private start(move: QueuedMove): void {
    if (move.xy) {
      const here = this.xyUm();
      const target = move.xy.map((units, i) => {
        const current = here[i] ?? 0;
        if (Number.isNaN(units)) return current;
        const um = priorUnitsToUm(units, this.umPerUnitXy);
        return this.clamp((move.relative ? current : 0) + um, this.xyHalfUm);
      });
      this.world.stage.moveTo(target);
    }
    if (move.z !== undefined) {
      const um = priorUnitsToUm(move.z, this.umPerUnitZ);
      this.world.focus.moveTo([this.clamp((move.relative ? this.zUm() : 0) + um, this.zHalfUm)]);
    }
  }

  private clamp(um: number, half: number): number {
    return Math.min(half, Math.max(-half, um));
  }

  private abort(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.running = false;
    this.world.stage.stop();
    this.world.focus.stop();
  }
}
