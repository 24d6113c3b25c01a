/**
 * Minimal leveled logger. Every line passes `redactCredentials` first, so a secret that
 * reaches a message by accident (a request URL with `?token=`, an Authorization header) never
 * reaches stderr or the WebSocket clients that see non-debug log events.
 */
import { redact } from '../upload/errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Secrets known to this process (the remote token); see `registerSecret`. */
const secrets = new Set<string>();

/** Redacts `secret` from every later log line until the returned function is called. */
export function registerSecret(secret: string): () => void {
  secrets.add(secret);
  return () => secrets.delete(secret);
}

/**
 * `text` with every registered secret, every `…token=<value>` / `…session=<value>` (query
 * strings, cookies) and
 * every `Bearer <value>` replaced by `[redacted]` — the patterns also catch wrong tokens,
 * which are often a typo of the real one.
 */
export function redactCredentials(text: string): string {
  return redact(text, [...secrets])
    .replace(/((?:token|session)=)[^&\s;,"']+/gi, '$1[redacted]')
    .replace(/(bearer\s+)[^\s,"']+/gi, '$1[redacted]');
}

export function consoleLogger(
  minLevel: LogLevel = (process.env.AQUILA_LOG as LogLevel) || 'info',
): Logger {
  const min = order[minLevel] ?? order.info;
  return {
    log(level, message) {
      if (order[level] < min) return;
      process.stderr.write(
        `${new Date().toISOString()} ${level.toUpperCase()} ${redactCredentials(message)}\n`,
      );
    },
  };
}

export const silentLogger: Logger = { log() {} };
