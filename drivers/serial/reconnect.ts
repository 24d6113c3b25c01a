/**
 * Polls an open function until it succeeds, with exponential backoff capped at
 * `maxDelayMs`, for at most `maxWaitMs` (or until cancelled). One poll loop at a time.
 */
import { DisconnectedError } from '../errors';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

const defaults: BackoffOptions = { initialDelayMs: 100, maxDelayMs: 2_000 };

export function backoffDelays(options: BackoffOptions, count: number): number[] {
  const out: number[] = [];
  let d = options.initialDelayMs;
  for (let i = 0; i < count; i++) {
    out.push(d);
    d = Math.min(options.maxDelayMs, d * 2);
  }
  return out;
}

export class Reconnector {
  private readonly backoff: BackoffOptions;
  private running: Promise<void> | undefined;
  private cancelled = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly tryOpen: () => Promise<void>,
    backoff: Partial<BackoffOptions> = {},
  ) {
    this.backoff = { ...defaults, ...backoff };
  }

  /** Joins a poll loop already running (e.g. the automatic one), still bounded by `maxWaitMs`. */
  run(maxWaitMs?: number): Promise<void> {
    this.cancelled = false;
    const running = (this.running ??= this.loop(maxWaitMs).finally(() => {
      this.running = undefined;
    }));
    if (maxWaitMs === undefined) return running;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DisconnectedError(`port did not return within ${maxWaitMs} ms`)),
        maxWaitMs + 50,
      );
    });
    return Promise.race([running, deadline]).finally(() => clearTimeout(timer));
  }

  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  private async loop(maxWaitMs: number | undefined): Promise<void> {
    const start = performance.now();
    let delayMs = this.backoff.initialDelayMs;
    let lastError: unknown;
    for (;;) {
      if (this.cancelled) throw new DisconnectedError('reconnect cancelled: the port was closed');
      try {
        await this.tryOpen();
        return;
      } catch (err) {
        lastError = err;
      }
      const elapsed = performance.now() - start;
      if (maxWaitMs !== undefined && elapsed + delayMs > maxWaitMs) {
        throw lastError instanceof Error
          ? lastError
          : new DisconnectedError(`port did not return within ${maxWaitMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delayMs);
        // A background poll (no deadline) must not keep the process alive on its own.
        if (maxWaitMs === undefined) t.unref();
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
      delayMs = Math.min(this.backoff.maxDelayMs, delayMs * 2);
    }
  }
}
