/**
 * What the upload queue publishes: status snapshots to subscribers (every state change at
 * once, progress at most 4×/s), verified datasets to their listeners, and the resolution of
 * `whenIdle` waiters. Holds no job state of its own: it reads the journal and the queue's
 * per-job `LiveStatus` map.
 */
import type { Logger } from '../host/logger';
import type { Journal } from './journal';
import { liveFor, statusOf, type LiveStatus, type UploadStatus } from './status';

/** A dataset whose every file and manifest are verified on a target (see `onVerified`). */
export interface VerifiedDataset {
  jobId: string;
  /** Absolute path of the local dataset folder. */
  dataset: string;
  target: string;
  /** sha256 (hex) of the dataset's manifest.sha256 as verified on the target. */
  manifestDigest: string;
}

/** Progress-only changes are published at most this often (ms). */
const PROGRESS_EMIT_MS = 250;

export class StatusFeed {
  private readonly listeners = new Set<(s: UploadStatus[]) => void>();
  private readonly verifiedListeners = new Set<(e: VerifiedDataset) => void>();
  private emitTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly journal: Journal,
    private readonly live: ReadonlyMap<string, LiveStatus>,
    private readonly logger?: Logger,
  ) {}

  snapshot(): UploadStatus[] {
    return [...this.journal.jobs.values()].map((job) =>
      statusOf(job, this.live.get(job.id) ?? liveFor(job)),
    );
  }

  subscribe(fn: (s: UploadStatus[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onVerified(fn: (e: VerifiedDataset) => void): () => void {
    this.verifiedListeners.add(fn);
    return () => this.verifiedListeners.delete(fn);
  }

  /** Tells every verified-dataset listener; a listener that throws is logged, not propagated. */
  verified(e: VerifiedDataset): void {
    for (const fn of this.verifiedListeners) {
      try {
        fn(e);
      } catch (err) {
        this.logger?.log(
          'error',
          `upload: a verified-dataset listener failed: ${(err as Error).message}`,
        );
      }
    }
  }

  /** Schedules a snapshot: `now` for a state change, else (progress) within PROGRESS_EMIT_MS. */
  changed(now: boolean): void {
    if (!this.listeners.size) return;
    if (!now && this.emitTimer) return;
    clearTimeout(this.emitTimer);
    this.emitTimer = setTimeout(
      () => {
        this.emitTimer = undefined;
        const snap = this.snapshot();
        for (const fn of this.listeners) fn(snap);
      },
      now ? 0 : PROGRESS_EMIT_MS,
    );
  }

  /** True while some job is queued (waiting to retry counts as queued). */
  hasQueued(): boolean {
    for (const job of this.journal.jobs.values()) if (job.state === 'queued') return true;
    return false;
  }

  whenIdle(): Promise<void> {
    if (!this.hasQueued()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Resolves every pending `whenIdle`. */
  releaseIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Drops a scheduled snapshot (the queue is closing). */
  stop(): void {
    clearTimeout(this.emitTimer);
  }
}
