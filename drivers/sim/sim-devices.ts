/**
 * In-process simulated stage, focus drive and lasers, acting on the shared SimWorld.
 * They enforce only their own mechanical ranges; facility limits are the safety layer's.
 */
import { z } from 'zod';
import type { DeviceIdentity, Laser, XYPositionUm, XYStage, ZDrive } from '../devices';
import { DeviceEvents } from '../device-events';
import { DisconnectedError, LimitError, ValidationError } from '../errors';
import { parseOrThrow } from '../validation';
import type { SimWorld } from './world';

const identity = (model: string, id: string): DeviceIdentity => ({
  vendor: 'Aquila',
  model,
  serial: `SIM-${id}`,
  firmware: 'sim-1',
});

/** Resolves when `motion` is idle (or after `maxMs`), checking at the move's end time. */
async function waitIdle(isBusy: () => boolean, remainingMs: () => number): Promise<void> {
  while (isBusy()) {
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(50, remainingMs()))));
  }
}

class SimConnectable {
  readonly events = new DeviceEvents();
  protected assertConnected(id: string): void {
    if (this.events.state !== 'connected') throw new DisconnectedError(`${id} is not connected`);
  }
}

const stageOptions = z
  .object({
    speedUmPerS: z.number().positive().default(5_000),
    travelUm: z.number().positive().default(50_000),
  })
  .strict();

export class SimXYStage extends SimConnectable implements XYStage {
  readonly kind = 'xy-stage' as const;
  private readonly travelUm: number;

  constructor(
    readonly id: string,
    private readonly world: SimWorld,
    options: unknown,
  ) {
    super();
    const o = parseOrThrow(stageOptions, options, `device "${id}" options`);
    this.world.stage.speedUmPerS = o.speedUmPerS;
    this.travelUm = o.travelUm;
  }

  async connect(): Promise<DeviceIdentity> {
    this.events.setConnection('connected');
    return identity('Simulated XY stage', this.id);
  }
  async disconnect(): Promise<void> {
    this.world.stage.stop();
    this.events.setConnection('disconnected');
  }
  subscribe = this.events.subscribe.bind(this.events);

  async getPositionUm(): Promise<XYPositionUm> {
    this.assertConnected(this.id);
    const [xUm = 0, yUm = 0] = this.world.stage.positionUm();
    return { xUm, yUm };
  }

  async moveToUm(target: XYPositionUm): Promise<XYPositionUm> {
    this.assertConnected(this.id);
    if (!Number.isFinite(target.xUm) || !Number.isFinite(target.yUm)) {
      throw new ValidationError(
        `${this.id}: target (${target.xUm}, ${target.yUm}) µm must be finite numbers`,
      );
    }
    const half = this.travelUm / 2;
    if (Math.abs(target.xUm) > half || Math.abs(target.yUm) > half) {
      throw new LimitError(
        `${this.id}: target (${target.xUm}, ${target.yUm}) µm is beyond the mechanical travel ±${half} µm`,
      );
    }
    const m = this.world.stage;
    m.moveTo([target.xUm, target.yUm]);
    this.events.emit({ type: 'changed' });
    await waitIdle(
      () => m.isBusy(),
      () => m.remainingMs(),
    );
    this.events.emit({ type: 'changed' });
    return this.getPositionUm();
  }

  async stop(): Promise<void> {
    this.world.stage.stop();
    this.events.emit({ type: 'changed' });
  }

  async isBusy(): Promise<boolean> {
    return this.world.stage.isBusy();
  }
}

const focusOptions = z
  .object({
    speedUmPerS: z.number().positive().default(500),
    travelUm: z.number().positive().default(10_000),
  })
  .strict();

export class SimZDrive extends SimConnectable implements ZDrive {
  readonly kind = 'z-drive' as const;
  private readonly travelUm: number;

  constructor(
    readonly id: string,
    private readonly world: SimWorld,
    options: unknown,
  ) {
    super();
    const o = parseOrThrow(focusOptions, options, `device "${id}" options`);
    this.world.focus.speedUmPerS = o.speedUmPerS;
    this.travelUm = o.travelUm;
  }

  async connect(): Promise<DeviceIdentity> {
    this.events.setConnection('connected');
    return identity('Simulated focus drive', this.id);
  }
  async disconnect(): Promise<void> {
    this.world.focus.stop();
    this.events.setConnection('disconnected');
  }
  subscribe = this.events.subscribe.bind(this.events);

  async getPositionUm(): Promise<number> {
    this.assertConnected(this.id);
    return this.world.focus.positionUm()[0] ?? 0;
  }

  async moveToUm(zUm: number): Promise<number> {
    this.assertConnected(this.id);
    if (!Number.isFinite(zUm)) {
      throw new ValidationError(`${this.id}: target ${zUm} µm must be a finite number`);
    }
    if (Math.abs(zUm) > this.travelUm / 2) {
      throw new LimitError(
        `${this.id}: target ${zUm} µm is beyond the mechanical travel ±${this.travelUm / 2} µm`,
      );
    }
    const m = this.world.focus;
    m.moveTo([zUm]);
    this.events.emit({ type: 'changed' });
    await waitIdle(
      () => m.isBusy(),
      () => m.remainingMs(),
    );
    this.events.emit({ type: 'changed' });
    return this.getPositionUm();
  }

  async stop(): Promise<void> {
    this.world.focus.stop();
    this.events.emit({ type: 'changed' });
  }

  async isBusy(): Promise<boolean> {
    return this.world.focus.isBusy();
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
    world.lasers.set(id, {
      wavelengthNm: o.wavelengthNm,
      maxPowerMw: o.maxPowerMw,
      emission: false,
      powerMw: 0,
    });
  }

  private line() {
    const l = this.world.lasers.get(this.id);
    if (!l) throw new DisconnectedError(`${this.id} is not in the simulated world`);
    return l;
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
}
