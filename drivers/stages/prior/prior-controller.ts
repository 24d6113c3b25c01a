/**
 * Prior ProScan III controller over a serial port (protocols.md §2): XY and Z in µm.
 *
 * At connect: `COMP 0` (standard mode) and `K`, so no move from before is still queued.
 * Movement commands answer `R` only when the move ends, so a move is written without
 * holding the port: queries (position polls, `$`) go on meanwhile. `R` lines — inside a
 * query's reply or unasked — end pending moves in order (MoveFifo); each move then checks
 * with `$` that its axes stopped, so a stray `R` cannot end it early. A slow `$` poll covers
 * a lost `R`; the whole wait has a move-length timeout. `K` stops every axis and ends all
 * pending moves; whether aborted moves also send an `R` is not documented [U]: either way
 * is handled.
 */
import type { DeviceIdentity, XYPositionUm } from '../../devices';
import { TimeoutError } from '../../errors';
import type { DriverContext } from '../../driver-types';
import { SerialStageBase } from '../serial-stage-base';
import { moveTimeoutMs, type StageController } from '../stage-controller';
import { MoveFifo } from './move-fifo';
import type { PriorOptions } from './prior-options';
import {
  checkPriorAck,
  isPriorError,
  parsePriorNumber,
  parsePriorNumbers,
  parsePriorResolution,
  parsePriorStatus,
  priorDeviceError,
  priorUnitsToUm,
  umToPriorUnits,
  type PriorMotionBits,
} from './prior-protocol';

const isR = (line: string) => line.trim().toUpperCase() === 'R';

export class PriorController extends SerialStageBase implements StageController {
  readonly key: string;
  /** `K` is the only stop (protocols.md §2). */
  readonly stopHaltsAllAxes = true;
  umPerUnitXy = 1;
  umPerUnitZ = 1;
  private readonly moves = new MoveFifo();
  /** Moves waiting for their end, per group: busy even while queued behind another. */
  private readonly outstanding = { xy: 0, z: 0 };

  constructor(
    private readonly options: PriorOptions,
    label: string,
    ctx: DriverContext,
  ) {
    super(options, label, ctx, {
      commandTerminator: '\r',
      replyTerminator: '\r',
      vendorError: (lines, command) => {
        const err = lines.find((l) => isPriorError(l));
        return err === undefined ? undefined : priorDeviceError(err, command);
      },
    });
    this.key = `prior-proscan ${options.baudRate} baud, ${options.stopBits} stop bit(s)`;
  }

  protected override onUnsolicited(text: string): void {
    for (const line of text.split(/[\r\n]+/)) {
      if (isR(line)) this.moves.ended();
      else if (isPriorError(line)) {
        const err = priorDeviceError(line, 'move');
        if (err) this.moves.refused(err);
      }
    }
  }

  protected override onLost(error: Error): void {
    this.moves.lost(error);
  }

  /**
   * A query whose answer needs `count` lines other than `R` (end-of-move `R`s may come
   * first; they wake the moves). `END`-terminated replies pass `count = 'END'`.
   */
  private query<T>(command: string, parse: (lines: string[]) => T, count: number | 'END' = 1) {
    return this.transport.request(command, {
      idempotentRetries: 2,
      reply: (lines) =>
        lines.some(isPriorError) ||
        (count === 'END'
          ? lines.some((l) => /^END$/i.test(l.trim()))
          : lines.filter((l) => !isR(l)).length >= count),
      parse: (lines) => {
        for (const _ of lines.filter(isR)) this.moves.ended();
        return parse(lines.filter((l) => !isR(l)));
      },
    });
  }

  protected async initialise(): Promise<DeviceIdentity> {
    await this.query('COMP 0', (l) => checkPriorAck(l[0] ?? '', 'COMP 0', '0'));
    // A known state: nothing moving, nothing queued from before (e.g. before a reconnect).
    await this.stopAll();
    const info = await this.query('?', (l) => l, 'END');
    this.umPerUnitXy = await this.query('RES,s', (l) => parsePriorResolution(l[0] ?? '', 'RES,s'));
    this.umPerUnitZ = await this.query('RES,Z', (l) => parsePriorResolution(l[0] ?? '', 'RES,Z'));
    const stage = info.find((l) => /^STAGE\s*=/i.test(l))?.replace(/^STAGE\s*=\s*/i, '');
    return {
      vendor: 'Prior Scientific',
      model: `ProScan III${stage ? ` (stage ${stage})` : ''}`,
      serial: await this.optional('SERIAL'),
      firmware: await this.optional('VERSION'),
    };
  }

