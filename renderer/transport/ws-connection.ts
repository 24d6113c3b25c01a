/**
 * The WebSocket transport (`/api/ws` on the page's own origin). The server authenticates
 * the upgrade with an HttpOnly cookie set when the page was opened with `?token=…`; it
 * closes with code 4401 when that is missing or wrong. A handshake refused with HTTP 401
 * surfaces in browsers only as an abnormal close, so a connection that fails before
 * opening asks `probeUnauthorised` (a plain GET of the same path) before retrying.
 * Every other loss reconnects with backoff; every call waits at most `callTimeoutMs`.
 */
import type { CommandName, CommandParams, CommandResult } from '../../electron/api/contract';
import type { ClientMessage, HostMessage, ViewMessage } from '../../electron/api/messages';
import { FrameAssembler } from '../frames/frame-chunks';
import { backoffDelayMs } from './backoff';
import { HostCallError, transportError } from './call-error';
import type { ConnectionListener, HostConnection, LinkStatus } from './host-connection';

/** The part of the browser WebSocket API used here (the `ws` package's client fits too). */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void;
}

export interface WsConnectionOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  /** Resolves true when the server answers the endpoint with HTTP 401. */
  probeUnauthorised: () => Promise<boolean>;
  callTimeoutMs?: number;
  backoff?: (attempt: number) => number;
}

export const UNAUTHORISED_CLOSE_CODE = 4401;
const RESYNC_CLOSE_CODE = 4000;
const OPEN = 1;
export const NOT_AUTHORISED_TEXT = 'Not authorised — open the URL with ?token=…';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: HostCallError) => void;
  timer: ReturnType<typeof setTimeout>;
  name: string;
}

export class WsConnection implements HostConnection {
  readonly transport = 'websocket' as const;
  private socket: SocketLike | null = null;
  private listener: ConnectionListener | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private framesEnabled = false;
  /** Re-sent on every (re)connect, before frames are asked for. */
  private view: ViewMessage | null = null;
  /** Set while the view asks for chunked, paced frames. */
  private assembler: FrameAssembler | null = null;
  private closed = false;
  private readonly callTimeoutMs: number;
  private readonly backoff: (attempt: number) => number;

  constructor(private readonly opts: WsConnectionOptions) {
    this.callTimeoutMs = opts.callTimeoutMs ?? 120_000;
    this.backoff = opts.backoff ?? ((a) => backoffDelayMs(a));
  }

  start(listener: ConnectionListener): void {
    this.listener = listener;
    this.connect();
  }

  call<N extends CommandName>(name: N, args: CommandParams<N>): Promise<CommandResult<N>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(
        transportError('NOT_CONNECTED', `${name}: not connected to the host; nothing was sent.`),
      );
    }
    const id = this.nextId++;
    return new Promise<CommandResult<N>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          transportError(
            'CALL_TIMEOUT',
            `${name}: no answer from the host within ${this.callTimeoutMs / 1000} s; check the state before retrying.`,
          ),
        );
      }, this.callTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, name });
      this.send({ type: 'call', id, name, args });
    });
  }

  setFramesEnabled(enabled: boolean): void {
    this.framesEnabled = enabled;
    this.send({ type: 'frames', enabled });
  }

  ackFrame(seq: number): void {
    this.send({ type: 'frame.ack', seq });
  }

  setView(message: ViewMessage): void {
    this.view = message;
    this.assembler = message.chunks ? (this.assembler ?? new FrameAssembler()) : null;
    this.send(message);
  }

  readPixel(id: number, x: number, y: number): void {
    this.send({ type: 'pixel.read', id, x, y });
  }

  resync(reason: string): void {
    if (this.closed) return;
    this.attempt = 0;
    this.socket?.close(RESYNC_CLOSE_CODE, reason.slice(0, 100));
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'client closed');
    this.failPending('Connection closed by the client');
  }

  private send(message: ClientMessage): void {
    const socket = this.socket;
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  private status(state: LinkStatus['state'], detail: string | null): void {
    this.listener?.status({ state, detail, transport: this.transport });
  }

  private connect(): void {
    if (this.closed) return;
    this.retryTimer = null;
    this.status('connecting', this.attempt > 0 ? `attempt ${this.attempt + 1}` : null);
    let opened = false;
    const socket = this.opts.createSocket(this.opts.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      opened = true;
      this.attempt = 0;
      this.status('connected', null);
      if (this.view) this.send(this.view);
      if (this.framesEnabled) this.send({ type: 'frames', enabled: true });
    });
    socket.addEventListener('message', (ev) => this.receive(ev.data));
    // 'error' is always followed by 'close', which handles it; the listener keeps
    // EventEmitter-based sockets (the `ws` client) from treating it as unhandled.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending(
        'Connection lost before the host answered; the command may or may not have run — check the state',
      );
      if (this.closed) return;
      if (ev.code === UNAUTHORISED_CLOSE_CODE) return this.unauthorised();
      if (ev.code === RESYNC_CLOSE_CODE) return this.connect();
      if (!opened) {
        void this.opts.probeUnauthorised().then(
          (is401) => (is401 ? this.unauthorised() : this.scheduleRetry(ev)),
          () => this.scheduleRetry(ev),
        );
        return;
      }
      this.scheduleRetry(ev);
    });
  }

  private unauthorised(): void {
    this.status('unauthorised', NOT_AUTHORISED_TEXT);
  }

  private scheduleRetry(ev: { code: number; reason: string }): void {
    if (this.closed) return;
    const delay = this.backoff(this.attempt++);
    const why = ev.reason
      ? `${ev.reason} (${ev.code})`
      : ev.code === 1006
        ? 'connection lost'
        : `closed (${ev.code})`;
    this.status('disconnected', `${why}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private receiveFrame(data: ArrayBuffer, listener: ConnectionListener): void {
    if (!this.assembler) return listener.frame(data);
    try {
      const got = this.assembler.push(data);
      this.send({ type: 'frame.progress', seq: got.seq, bytes: got.bytes });
      if (got.frame) listener.frame(got.frame);
    } catch (err) {
      listener.hostMessage({
        type: 'event',
        event: { type: 'log', level: 'error', message: String(err), timeMs: Date.now() },
      });
    }
  }

  private receive(data: unknown): void {
    const listener = this.listener;
    if (!listener) return;
    if (data instanceof ArrayBuffer) return this.receiveFrame(data, listener);
    if (typeof data !== 'string') return;
    let message: HostMessage;
    try {
      message = JSON.parse(data) as HostMessage;
    } catch {
      return listener.hostMessage({
        type: 'event',
        event: {
          type: 'log',
          level: 'error',
          message: 'Host sent a non-JSON text message',
          timeMs: Date.now(),
        },
      });
    }
    if (message.type === 'result') {
      const p = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
      if (!p || typeof message.id !== 'number') return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.value);
      else p.reject(new HostCallError(message.error));
      return;
    }
    listener.hostMessage(message);
  }

  private failPending(why: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(transportError('DISCONNECTED', `${p.name}: ${why}.`));
      this.pending.delete(id);
    }
  }
}

/** The endpoint on the page's own origin. */
export function defaultWsUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/ws`;
}
