/**
 * One upload attempt of a queued job: a live job's batch while its run writes, else the whole
 * dataset and its manifest, then the verified hand-off. Pause, cancel and close abort the
 * attempt's signal with PAUSED, CANCELLED or CLOSED; any other failure goes to
 * `QueueJobs.failed` (retry or fail).
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../host/logger';
import { asUploadError } from './errors';
import type { Journal, JobRecord, JournalRecord } from './journal';
import { forgetDisagreeing } from './live-archive';
import { readDatasetManifest, type DatasetManifest } from './manifest';
import type { QueueJobs } from './queue-jobs';
import { liveBatch } from './queue-live';
import type { StatusFeed } from './queue-status';
import type { TargetPool } from './queue-targets';
import { liveFor, type LiveStatus } from './status';
import type { UploadAttempt } from './target';
import type { TokenBucket } from './throttle';

export const PAUSED = Symbol('paused');
export const CANCELLED = Symbol('cancelled');
export const CLOSED = Symbol('closed');

export interface AttemptContext {
  journal: Journal;
  live: Map<string, LiveStatus>;
  targets: TargetPool;
  feed: StatusFeed;
  jobs: QueueJobs;
  net: TokenBucket;
  disk: TokenBucket;
  logger?: Logger | undefined;
  /** The running attempt (its job id and abort controller) while it runs; then `undefined`. */
  setRunning(running: { id: string; ac: AbortController } | undefined): void;
}

export async function attemptUpload(ctx: AttemptContext, job: JobRecord): Promise<void> {
  const l = ctx.live.get(job.id) ?? liveFor(job);
  ctx.live.set(job.id, l);
  const log = ctx.logger;
  const batch = await liveBatch(job, l);
  if (batch === 'idle') {
    l.idleSinceMs = Date.now();
    ctx.feed.changed(false);
    return;
  }
  let manifest: DatasetManifest | undefined = batch?.manifest;
  delete l.idleSinceMs;
  const ac = new AbortController();
  ctx.setRunning({ id: job.id, ac });
  delete l.retryAtMs;
  l.state = 'uploading';
  l.bytesDone = 0;
  l.meter.reset();
  ctx.feed.changed(true);
  try {
    const target = ctx.targets.get(job.target);
    const partial = manifest !== undefined;
    if (!manifest) {
      manifest = await readDatasetManifest(job.dataset);
      const redo = forgetDisagreeing(job, manifest);
      if (redo.length)
        log?.log('warn', `upload: ${redo.join(', ')} changed after being sent live; re-sending`);
      log?.log(
        'info',
        `upload: ${manifest.name} → "${job.target}" (${manifest.files.length + 1} files, ${manifest.totalBytes} bytes)`,
      );
    }
    l.bytesTotal = manifest.totalBytes;
    const attempt: UploadAttempt = {
      job,
      manifest,
      partial,
      record: (r: JournalRecord) => ctx.journal.append(r),
      net: ctx.net,
      disk: ctx.disk,
      signal: ac.signal,
      progress: (bytes) => {
        l.bytesDone += bytes;
        l.meter.add(bytes);
        delete l.reason; // moving again: the last error is history
        ctx.feed.changed(false);
      },
      phase: (p) => {
        l.state = p;
        ctx.feed.changed(true);
      },
    };
    if (manifest.files.length || !partial) await target.upload(attempt);
    for (const [rel, finalBytes] of batch?.grown ?? []) {
      await target.sendGrowing?.(attempt, rel, finalBytes);
      l.growingSent.set(rel, finalBytes);
    }
    l.attempts = 0;
    delete l.reason;
    if (partial) {
      l.state = 'queued';
      return;
    }
    await ctx.jobs.setState(job, 'done');
    const manifestDigest = createHash('sha256').update(manifest.manifestBytes).digest('hex');
    ctx.feed.verified({
      jobId: job.id,
      dataset: job.dataset,
      target: job.target,
      manifestDigest,
    });
    const resent = l.bytesResent ? `; ${l.bytesResent} bytes re-sent after interruptions` : '';
    log?.log('info', `upload: ${manifest.name} verified on "${job.target}"${resent}`);
  } catch (err) {
    const why = ac.signal.aborted ? ac.signal.reason : undefined;
    if (why === PAUSED || why === CANCELLED || why === CLOSED) {
      l.state = why === CLOSED ? 'queued' : job.state;
      if (why === CANCELLED) await ctx.jobs.discard(job);
    } else
      await ctx.jobs.failed(
        job,
        l,
        asUploadError(err, `upload of ${job.dataset} to "${job.target}"`),
      );
  } finally {
    ctx.setRunning(undefined);
    ctx.feed.changed(true);
  }
}
