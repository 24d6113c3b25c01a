/**
 * The Electron transport: named verbs on `window.aquila` (preload contextBridge) for
 * calls and the state stream, and a MessagePort for frames that the preload hands over
 * with `window.postMessage({type: 'aquila:frame-port'}, '*', [port])`. Only messages whose
 * `source` is this window are accepted, so another frame cannot inject a port.
 */
import type { CommandName, CommandParams, CommandResult } from '../../electron/api/contract';
import type { AquilaBridge, CallOutcome, FRAME_PORT_MESSAGE } from '../../electron/api/bridge';
import type { ClientMessage, HostMessage, ViewMessage } from '../../electron/api/messages';
import { HostCallError, transportError } from './call-error';
import type { ConnectionListener, HostConnection } from './host-connection';

const FRAME_PORT: typeof FRAME_PORT_MESSAGE = 'aquila:frame-port';

interface PortMessageEvent {
  source: unknown;
  data: unknown;
  ports: readonly MessagePort[];
}

/** The part of `window` used here; tests pass a stand-in. */
export interface WindowLike {
  addEventListener(type: 'message', fn: (ev: PortMessageEvent) => void): void;
  removeEventListener(type: 'message', fn: (ev: PortMessageEvent) => void): void;
}

export class ElectronConnection implements HostConnection {
  readonly transport = 'electron' as const;
  private listener: ConnectionListener | null = null;
  private unsubscribe: (() => void) | null = null;
  private port: MessagePort | null = null;
  private framesEnabled = false;
  /** Re-sent when a new frame port arrives, before frames are asked for. */
  private view: ViewMessage | null = null;

  /**
   * Construct this as early as possible (before React renders): the port message is
   * dispatched once and is lost if no listener is installed yet.
   */
  constructor(
    private readonly bridge: AquilaBridge,
    private readonly win: WindowLike,
  ) {
    this.win.addEventListener('message', this.onWindowMessage);
  }

  start(listener: ConnectionListener): void {
    this.listener = listener;
    this.subscribe();
  }

  async call<N extends CommandName>(name: N, args: CommandParams<N>): Promise<CommandResult<N>> {
    const verb = this.bridge.commands[name] as unknown as
      ((a: CommandParams<N>) => Promise<CallOutcome<CommandResult<N>>>) | undefined;
    if (typeof verb !== 'function') {
      throw transportError('UNKNOWN_COMMAND', `${name}: the preload bridge has no such verb.`);
    }
    const outcome = await verb(args);
    if (outcome.ok) return outcome.value;
    throw new HostCallError(outcome.error);
  }

  setFramesEnabled(enabled: boolean): void {
    this.framesEnabled = enabled;
    this.post({ type: 'frames', enabled });
  }

  ackFrame(seq: number): void {
    this.post({ type: 'frame.ack', seq });
  }

  /** Local frames need no pacing: chunks are never asked for on the port. */
  setView(message: ViewMessage): void {
    this.view = { ...message, chunks: false };
    this.post(this.view);
  }

  readPixel(id: number, x: number, y: number): void {
    this.post({ type: 'pixel.read', id, x, y });
  }

  resync(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.subscribe();
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.win.removeEventListener('message', this.onWindowMessage);
    this.port?.close();
    this.port = null;
    this.listener?.status({ state: 'disconnected', detail: 'closed', transport: this.transport });
    this.listener = null;
  }

  private subscribe(): void {
    const listener = this.listener;
    if (!listener) return;
    listener.status({ state: 'connecting', detail: null, transport: this.transport });
    // The bridge sends `hello` on subscribe; the link is up once it arrives.
    let sawHello = false;
    this.unsubscribe = this.bridge.onHostMessage((message) => {
      if (!sawHello && message.type === 'hello') {
        sawHello = true;
        listener.status({ state: 'connected', detail: null, transport: this.transport });
      }
      listener.hostMessage(message);
    });
  }

  private post(message: ClientMessage): void {
    this.port?.postMessage(message);
  }

  private readonly onWindowMessage = (ev: PortMessageEvent): void => {
    if (ev.source !== this.win) return;
    const data = ev.data as { type?: unknown } | null;
    if (!data || data.type !== FRAME_PORT) return;
    const port = ev.ports[0];
    if (!port) return;
    this.port?.close();
    this.port = port;
    port.onmessage = (m: MessageEvent) => {
      const data: unknown = m.data;
      if (data instanceof ArrayBuffer) this.listener?.frame(data);
      else if (ArrayBuffer.isView(data)) {
        // A typed array (e.g. a Node Buffer cloned by the host): copy out its bytes so the
        // decoder sees the frame at offset 0 with its 8-byte pixel alignment.
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        this.listener?.frame(bytes.slice().buffer);
      } else if ((data as { type?: unknown } | null)?.type === 'pixel') {
        // The answer to readPixel comes back on the port it was asked on.
        this.listener?.hostMessage(data as Extract<HostMessage, { type: 'pixel' }>);
      }
    };
    port.start();
    if (this.view) this.post(this.view);
    if (this.framesEnabled) this.post({ type: 'frames', enabled: true });
  };
}
