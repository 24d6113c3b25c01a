/** Options of SerialTransport and of its requests (see transport.ts for the API). */
import type { DeviceError } from '../errors';
import type { ReplyShape, ReplyTerminator } from './framing';
import type { SerialSettings } from './open-port';
import type { BackoffOptions } from './reconnect';

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
  /** How often to check that a `/dev/…` path still exists (see presence.ts), ms; 0 = never. Default 100. */
  presenceCheckMs?: number;
  /** After a timeout, the next command waits for this long a silence first, ms. Default 30. */
  resyncQuietMs?: number;
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
