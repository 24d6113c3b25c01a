/**
 * Stops a live view nobody watches: once live has run for `idleS` seconds with no client
 * following the host (every WebSocket and IPC client gone), live is stopped the way
 * `camera.stopLive` stops it (every line off), with a warning in the log and the reason in
 * `AppState.shutter.liveStopReason`. Checked on a timer (a quarter of `idleS`, at most 1 s).
 */
import type { Logger } from './logger';

export interface LiveIdleDeps {
  idleS: number;
  isLive(): boolean;
  /** Clients following the host now. */
  watchers(): number;
  /** Stops live with every line off; the reason is what the operator will read. */
  stop(reason: string): Promise<void>;
  log: Logger;
}

export class LiveIdleStop {
  private readonly timer: NodeJS.Timeout;
  private idleSinceMs: number | null = null;
  private stopping = false;

  constructor(private readonly deps: LiveIdleDeps) {
    const everyMs = Math.min(1_000, (deps.idleS * 1_000) / 4);
    this.timer = setInterval(() => void this.check(), everyMs);
    this.timer.unref?.();
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const { idleS, isLive, watchers, stop, log } = this.deps;
    if (!isLive() || watchers() > 0 || this.stopping) {
      this.idleSinceMs = null;
      return;
    }
    const now = Date.now();
    this.idleSinceMs ??= now;
    if (now - this.idleSinceMs < idleS * 1_000) return;
    this.stopping = true;
    const reason = `Live view stopped: no client watched it for ${idleS} s (liveIdleStopS); light off`;
    try {
      await stop(reason);
      log.log('warn', reason);
    } catch (err) {
      log.log('error', `Live view without clients could not be stopped: ${(err as Error).message}`);
    } finally {
      this.stopping = false;
      this.idleSinceMs = null;
    }
  }
}
