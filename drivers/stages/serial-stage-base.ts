/**
 * What every serial stage controller does the same way: resolve the `port` option (a path
 * or `sim:<name>`), open a SerialTransport with the vendor's framing, relay connection
 * changes to both devices, and re-run the vendor's initialisation after the port returns.
 */
import type { ConnectionState, DeviceIdentity } from '../devices';
import { DisconnectedError } from '../errors';
import type { DriverContext } from '../driver-types';
import { SerialTransport, type SerialFraming } from '../serial/transport';
import { PortEndpoint } from '../wire-sim/port-endpoint';

export interface SerialStageSettings {
  port: string;
  baudRate: number;
  timeoutMs: number;
}

type Listener = (state: ConnectionState, error?: Error) => void;

export abstract class SerialStageBase {
  readonly endpoint: PortEndpoint;
  private current: SerialTransport | undefined;
  private readonly listeners = new Set<Listener>();
  private unsubscribe: (() => void) | undefined;
  private wasConnected = false;

  constructor(
    protected readonly settings: SerialStageSettings,
    protected readonly label: string,
    protected readonly ctx: DriverContext,
    private readonly framing: SerialFraming,
  ) {
    this.endpoint = new PortEndpoint(settings.port, label, () => ctx.simWorld());
  }

  /** Vendor initialisation and identification; runs at open and after every reconnect. */
  protected abstract initialise(): Promise<DeviceIdentity>;

  /** Called with every line nobody asked for (e.g. Prior's end-of-move `R`). */
  protected onUnsolicited(_text: string): void {}

  /** Called when the port is lost or closed: fail whatever waits on the controller. */
  protected onLost(_error: Error): void {}

  protected get transport(): SerialTransport {
    if (!this.current) throw new DisconnectedError(`${this.label}: not connected`);
    return this.current;
  }

  isConnected(): boolean {
    return this.current?.isOpen === true;
  }

  onConnection(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async open(): Promise<DeviceIdentity> {
    const path = await this.endpoint.acquire();
    const transport = new SerialTransport({
      ...this.framing,
      path,
      baudRate: this.settings.baudRate,
      timeoutMs: this.settings.timeoutMs,
      label: this.label,
      log: (level, message) => this.ctx.log(level, message),
      onUnsolicited: (text) => this.onUnsolicited(text),
    });
    this.current = transport;
    try {
      await transport.open();
      const identity = await this.initialise();
      this.wasConnected = true;
      this.unsubscribe = transport.onConnection((state, error) => this.relay(state, error));
      // A sibling device that stayed subscribed through a re-open learns it is back.
      this.emit('connected');
      return identity;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const t = this.current;
    this.current = undefined;
    this.wasConnected = false;
    this.onLost(new DisconnectedError(`${this.label}: port ${this.settings.port} was closed`));
    await t?.close();
    await this.endpoint.release();
  }

  private relay(state: ConnectionState, error?: Error): void {
    if (state !== 'connected') {
      if (state === 'disconnected' || error) this.onLost(error ?? new Error('port lost'));
      this.emit(state, error);
      return;
    }
    if (!this.wasConnected) return;
    // The port came back: the controller may have power-cycled, so set it up again first.
    this.initialise().then(
      () => this.emit('connected'),
      (err: unknown) => {
        this.ctx.log('warn', `${this.label}: re-initialisation failed: ${String(err)}`);
        this.emit('connected', err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private emit(state: ConnectionState, error?: Error): void {
    for (const l of [...this.listeners]) l(state, error);
  }
}
