/**
 * Serial transport: one command in flight, per-command timeouts, framing per device,
 * typed errors, reconnect.
 *
 * API (used by every vendor driver):
 *   const t = new SerialTransport({ path, baudRate, commandTerminator: '\r',
 *     replyTerminator: '\r\n', timeoutMs: 500, label: 'stage', log, vendorError });
 *   await t.open();
 *   const lines = await t.request('W X Y');                      // one reply line
 *   await t.request('M X=1', { timeoutMs: 30_000 });             // move that replies at completion
 *   await t.request('?', { reply: untilLine(/^END$/) });         // multi-line reply
 *   await t.request('l1', { reply: 0 });                         // no reply expected
 *   const v = await t.request('p?', { parse: (l) => num(l[0]), idempotentRetries: 2 });
 *   t.onConnection((state, err) => …); await t.reconnect(5_000); await t.close();
 *
 * Errors: TimeoutError, ProtocolError (`details.raw`), DeviceError (`vendorError`),
 * DisconnectedError (in-flight and queued commands). Idle bytes are discarded before each
 * command (`onUnsolicited`). Retries: TimeoutError/ProtocolError, `idempotentRetries` only.
 * More in docs/drivers/serial-transport.md.
 */
import type { SerialPort } from 'serialport';
import type { ConnectionState, Unsubscribe } from '../devices';
import { AquilaError, DisconnectedError, ProtocolError, TimeoutError } from '../errors';
import { watchPresence } from './presence';
import {
  noCompleteReplyError,
  notConnectedError,
  unparseableReplyError,
  vanishedError,
} from './transport-errors';
import { LineSplitter, isReplyComplete, printable, type ReplyShape } from './framing';
import { openSerialPort } from './open-port';
import { Reconnector } from './reconnect';
import type { LogLevel, RequestOptions, SerialTransportOptions } from './transport-options';

export type {
  LogLevel,
  RequestOptions,
  SerialFraming,
  SerialTransportOptions,
  TransportLog,
} from './transport-options';

interface InFlight {
  command: string;
  shape: ReplyShape;
  lines: string[];
  finish: (err: Error | undefined, lines?: string[]) => void;
}

type ConnectionListener = (state: ConnectionState, error?: Error) => void;

export class SerialTransport {
  private port: SerialPort | undefined;
  private readonly splitter: LineSplitter;
  private inFlight: InFlight | undefined;
  /** performance.now() of the last byte received. */
  private lastRxMs = 0;
  /** Set after a timeout: a late reply may still be on its way. */
  private resyncPending = false;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<ConnectionListener>();
  private readonly reconnector: Reconnector;
  private closedByUser = true;
  private stopPresence: () => void = () => undefined;
  state: ConnectionState = 'disconnected';

  constructor(readonly options: SerialTransportOptions) {
    this.splitter = new LineSplitter(options.replyTerminator);
    const auto = options.autoReconnect ?? true;
    this.reconnector = new Reconnector(() => this.openOnce(), typeof auto === 'object' ? auto : {});
  }

  get label(): string {
    return this.options.label ?? this.options.path;
  }

  get isOpen(): boolean {
    return this.state === 'connected';
  }

