/**
 * One stage controller (ASI, Prior …) serves two devices: an XY stage and a Z drive.
 * Both device objects hold the same controller, found by port in a per-host table keyed
 * by the DriverContext (so nothing is global): the controller opens the port when the
 * first of them connects and closes it when the last disconnects.
 */
import type { ConnectionState, DeviceIdentity, XYPositionUm, XYStage, ZDrive } from '../devices';
import { DeviceEvents } from '../device-events';
import { DisconnectedError, ValidationError } from '../errors';
import type { DriverContext } from '../driver-types';

/** The vendor side: everything in µm, moves resolve when motion ended (or was stopped). */
export interface StageController {
  /** `driver` name plus options that must agree between the XY and the Z device entry. */
  readonly key: string;
  /** stopXy and stopZ each halt every axis (there is no per-axis stop). */
  readonly stopHaltsAllAxes: boolean;
  /** Opens the port and identifies the controller (once, shared by both devices). */
  open(): Promise<DeviceIdentity>;
  close(): Promise<void>;
  /** True while the port is open and initialised (false while it is down or reconnecting). */
  isConnected(): boolean;
  onConnection(listener: (state: ConnectionState, error?: Error) => void): () => void;
  getXyUm(): Promise<XYPositionUm>;
  moveXyUm(target: XYPositionUm): Promise<void>;
  stopXy(): Promise<void>;
  isXyBusy(): Promise<boolean>;
  getZUm(): Promise<number>;
  moveZUm(zUm: number): Promise<void>;
  stopZ(): Promise<void>;
  isZBusy(): Promise<boolean>;
}

/** Reference-counted opening shared by the devices of one controller. */
export class SharedController {
  private users = 0;
  private opening: Promise<DeviceIdentity> | undefined;

  constructor(readonly controller: StageController) {}

  /**
   * Opens the controller for one more device. If it was opened before but the port is
   * down now (e.g. a reconnect request after the cable was pulled), it is closed and
   * opened afresh, so a device never reports "connected" on a dead port.
   */
  async acquire(): Promise<DeviceIdentity> {
    this.users += 1;
    try {
      if (this.opening) {
        const current = this.opening;
        const identity = await current.catch(() => undefined);
        if (identity && this.controller.isConnected()) return identity;
        if (this.opening === current) {
          this.opening = undefined;
          await this.controller.close();
        }
      }
      this.opening ??= this.controller.open().catch((err: unknown) => {
        this.opening = undefined;
        throw err;
      });
      return await this.opening;
    } catch (err) {
      this.users -= 1;
      throw err;
    }
  }

  async release(): Promise<void> {
    if (this.users === 0) return;
    this.users -= 1;
    if (this.users > 0) return;
    this.opening = undefined;
    await this.controller.close();
  }
}

const tables = new WeakMap<DriverContext, Map<string, SharedController>>();

/**
 * The controller on `port` for this host, created on first use. A second device entry on
 * the same port must use the same driver and connection options (`key`).
 */
export function sharedController(
  ctx: DriverContext,
  port: string,
  deviceId: string,
  create: () => StageController,
): SharedController {
  let table = tables.get(ctx);
  if (!table) tables.set(ctx, (table = new Map()));
  const fresh = create();
  const existing = table.get(port);
  if (existing) {
    if (existing.controller.key !== fresh.key) {
      throw new ValidationError(
        `device "${deviceId}" options: port ${port} is already used by another device with different settings (${existing.controller.key} vs ${fresh.key})`,
      );
    }
    return existing;
  }
  const shared = new SharedController(fresh);
  table.set(port, shared);
  return shared;
}

abstract class ControllerDevice {
  protected readonly events = new DeviceEvents();
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(
    readonly id: string,
    /** The controller this device shares with its sibling (XY or Z) on the same port. */
    readonly shared: SharedController,
  ) {}

  subscribe = this.events.subscribe.bind(this.events);

  get stopHaltsAllAxes(): boolean {
    return this.shared.controller.stopHaltsAllAxes;
  }

  async connect(): Promise<DeviceIdentity> {
    if (this.connected) await this.disconnect();
    this.events.setConnection('connecting');
    try {
      const identity = await this.shared.acquire();
      this.connected = true;
      this.unsubscribe = this.shared.controller.onConnection((state, error) =>
        this.events.setConnection(state, error),
      );
      this.events.setConnection('connected');
      return identity;
    } catch (err) {
      this.events.setConnection('disconnected', err as Error);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.connected) {
      this.connected = false;
      await this.shared.release();
    }
    this.events.setConnection('disconnected');
  }

  protected get controller(): StageController {
    if (!this.connected) throw new DisconnectedError(`${this.id} is not connected`);
    return this.shared.controller;
  }
}

export class ControllerXYStage extends ControllerDevice implements XYStage {
  readonly kind = 'xy-stage' as const;

  async getPositionUm(): Promise<XYPositionUm> {
    return this.controller.getXyUm();
  }

  async moveToUm(target: XYPositionUm): Promise<XYPositionUm> {
    const c = this.controller;
    this.events.emit({ type: 'changed' });
    try {
      await c.moveXyUm(target);
    } finally {
      this.events.emit({ type: 'changed' });
    }
    return c.getXyUm();
  }

  async stop(): Promise<void> {
    await this.controller.stopXy();
    this.events.emit({ type: 'changed' });
  }

  async isBusy(): Promise<boolean> {
    return this.controller.isXyBusy();
  }
}

export class ControllerZDrive extends ControllerDevice implements ZDrive {
  readonly kind = 'z-drive' as const;

  async getPositionUm(): Promise<number> {
    return this.controller.getZUm();
  }

  async moveToUm(zUm: number): Promise<number> {
    const c = this.controller;
    this.events.emit({ type: 'changed' });
    try {
      await c.moveZUm(zUm);
    } finally {
      this.events.emit({ type: 'changed' });
    }
    return c.getZUm();
  }

  async stop(): Promise<void> {
    await this.controller.stopZ();
    this.events.emit({ type: 'changed' });
  }

  async isBusy(): Promise<boolean> {
    return this.controller.isZBusy();
  }
}

/** Move-length timeout: twice the time at `speedUmPerS` plus a fixed margin, ms. */
export function moveTimeoutMs(distanceUm: number, speedUmPerS: number, marginMs = 3_000): number {
  const travelMs = speedUmPerS > 0 ? (Math.abs(distanceUm) / speedUmPerS) * 1000 : 0;
  return Math.ceil(2 * travelMs + marginMs);
}

/** Polls `busy` until false, every `pollMs`, failing with `onTimeout()` after `timeoutMs`. */
export async function waitUntilIdle(
  busy: () => Promise<boolean>,
  pollMs: number,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (await busy()) {
    if (performance.now() > deadline) throw onTimeout();
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