  /** `SERIAL` / `VERSION` are not confirmed for every firmware [U]: an `E,n` means "not reported". */
  private async optional(command: string): Promise<string> {
    try {
      return await this.query(command, (l) => (l[0] ?? '').trim());
    } catch (err) {
      this.ctx.log('info', `${this.label}: "${command}" not supported (${String(err)})`);
      return 'not reported';
    }
  }

  private status(): Promise<PriorMotionBits> {
    return this.query('$', (l) => parsePriorStatus(l[0] ?? ''));
  }

  private positionUnits(): Promise<number[]> {
    return this.query('P', (l) => parsePriorNumbers(l[0] ?? '', 'P', 3));
  }

  /** Writes a movement command and waits for its `R`, then until `moving(status)` is false. */
  private async move(
    command: string,
    timeoutMs: number,
    moving: (b: PriorMotionBits) => boolean,
  ): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const timeout = () =>
      new TimeoutError(`${this.label}: "${command}" did not finish within ${timeoutMs} ms`, {
        command,
        timeoutMs,
      });
    const pending = this.moves.add();
    try {
      await this.transport.request(command, { reply: 0 });
      while (!(await pending.within(Math.min(this.options.pollMs, deadline - performance.now())))) {
        if (performance.now() > deadline) throw timeout();
        // Lost `R`: nothing ahead of this move and every axis idle means it is over.
        if (this.moves.isHead(pending)) {
          const b = await this.status();
          if (!b.x && !b.y && !b.z && this.moves.isHead(pending)) break;
        }
      }
      while (moving(await this.status())) {
        if (performance.now() > deadline) throw timeout();
        await new Promise((r) => setTimeout(r, this.options.pollMs));
      }
    } finally {
      this.moves.remove(pending);
    }
  }

  private async stopAll(): Promise<void> {
    await this.transport.request('K', {
      reply: (lines) => lines.some((l) => isR(l) || isPriorError(l)),
    });
    this.moves.stopped();
  }

  async getXyUm(): Promise<XYPositionUm> {
    const [x = 0, y = 0] = await this.positionUnits();
    return { xUm: priorUnitsToUm(x, this.umPerUnitXy), yUm: priorUnitsToUm(y, this.umPerUnitXy) };
  }

  async moveXyUm(target: XYPositionUm): Promise<void> {
    const from = await this.getXyUm();
    const x = umToPriorUnits(target.xUm, this.umPerUnitXy);
    const y = umToPriorUnits(target.yUm, this.umPerUnitXy);
    const distanceUm = Math.hypot(target.xUm - from.xUm, target.yUm - from.yUm);
    this.outstanding.xy += 1;
    try {
      await this.move(
        `G,${x},${y}`,
        moveTimeoutMs(distanceUm, this.options.xySpeedUmPerS, this.options.moveMarginMs),
        (b) => b.x || b.y,
      );
    } finally {
      this.outstanding.xy -= 1;
    }
  }

  /** `K` halts every axis of the controller (there is no per-axis stop). */
  stopXy(): Promise<void> {
    return this.stopAll();
  }

  async isXyBusy(): Promise<boolean> {
    const b = await this.status();
    return b.x || b.y || this.outstanding.xy > 0;
  }

  async getZUm(): Promise<number> {
    const z = await this.query('PZ', (l) => parsePriorNumber(l[0] ?? '', 'PZ'));
    return priorUnitsToUm(z, this.umPerUnitZ);
  }

  async moveZUm(zUm: number): Promise<void> {
    const from = await this.getZUm();
    this.outstanding.z += 1;
    try {
      await this.move(
        `V,${umToPriorUnits(zUm, this.umPerUnitZ)}`,
        moveTimeoutMs(zUm - from, this.options.zSpeedUmPerS, this.options.moveMarginMs),
        (b) => b.z,
      );
    } finally {
      this.outstanding.z -= 1;
    }
  }

  stopZ(): Promise<void> {
    return this.stopAll();
  }

  async isZBusy(): Promise<boolean> {
    return (await this.status()).z || this.outstanding.z > 0;
  }
}
