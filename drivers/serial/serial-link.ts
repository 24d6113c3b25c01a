/**
 * The connection half of a serial device driver: resolves the `port` option (a path or
 * `sim:<name>`), owns the SerialTransport, re-runs the driver's `init` after every
 * (re)connect and mirrors the connection state into the device's events.
 *
 *   const link = new SerialLink({ id, port, simWorld: ctx.simWorld, log: ctx.log,
 *     transport: { baudRate, commandTerminator: '\r', replyTerminator: '\r\n', timeoutMs: 500 },
 *     init: async (t) => identityFromDevice(t) });
 *   connect() { return link.connect(); }  disconnect() { return link.disconnect(); }
 *   subscribe = link.events.subscribe.bind(link.events);
 *   link.transport.request(…)   // throws DisconnectedError unless connected
 */
import type { DeviceIdentity } from '../devices';
import { DeviceEvents } from '../device-events';
import { DisconnectedError } from '../errors';
import type { SimWorld } from '../sim/world';
import { PortEndpoint } from '../wire-sim/port-endpoint';
import type { RunningWireSim } from '../wire-sim/run-sim';
import { SerialTransport, type SerialTransportOptions, type TransportLog } from './transport';

export interface SerialLinkOptions {
  id: string;
  /** Device path, or `sim:<wire-simulator-name>`. */
  port: string;
  simWorld: () => SimWorld;
  /** For a `sim:` port: what the simulated hardware should be (e.g. a laser's wavelength). */
  simParams?: Record<string, unknown>;
  log?: TransportLog;
  transport: Omit<SerialTransportOptions, 'path' | 'label' | 'log'>;
  /** Identifies the device and puts it in a known state; runs after every (re)connect. */
  init: (transport: SerialTransport) => Promise<DeviceIdentity>;
}

export class SerialLink {
  readonly events = new DeviceEvents();
  readonly endpoint: PortEndpoint;
  identity: DeviceIdentity | undefined;
  private current: SerialTransport | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: SerialLinkOptions) {
    this.endpoint = new PortEndpoint(
      options.port,
      options.id,
      options.simWorld,
      options.simParams ?? {},
    );
  }

  /** The open transport; throws DisconnectedError while not connected. */
  get transport(): SerialTransport {
    const t = this.current;
    if (!t || this.events.state !== 'connected' || !t.isOpen) {
      throw new DisconnectedError(
        `${this.options.id} is not connected (port ${this.options.port})`,
      );
    }
    return t;
  }

  /** The wire simulator behind a `sim:` port, while connected. */
  get simulator(): RunningWireSim | undefined {
    return this.endpoint.simulator;
  }

  async connect(): Promise<DeviceIdentity> {
    if (this.events.state === 'connected' && this.identity) return this.identity;
    this.events.setConnection('connecting');
    try {
      const path = await this.endpoint.acquire();
      const t = (this.current ??= this.makeTransport(path));
      await t.open();
      this.identity = await this.options.init(t);
      this.events.setConnection('connected');
      return this.identity;
    } catch (err) {
      await this.teardown();
      this.events.setConnection('disconnected', err as Error);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    await this.teardown();
    this.events.setConnection('disconnected');
  }

  private makeTransport(path: string): SerialTransport {
    const t = new SerialTransport({
      ...this.options.transport,
      path,
      label: this.options.id,
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    this.unsubscribe = t.onConnection((state, error) => {
      if (this.current !== t) return;
      if (state === 'disconnected') this.events.setConnection('disconnected', error);
      else if (state === 'connected' && this.identity) void this.reinit(t);
    });
    return t;
  }

  /** After an automatic re-open: identify again, then report connected. */
  private async reinit(t: SerialTransport): Promise<void> {
    try {
      this.identity = await this.options.init(t);
      if (this.current === t) this.events.setConnection('connected');
    } catch (err) {
      this.options.log?.(
        'warn',
        `${this.options.id}: re-initialisation failed: ${(err as Error).message}`,
      );
      this.events.setConnection('disconnected', err as Error);
    }
  }

  private async teardown(): Promise<void> {
    const t = this.current;
    this.current = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await t?.close();
    await this.endpoint.release();
  }
}
