/**
 * In-process simulated stage, focus drive and lasers, acting on the shared SimWorld.
 * They enforce only their own mechanical ranges; facility limits are the safety layer's.
 */
import { z } from 'zod';
import type {
  DeviceIdentity,
  InterlockState,
  Laser,
  XYPositionUm,
  XYStage,
  ZDrive,
} from '../devices';
import { DeviceEvents } from '../device-events';
import { DisconnectedError, LimitError, ValidationError } from '../errors';
import { parseOrThrow } from '../validation';
import type { AxisMotion } from './motion';
import { sleepOn, type SimClock } from './sim-clock';
import type { SimWorld } from './world';

export const identity = (model: string, id: string): DeviceIdentity => ({
  vendor: 'Aquila',
  model,
  serial: `SIM-${id}`,
  firmware: 'sim-1',
});

/** Resolves when `motion` is idle, checking at the move's end time on `time`. */
async function waitIdle(
  time: SimClock,
  isBusy: () => boolean,
  remainingMs: () => number,
): Promise<void> {
  while (isBusy()) await sleepOn(time, Math.max(1, Math.min(50, remainingMs())));
}

export class SimConnectable {
  readonly events = new DeviceEvents();
  protected assertConnected(id: string): void {
    if (this.events.state !== 'connected') throw new DisconnectedError(`${id} is not connected`);
  }
}

const motionOptions = (speedUmPerS: number, travelUm: number) =>
  z
    .object({
      speedUmPerS: z.number().positive().default(speedUmPerS),
      /** Full mechanical travel, centred on 0, µm. */
      travelUm: z.number().positive().default(travelUm),
    })
    .strict();

/** A simulated mechanism on one of the world's AxisMotions: connect, move-and-wait, stop, busy. */
abstract class SimMotionDevice extends SimConnectable {
  protected readonly halfTravelUm: number;

  constructor(
    readonly id: string,
    protected readonly motion: AxisMotion,
    private readonly time: SimClock,
    private readonly model: string,
    options: unknown,
    defaults: { speedUmPerS: number; travelUm: number },
  ) {
    super();
    const o = parseOrThrow(
      motionOptions(defaults.speedUmPerS, defaults.travelUm),
      options,
      `device "${id}" options`,
    );
    motion.speedUmPerS = o.speedUmPerS;
    this.halfTravelUm = o.travelUm / 2;
  }

  async connect(): Promise<DeviceIdentity> {
    this.events.setConnection('connected');
    return identity(this.model, this.id);
  }
  async disconnect(): Promise<void> {
    this.motion.stop();
    this.events.setConnection('disconnected');
  }
  subscribe = this.events.subscribe.bind(this.events);

  /** Starts a move to `targetUm` (all axes), waits for its end and returns where it stopped. */
  protected async move(targetUm: number[]): Promise<number[]> {
    this.assertConnected(this.id);
    if (targetUm.some((v) => !Number.isFinite(v))) {
      throw new ValidationError(
        `${this.id}: target (${targetUm.join(', ')}) µm is not a finite position`,
      );
    }
    if (targetUm.some((v) => Math.abs(v) > this.halfTravelUm)) {
      throw new LimitError(
        `${this.id}: target (${targetUm.join(', ')}) µm is beyond the mechanical travel ±${this.halfTravelUm} µm`,
      );
    }
    const m = this.motion;
    m.moveTo(targetUm);
    this.events.emit({ type: 'changed' });
    await waitIdle(
      this.time,
      () => m.isBusy(),
      () => m.remainingMs(),
    );
    this.events.emit({ type: 'changed' });
    return m.positionUm();
  }

  protected positionUm(): number[] {
    this.assertConnected(this.id);
    return this.motion.positionUm();
  }

  async stop(): Promise<void> {
    this.motion.stop();
    this.events.emit({ type: 'changed' });
  }

  async isBusy(): Promise<boolean> {
    return this.motion.isBusy();
  }
}

export class SimXYStage extends SimMotionDevice implements XYStage {
  readonly kind = 'xy-stage' as const;

  constructor(id: string, world: SimWorld, options: unknown) {
    super(id, world.stage, world.time, 'Simulated XY stage', options, {
      speedUmPerS: 5_000,
      travelUm: 50_000,
    });
  }

  async getPositionUm(): Promise<XYPositionUm> {
    const [xUm = 0, yUm = 0] = this.positionUm();
    return { xUm, yUm };
  }

  async moveToUm(target: XYPositionUm): Promise<XYPositionUm> {
    const [xUm = 0, yUm = 0] = await this.move([target.xUm, target.yUm]);
    return { xUm, yUm };
  }
}

export class SimZDrive extends SimMotionDevice implements ZDrive {
  readonly kind = 'z-drive' as const;

  constructor(id: string, world: SimWorld, options: unknown) {
    super(id, world.focus, world.time, 'Simulated focus drive', options, {
      speedUmPerS: 500,
      travelUm: 10_000,
    });
  }

  async getPositionUm(): Promise<number> {
    return this.positionUm()[0] ?? 0;
  }

  async moveToUm(zUm: number): Promise<number> {
    return (await this.move([zUm]))[0] ?? 0;
  }
}

const laserOptions = z
  .object({
    wavelengthNm: z.number().int().min(200).max(2000),
    maxPowerMw: z.number().positive(),
  })
  .strict();

export class SimLaser extends SimConnectable implements Laser {
  readonly kind = 'laser' as const;
  readonly wavelengthNm: number;
  readonly maxPowerMw: number;

  constructor(
    readonly id: string,
    private readonly world: SimWorld,
    options: unknown,
  ) {
    super();
    const o = parseOrThrow(laserOptions, options, `device "${id}" options`);
    this.wavelengthNm = o.wavelengthNm;
    this.maxPowerMw = o.maxPowerMw;
    world.addLaser(id, o.wavelengthNm, o.maxPowerMw);
  }

  private line() {
    return this.world.laser(this.id);
  }

  async connect(): Promise<DeviceIdentity> {
    this.line().emission = false;
    this.events.setConnection('connected');
    return identity(`Simulated ${this.wavelengthNm} nm laser`, this.id);
  }
  async disconnect(): Promise<void> {
    this.line().emission = false;
    this.events.setConnection('disconnected');
  }
  subscribe = this.events.subscribe.bind(this.events);

  async setEmission(on: boolean): Promise<void> {
    if (on) this.assertConnected(this.id);
    this.line().emission = on;
    this.events.emit({ type: 'changed' });
  }
  async getEmission(): Promise<boolean> {
    return this.line().emission;
  }
  async setPowerMw(powerMw: number): Promise<void> {
    this.assertConnected(this.id);
    if (!(powerMw >= 0 && powerMw <= this.maxPowerMw)) {
      throw new LimitError(`${this.id}: power ${powerMw} mW is outside 0..${this.maxPowerMw} mW`);
    }
    this.line().powerMw = powerMw;
    this.events.emit({ type: 'changed' });
  }
  async getPowerMw(): Promise<number> {
    return this.line().powerMw;
  }
  /** The simulated microscope has no interlock to open. */
  async getInterlock(): Promise<InterlockState> {
    return 'closed';
  }
}
