/**
 * The per-dataset status the queue publishes (to the host's API state and the CLI), and the
 * rate/ETA estimate behind it. Plain JSON: safe to send to clients; never holds credentials.
 */
import type { UploadView } from '../api/contract';
import type { JobRecord } from './journal';
import { liveProgress } from './live-archive';

/** The published status is the API's UploadView (electron/api/contract.ts), declared once there. */
export type UploadStatus = UploadView;
export type UploadState = UploadView['state'];

/** What the queue tracks about a job beyond the journal (not persisted). */
export interface LiveStatus {
  state: UploadState;
  bytesDone: number;
  bytesTotal: number;
  meter: RateMeter;
  attempts: number;
  retryAtMs?: number;
  reason?: string;
  /** `<rel>#<part>` of every request sent for this job by this process (resend detection). */
  sent: Set<string>;
  /** Bytes sent again for requests this process had sent before (after interruptions). */
  bytesResent: number;
  /** Live archiving: growing files' final prefix as reported, and as far as sent. */
  growing: Map<string, number>;
  growingSent: Map<string, number>;
  /** A live job whose run is still writing (no manifest yet). */
  runOpen: boolean;
  /** A live job found nothing final left to send at this time (ms); skipped until woken. */
  idleSinceMs?: number;
}

export function liveFor(job: JobRecord): LiveStatus {
  // sizes are known again once the dataset is read (next attempt); 0 until then
  return {
    state: job.state,
    bytesDone: 0,
    bytesTotal: 0,
    meter: new RateMeter(),
    attempts: 0,
    sent: new Set(),
    bytesResent: 0,
    runOpen: job.live,
    growing: new Map(),
    growingSent: new Map(),
  };
}

export function statusOf(job: JobRecord, l: LiveStatus, nowMs = Date.now()): UploadStatus {
  const rate = l.state === 'uploading' || l.state === 'verifying' ? l.meter.bytesPerS : 0;
  const s: UploadStatus = {
    id: job.id,
    dataset: job.dataset,
    target: job.target,
    state: l.state,
    bytesDone: l.bytesDone,
    bytesTotal: l.bytesTotal,
    rateBytesPerS: Math.round(rate),
    etaS: rate > 0 ? Math.ceil((l.bytesTotal - l.bytesDone) / rate) : null,
    attempts: l.attempts,
    enqueuedAtMs: job.enqueuedAt,
    localFreed: job.freed,
  };
  const reason = l.reason ?? job.reason;
  if (reason !== undefined) s.reason = reason;
  if (l.retryAtMs !== undefined) s.retryAtMs = l.retryAtMs;
  if (l.bytesResent > 0) s.bytesResent = l.bytesResent;
  if (job.live && l.runOpen && job.state !== 'done') {
    s.live = liveProgress(job, nowMs);
    // A growing file (the OME-TIFF) counts with its final prefix and the parts sent of it.
    for (const [rel, finalBytes] of l.growing) {
      s.live.acquiredBytes += finalBytes;
      const m = job.mpus.get(rel);
      if (m?.growing) s.live.archivedBytes += m.parts.size * m.partBytes;
    }
    s.bytesDone = s.live.archivedBytes;
    s.bytesTotal = s.live.acquiredBytes;
  }
  return s;
}

/** Exponentially weighted rate over ~`tauS` seconds, updated on every progress report. */
export class RateMeter {
  private rate = 0;
  private lastMs: number | undefined;
  private pendingBytes = 0;

  constructor(private readonly tauS = 3) {}

  add(bytes: number, nowMs = performance.now()): void {
    this.pendingBytes += bytes;
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      return;
    }
    const dtS = (nowMs - this.lastMs) / 1_000;
    if (dtS < 0.2) return;
    const alpha = 1 - Math.exp(-dtS / this.tauS);
    this.rate += alpha * (this.pendingBytes / dtS - this.rate);
    this.pendingBytes = 0;
    this.lastMs = nowMs;
  }

  get bytesPerS(): number {
    return this.rate;
  }

  reset(): void {
    this.rate = 0;
    this.lastMs = undefined;
    this.pendingBytes = 0;
  }
}

/** Delay before retry `attempt` (1-based): base·2^(attempt−1), capped at maxMs. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, attempt - 1));
}