  onConnection(listener: ConnectionListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the port once; rejects with a DisconnectedError naming the port (missing, busy…). */
  async open(): Promise<void> {
    if (this.state === 'connected') return;
    this.closedByUser = false;
    this.setState('connecting');
    try {
      await this.openOnce();
    } catch (err) {
      this.setState('disconnected', err as Error);
      throw err;
    }
  }

  /**
   * Polls for the port and re-opens it, with bounded backoff, for at most `maxWaitMs`
   * (forever if omitted, until close()). Rejects with the last open error on give-up.
   */
  async reconnect(maxWaitMs?: number): Promise<void> {
    if (this.state === 'connected') return;
    this.closedByUser = false;
    this.setState('connecting');
    try {
      await this.reconnector.run(maxWaitMs);
    } catch (err) {
      this.setState('disconnected', err as Error);
      throw err;
    }
  }

  /** Closes the port; in-flight and queued commands reject with DisconnectedError. */
  async close(): Promise<void> {
    this.closedByUser = true;
    this.reconnector.cancel();
    await this.dropPort(
      new DisconnectedError(`${this.label}: port ${this.options.path} was closed`),
    );
    this.setState('disconnected');
  }

  /** Sends `command` (terminator added) and resolves with the reply lines (or parse()'s value). */
  request(command: string): Promise<string[]>;
  request<T = string[]>(command: string, options: RequestOptions<T>): Promise<T>;
  request<T>(command: string, options: RequestOptions<T> = {}): Promise<T> {
    const run = this.tail.then(() => this.runWithRetries(command, options));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runWithRetries<T>(command: string, options: RequestOptions<T>): Promise<T> {
    const retries = Math.max(0, Math.min(5, options.idempotentRetries ?? 0));
    for (let attempt = 0; ; attempt++) {
      try {
        const lines = await this.exchange(command, options);
        if (!options.parse) return lines as T;
        try {
          return options.parse(lines);
        } catch (err) {
          if (err instanceof AquilaError) throw err;
          throw unparseableReplyError(this.label, command, lines, err as Error);
        }
      } catch (err) {
        const retriable = err instanceof TimeoutError || err instanceof ProtocolError;
        if (!retriable || attempt >= retries || !this.isOpen) throw err;
        this.log('warn', `retrying "${printable(command)}" after: ${(err as Error).message}`);
      }
    }
  }

  /** After a timeout: wait for `resyncQuietMs` of silence (≤ maxMs) so a late reply is discarded. */
  private async resync(maxMs: number): Promise<void> {
    const quietMs = this.options.resyncQuietMs ?? 30;
    const start = performance.now();
    for (;;) {
      const now = performance.now();
      const silentMs = now - Math.max(this.lastRxMs, start);
      if (silentMs >= quietMs || now - start >= maxMs) break;
      await new Promise((r) => setTimeout(r, quietMs - silentMs));
    }
    this.resyncPending = false;
  }

  private async exchange(command: string, options: RequestOptions<unknown>): Promise<string[]> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    if (this.resyncPending) await this.resync(timeoutMs);
    const port = this.port;
    if (!port || this.state !== 'connected') throw notConnectedError(this.label, this.options.path);
    this.discardIdleBytes();
    const shape = options.reply ?? 1;
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => this.onTimeout(timeoutMs), timeoutMs);
      const flight: InFlight = {
        command,
        shape,
        lines: [],
        finish: (err, lines) => {
          clearTimeout(timer);
          // Only this command's slot: a late finish must not clear the next command's.
          if (this.inFlight === flight) this.inFlight = undefined;
          if (err) reject(err);
          else resolve(lines ?? []);
        },
      };
      this.inFlight = flight;
      const bytes = command + this.options.commandTerminator;
      this.log('debug', `tx "${printable(bytes)}"`);
      port.write(Buffer.from(bytes, 'latin1'), (err) => {
        if (err) {
          if (this.port === port) this.onVanished(err);
        } else if (shape === 0 && this.inFlight === flight) flight.finish(undefined, []);
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.lastRxMs = performance.now();
    this.log('debug', `rx "${printable(chunk.toString('latin1'))}"`);
    const lines = this.splitter.push(chunk);
    let i = 0;
    const current = this.inFlight;
    if (current) {
      while (i < lines.length && !isReplyComplete(current.shape, current.lines)) {
        current.lines.push(lines[i++] as string);
      }
      if (isReplyComplete(current.shape, current.lines)) {
        const vendorErr = this.options.vendorError?.(current.lines, current.command);
        current.finish(vendorErr, current.lines);
      }
    }
    if (i < lines.length) this.unsolicited(lines.slice(i).join('\n'));
  }

  private onTimeout(timeoutMs: number): void {
    const current = this.inFlight;
    if (!current) return;
    this.resyncPending = true;
    const raw = [...current.lines, this.splitter.clear()].filter((x) => x !== '').join('\n');
    current.finish(
      noCompleteReplyError(this.label, current.command, timeoutMs, this.options.path, raw),
    );
  }

  private discardIdleBytes(): void {
    const partial = this.splitter.clear();
    if (partial !== '') this.unsolicited(partial);
  }

  private unsolicited(text: string): void {
    this.log('debug', `discarded unsolicited "${printable(text)}"`);
    this.options.onUnsolicited?.(text);
  }

  private async openOnce(): Promise<void> {
    const port = await openSerialPort(this.options);
    if (this.closedByUser) {
      await new Promise<void>((r) => port.close(() => r()));
      throw new DisconnectedError(`${this.label}: closed while opening ${this.options.path}`);
    }
    this.port = port;
    this.splitter.clear();
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', (err: Error) => this.log('warn', `port error: ${err.message}`));
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (this.port !== port) return;
      this.onVanished(err ?? new Error('port closed'));
    });
    this.stopPresence = watchPresence(
      this.options.path,
      this.options.presenceCheckMs ?? 100,
      () => {
        if (this.port === port) this.onVanished(new Error('the device path disappeared'));
      },
    );
    this.log('info', `opened ${this.options.path} at ${this.options.baudRate} baud`);
    this.setState('connected');
  }

  private onVanished(cause: Error): void {
    const err = vanishedError(this.label, 'port vanished', this.options.path, cause);
    void this.dropPort(err);
    this.log('warn', err.message);
    this.setState('disconnected', err);
    if (!this.closedByUser && this.options.autoReconnect !== false) {
      this.setState('connecting');
      this.reconnector.run().catch((e: unknown) => {
        this.setState('disconnected', e as Error);
      });
    }
  }

  /** Forgets the port, fails the command in flight; resolves when the port is closed. */
  private dropPort(err: DisconnectedError): Promise<void> {
    this.stopPresence();
    const port = this.port;
    this.port = undefined;
    let closed = Promise.resolve();
    if (port) {
      port.removeAllListeners('data');
      // Closing also ends serialport's read loop on a hung-up tty.
      if (port.isOpen) closed = new Promise<void>((r) => port.close(() => r()));
    }
    this.inFlight?.finish(err);
    this.splitter.clear();
    return closed;
  }

  private setState(state: ConnectionState, error?: Error): void {
    if (state === this.state && !error) return;
    this.state = state;
    for (const l of [...this.listeners]) {
      try {
        l(state, error);
      } catch {
        // a listener's failure must not break the transport
      }
    }
  }

  private log(level: LogLevel, message: string): void {
    this.options.log?.(level, `[${this.label}] ${message}`);
  }
}
