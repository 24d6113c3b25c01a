/**
 * What every serial laser driver shares: the SerialLink (port or `sim:` simulator, reconnect,
 * connection events), and wavelength / max power learned from the head at connect, falling
 * back to (and capped by) the config. Vendor drivers implement `init` and the Laser verbs.
 */
import type { DeviceEvent, DeviceIdentity, Unsubscribe } from '../devices';
import type { DriverContext } from '../driver-types';
import { SerialLink } from '../serial/serial-link';
import type { SerialTransport } from '../serial/transport';
import type { SerialFraming } from '../serial/transport-options';

export interface SerialLaserOptions {
  port: string;
  baudRate: number;
  timeoutMs: number;
  wavelengthNm?: number | undefined;
  maxPowerMw?: number | undefined;
  /** false leaves emission as found at connect (logged); default true (see safeStart). */
  switchOffAtConnect: boolean;
}

export type SerialLaserFraming = Pick<
  SerialFraming,
  'commandTerminator' | 'replyTerminator' | 'vendorError'
>;

export abstract class SerialLaserBase<O extends SerialLaserOptions> {
  readonly kind = 'laser' as const;
  readonly link: SerialLink;
  protected deviceWavelengthNm: number | undefined;
  protected deviceMaxPowerMw: number | undefined;
  protected readonly log: DriverContext['log'];

  protected constructor(
    readonly id: string,
    protected readonly o: O,
    ctx: Pick<DriverContext, 'simWorld' | 'log'>,
    framing: SerialLaserFraming,
  ) {
    this.log = (level, message) => ctx.log(level, message);
    this.link = new SerialLink({
      id,
      port: o.port,
      simWorld: () => ctx.simWorld(),
      simParams: { wavelengthNm: o.wavelengthNm, maxPowerMw: o.maxPowerMw },
      log: (level, message) => ctx.log(level, message),
      transport: { baudRate: o.baudRate, timeoutMs: o.timeoutMs, ...framing },
      init: (t) => this.init(t),
    });
  }

  /** Puts the head in a known state and reads its identity, wavelength and max power. */
  protected abstract init(t: SerialTransport): Promise<DeviceIdentity>;

  /**
   * The safe start, run by `init` at every (re)connect before any mode command: emission
   * off unless `switchOffAtConnect` is false (logged), then emission read back. Returns
   * whether the head emits, so that `init` never sends mode commands to an emitting laser.
   */
  protected async safeStart(
    switchOff: () => Promise<void>,
    readEmission: () => Promise<boolean>,
  ): Promise<boolean> {
    if (this.o.switchOffAtConnect) await switchOff();
    else
      this.log(
        'warn',
        `${this.id}: options.switchOffAtConnect is false: emission is left as found at connect`,
      );
    const emitting = await readEmission();
    if (emitting) {
      this.log(
        'warn',
        `${this.id}: emitting at connect; no mode or autostart command is sent to an emitting laser`,
      );
    }
    return emitting;
  }

  get wavelengthNm(): number {
    return this.deviceWavelengthNm ?? this.o.wavelengthNm ?? 0;
  }

  /** 0 until connected unless configured. */
  get maxPowerMw(): number {
    const dev = this.deviceMaxPowerMw;
    if (dev === undefined) return this.o.maxPowerMw ?? 0;
    return this.o.maxPowerMw === undefined ? dev : Math.min(dev, this.o.maxPowerMw);
  }

  connect(): Promise<DeviceIdentity> {
    return this.link.connect();
  }
  disconnect(): Promise<void> {
    return this.link.disconnect();
  }
  subscribe(listener: (event: DeviceEvent) => void): Unsubscribe {
    return this.link.events.subscribe(listener);
  }
}
