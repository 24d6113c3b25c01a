/**
 * The upload queue's job state transitions: lookups, journaled state changes, and what a
 * failed attempt leads to (a retry with backoff, or a failed job whose incomplete multipart
 * uploads are kept for `keepFailedPartsH`, then aborted).
 */
import { ValidationError } from '../../drivers/errors';
import type { Logger } from '../host/logger';
import type { UploadConfig } from './config';
import type { UploadError } from './errors';
import type { Journal, JobRecord, JournalRecord } from './journal';
import type { StatusFeed } from './queue-status';
import type { TargetPool } from './queue-targets';
import { backoffMs, type LiveStatus } from './status';

/** After a failed abort of a failed upload's parts (gateway down), the next try. */
const ABORT_RETRY_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;

export class QueueJobs {
  private readonly abortRetryAt = new Map<string, number>();

  constructor(
    private readonly journal: Journal,
    private readonly live: ReadonlyMap<string, LiveStatus>,
    private readonly config: UploadConfig,
    private readonly targets: TargetPool,
    private readonly feed: StatusFeed,
    private readonly logger?: Logger,
  ) {}

  /** The job with `id`; a ValidationError if there is none. */
  get(id: string): JobRecord {
    const job = this.journal.jobs.get(id);
    if (!job) throw new ValidationError(`no upload with id ${id}`);
    return job;
  }

  /** The first job of `dataset` on `target` in one of `states`. */
  find(dataset: string, target: string, states: JobRecord['state'][]): JobRecord | undefined {
    for (const job of this.journal.jobs.values())
      if (job.dataset === dataset && job.target === target && states.includes(job.state))
        return job;
    return undefined;
  }

  async setState(job: JobRecord, state: JobRecord['state'], reason?: string): Promise<void> {
    const r: JournalRecord = { t: 'status', id: job.id, state, at: Date.now() };
    if (reason !== undefined) r.reason = reason;
    await this.journal.append(r);
    const l = this.live.get(job.id);
    if (l) {
      l.state = state;
      if (state === 'done') l.bytesDone = l.bytesTotal;
      if (state !== 'queued') delete l.retryAtMs;
    }
    this.feed.changed(true);
  }

  /**
   * A failed attempt: retried with backoff while transient and attempts are left (always while
   * a live job's run is still writing: the run must not lose its archive to an outage), else
   * the job fails. Parts of a file that changed locally are useless and aborted at once.
   */
  async failed(job: JobRecord, l: LiveStatus, e: UploadError): Promise<void> {
    const log = this.logger;
    l.attempts++;
    const { baseMs, maxMs, maxAttempts } = this.config.retry;
    if (e.transient && (l.attempts < maxAttempts || (job.live && l.runOpen))) {
      const delay = backoffMs(l.attempts, baseMs, maxMs);
      l.retryAtMs = Date.now() + delay;
      l.reason = e.message;
      l.state = 'queued';
      log?.log(
        'warn',
        `upload: attempt ${l.attempts} failed, retrying in ${delay} ms: ${e.message}`,
      );
      return;
    }
    delete l.reason;
    let reason = e.message;
    const changed = e.details?.localChanged;
    if (typeof changed === 'string' && job.mpus.has(changed))
      reason += `; ${await this.abortParts(job, 'the local file changed', [changed])}`;
    if (job.mpus.size && this.config.keepFailedPartsH === 0)
      reason += `; ${await this.abortParts(job, 'the upload failed')}`;
    else if (job.mpus.size) {
      const until = new Date(Date.now() + this.config.keepFailedPartsH * HOUR_MS);
      reason += `; ${job.mpus.size} incomplete multipart upload(s) stay on the gateway for \`aquila upload retry\` until ${until.toISOString()}, then are aborted`;
    }
    await this.setState(job, 'failed', reason);
    log?.log('error', `upload: failed: ${reason}`);
  }

  /**
   * A failed job's kept multipart uploads are aborted once `keepFailedPartsH` (or the retry
   * after a failed abort) is over. Returns when to look again (ms epoch; Infinity: never).
   */
  async expireKeptParts(job: JobRecord, nowMs: number): Promise<number> {
    if (job.state !== 'failed' || !job.mpus.size) return Infinity;
    const expires = Math.max(
      job.stateAt + this.config.keepFailedPartsH * HOUR_MS,
      this.abortRetryAt.get(job.id) ?? 0,
    );
    if (expires > nowMs) return expires;
    await this.abortParts(job, 'kept too long after the failure');
    return Infinity;
  }

  /** Frees what a cancelled upload holds on its target that no one can see (S3 multipart parts). */
  async discard(job: JobRecord): Promise<void> {
    try {
      await this.targets.get(job.target).discard?.(job);
    } catch (err) {
      this.logger?.log('warn', `upload: cleaning up after cancel: ${(err as Error).message}`);
    }
  }

  /** Aborts the job's multipart uploads (or those of `rels`) on its target; says what it did. */
  private async abortParts(job: JobRecord, why: string, rels?: string[]): Promise<string> {
    let aborted: string[];
    try {
      aborted = (await this.targets.get(job.target).discard?.(job, rels)) ?? [];
    } catch (err) {
      const msg = `cannot abort incomplete multipart uploads (${(err as Error).message})`;
      this.logger?.log('warn', `upload: ${msg}`);
      if (!rels) this.abortRetryAt.set(job.id, Date.now() + ABORT_RETRY_MS);
      return msg;
    }
    for (const rel of aborted) await this.journal.append({ t: 'mpu-aborted', id: job.id, rel });
    const msg = `aborted ${aborted.length} incomplete multipart upload(s) on the gateway (${why}): ${aborted.join(', ')}`;
    if (aborted.length) this.logger?.log('info', `upload: ${job.dataset}: ${msg}`);
    return msg;
  }
}
