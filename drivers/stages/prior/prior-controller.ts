/**
 * Prior ProScan III controller over a serial port (protocols.md §2): XY and Z in µm.
 *
 * `COMP 0` (standard mode) at connect. Movement commands answer `R` only when the move
 * ends, so a move is written without holding the port: queries (position polls, `$`) go
 * on meanwhile, an `R` line — in a query's reply or unasked — wakes the waiting moves, and
 * each confirms with `$` that its axes stopped (a stray `R` cannot end a move early). A
 * slow `$` poll covers a lost `R`; the whole wait has a move-length timeout. An `E,n` that
 * arrives unasked fails the newest waiting move (the controller rejects a move at once).
 * `K` stops every axis: the sources do not say whether aborted moves still send `R` [U];
 * either way is handled.
 */
import type { DeviceIdentity, XYPositionUm } from '../../devices';
import { TimeoutError } from '../../errors';
import type { DriverContext } from '../../registry';
import { SerialStageBase } from '../serial-stage-base';
import { moveTimeoutMs, type StageController } from '../stage-controller';
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

interface MoveWaiter {
  wake: () => void;
  fail: (err: Error) => void;
}

export class PriorController extends SerialStageBase implements StageController {
  readonly key: string;
  umPerUnitXy = 1;
  umPerUnitZ = 1;
  private waiters = new Set<MoveWaiter>();

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
      if (isR(line)) this.wakeAll();
      else if (isPriorError(line)) {
        const newest = [...this.waiters].at(-1);
        const err = priorDeviceError(line, 'move');
        if (newest && err) newest.fail(err);
      }
    }
  }

  protected override onLost(error: Error): void {
    for (const w of [...this.waiters]) w.fail(error);
  }

  private wakeAll(): void {
    for (const w of [...this.waiters]) w.wake();
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
        if (lines.some(isR)) queueMicrotask(() => this.wakeAll());
        return parse(lines.filter((l) => !isR(l)));
      },
    });
  }

  protected async initialise(): Promise<DeviceIdentity> {
    await this.query('COMP 0', (l) => checkPriorAck(l[0] ?? '', 'COMP 0', '0'));
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

  /** Writes a movement command and waits until `moving(status)` is false. */
  private async move(
    command: string,
    timeoutMs: number,
    moving: (b: PriorMotionBits) => boolean,
  ): Promise<void> {
    let signal!: Promise<void>;
    let waiter!: MoveWaiter;
    let failure: Error | undefined;
    const arm = () => {
      signal = new Promise<void>((resolve) => {
        waiter = {
          wake: resolve,
          fail: (err) => {
            failure = err;
            resolve();
          },
        };
      });
      this.waiters.add(waiter);
    };
    arm();
    const deadline = performance.now() + timeoutMs;
    try {
      await this.transport.request(command, { reply: 0 });
      for (;;) {
        const left = deadline - performance.now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          signal,
          new Promise(
            (r) => (timer = setTimeout(r, Math.max(0, Math.min(this.options.pollMs, left)))),
          ),
        ]);
        clearTimeout(timer);
        if (failure) throw failure;
        this.waiters.delete(waiter);
        arm();
        if (!moving(await this.status())) return;
        if (performance.now() > deadline) {
          throw new TimeoutError(
            `${this.label}: "${command}" did not finish within ${timeoutMs} ms`,
            {
              command,
              timeoutMs,
            },
          );
        }
      }
    } finally {
      this.waiters.delete(waiter);
    }
  }

  private async stopAll(): Promise<void> {
    await this.transport.request('K', {
      reply: (lines) => lines.some((l) => isR(l) || isPriorError(l)),
    });
    this.wakeAll();
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
    await this.move(
      `G,${x},${y}`,
      moveTimeoutMs(distanceUm, this.options.xySpeedUmPerS, this.options.moveMarginMs),
      (b) => b.x || b.y,
    );
  }

  /** `K` halts every axis of the controller (there is no per-axis stop). */
  stopXy(): Promise<void> {
    return this.stopAll();
  }

  async isXyBusy(): Promise<boolean> {
    const b = await this.status();
    return b.x || b.y;
  }

  async getZUm(): Promise<number> {
    const z = await this.query('PZ', (l) => parsePriorNumber(l[0] ?? '', 'PZ'));
    return priorUnitsToUm(z, this.umPerUnitZ);
  }

  async moveZUm(zUm: number): Promise<void> {
    const from = await this.getZUm();
    await this.move(
      `V,${umToPriorUnits(zUm, this.umPerUnitZ)}`,
      moveTimeoutMs(zUm - from, this.options.zSpeedUmPerS, this.options.moveMarginMs),
      (b) => b.z,
    );
  }

  stopZ(): Promise<void> {
    return this.stopAll();
  }

  async isZBusy(): Promise<boolean> {
    return (await this.status()).z;
  }
}
