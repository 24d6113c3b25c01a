/** Minimal leveled logger. Messages must never contain credentials (callers redact). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function consoleLogger(
  minLevel: LogLevel = (process.env.AQUILA_LOG as LogLevel) || 'info',
): Logger {
  const min = order[minLevel] ?? order.info;
  return {
    log(level, message) {
      if (order[level] < min) return;
      process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
