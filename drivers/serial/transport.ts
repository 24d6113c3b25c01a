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
 * Errors: TimeoutError (no byte within the time), ProtocolError (incomplete or unparseable
 * reply; `details.raw`), DeviceError (from `vendorError`), DisconnectedError (port closed or
 * vanished; in-flight and queued commands all get it). Before each command, bytes that
 * arrived while idle are discarded (and passed to `onUnsolicited`). Retries apply only to
 * TimeoutError/ProtocolError and only when the caller marks the command idempotent by
 * giving `idempotentRetries`.
 */
import { stat } from 'node:fs';
import type { SerialPort } from 'serialport';
import type { ConnectionState, Unsubscribe } from '../devices';
import type { DeviceError } from '../errors';
import { AquilaError, DisconnectedError, ProtocolError, TimeoutError } from '../errors';
import {
  LineSplitter,
  isReplyComplete,
  printable,
  type ReplyShape,
  type ReplyTerminator,
} from './framing';
import { openSerialPort, type SerialSettings } from './open-port';
import { Reconnector, type BackoffOptions } from './reconnect';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type TransportLog = (level: LogLevel, message: string) => void;

export interface SerialFraming {
  /** Appended to every command, e.g. `'\r'`. */
  commandTerminator: string;
  replyTerminator: ReplyTerminator;
  /** Maps a complete reply to the vendor's error (with code and meaning), if it is one. */
  vendorError?: (lines: readonly string[], command: string) => DeviceError | undefined;
}

export interface SerialTransportOptions extends SerialSettings, SerialFraming {
  /** Default per-command timeout, ms: the longest the device may take to answer. */
  timeoutMs: number;
  /** Names the device in messages and logs (the config's device id). */
  label?: string;
  log?: TransportLog;
  onUnsolicited?: (text: string) => void;
  /** Re-open automatically when the port vanishes, polling with this backoff. Default on. */
  autoReconnect?: boolean | Partial<BackoffOptions>;
  /**
   * How often to check that a device-file path (`/dev/…`) still exists, ms; 0 = never.
   * Needed because a hung-up tty (unplugged adapter, killed socat) reads as endless EOF,
   * which `serialport` 13 retries instead of reporting a disconnect. Default 100.
   */
  presenceCheckMs?: number;
}

export interface RequestOptions<T> {
  /** Reply shape: line count (default 1; 0 = no reply) or a completion predicate. */
  reply?: ReplyShape;
  timeoutMs?: number;
  /** Extra attempts after a TimeoutError/ProtocolError. Give it only for idempotent queries. */
  idempotentRetries?: number;
  /** Turns the lines into a value; a thrown non-Aquila error becomes a ProtocolError. */
  parse?: (lines: string[]) => T;
}

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
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<ConnectionListener>();
  private readonly reconnector: Reconnector;
  private closedByUser = true;
  private presenceTimer: NodeJS.Timeout | undefined;
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
          throw new ProtocolError(
            `${this.label}: cannot parse the reply to "${printable(command)}": ${(err as Error).message}`,
            { command, raw: lines.join('\n') },
          );
        }
      } catch (err) {
        const retriable = err instanceof TimeoutError || err instanceof ProtocolError;
        if (!retriable || attempt >= retries || !this.isOpen) throw err;
        this.log('warn', `retrying "${printable(command)}" after: ${(err as Error).message}`);
      }
    }
  }

  private exchange(command: string, options: RequestOptions<unknown>): Promise<string[]> {
    const port = this.port;
    if (!port || this.state !== 'connected') {
      return Promise.reject(
        new DisconnectedError(`${this.label}: not connected (port ${this.options.path})`, {
          path: this.options.path,
        }),
      );
    }
    this.discardIdleBytes();
    const shape = options.reply ?? 1;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => this.onTimeout(timeoutMs), timeoutMs);
      this.inFlight = {
        command,
        shape,
        lines: [],
        finish: (err, lines) => {
          clearTimeout(timer);
          this.inFlight = undefined;
          if (err) reject(err);
          else resolve(lines ?? []);
        },
      };
      const bytes = command + this.options.commandTerminator;
      this.log('debug', `tx "${printable(bytes)}"`);
      port.write(Buffer.from(bytes, 'latin1'), (err) => {
        if (err) {
          if (this.port === port) this.onVanished(err);
        } else if (shape === 0) this.inFlight?.finish(undefined, []);
      });
    });
  }

  private onData(chunk: Buffer): void {
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
    const partial = this.splitter.clear();
    const raw = [...current.lines, partial].filter((s) => s !== '').join('\n');
    const details = { command: current.command, timeoutMs, path: this.options.path, raw };
    if (raw !== '') {
      current.finish(
        new ProtocolError(
          `${this.label}: incomplete reply to "${printable(current.command)}" after ${timeoutMs} ms: "${printable(raw)}"`,
          details,
        ),
      );
    } else {
      current.finish(
        new TimeoutError(
          `${this.label}: no reply to "${printable(current.command)}" within ${timeoutMs} ms; check cable, power and baud rate`,
          details,
        ),
      );
    }
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
    this.watchPresence(port);
    this.log('info', `opened ${this.options.path} at ${this.options.baudRate} baud`);
    this.setState('connected');
  }

  private watchPresence(port: SerialPort): void {
    const everyMs = this.options.presenceCheckMs ?? 100;
    if (everyMs <= 0 || !this.options.path.startsWith('/')) return;
    this.presenceTimer = setInterval(() => {
      stat(this.options.path, (err) => {
        if (err?.code === 'ENOENT' && this.port === port) {
          this.onVanished(new Error('the device path disappeared'));
        }
      });
    }, everyMs);
    this.presenceTimer.unref();
  }

  private onVanished(cause: Error): void {
    const err = this.disconnectedError('port vanished', cause);
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
    clearInterval(this.presenceTimer);
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

  private disconnectedError(what: string, cause: Error): DisconnectedError {
    return new DisconnectedError(
      `${this.label}: ${what} on ${this.options.path} (${cause.message}); it re-opens when the port returns`,
      { path: this.options.path, reason: cause.message },
    );
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
