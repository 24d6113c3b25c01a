/**
 * The durable upload queue. Datasets are archived one at a time, in enqueue order, to the
 * configured targets; every step is journaled (see journal.ts) so a restart or crash resumes
 * where it stopped. Transient failures are retried with bounded exponential backoff, then the
 * dataset is marked failed with the reason (retry by hand). Local data is only ever deleted by
 * `applyRetention`, and only after the remote copy was verified.
 *
 * A failed upload keeps its incomplete S3 multipart uploads for `keepFailedPartsH` (so a retry
 * resumes them), then aborts them; the failure reason says which. Live archiving: see
 * live-archive.ts (`enqueueRunStart`, `fileFinal`).
 *
 * Public surface: open · start · enqueue · enqueueRunStart · fileFinal · enqueueRunEnd ·
 * pause · resume · cancel · retry · setAcquisitionActive · snapshot · subscribe · whenIdle ·
 * applyRetention · close. Its parts: queue-attempt.ts (one attempt), queue-jobs.ts (state
 * transitions, failures), queue-live.ts (live bookkeeping), queue-status.ts (what it
 * publishes), queue-targets.ts (targets).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { StateError } from '../../drivers/errors';
import type { Logger } from '../host/logger';
import { archivePolicy, type UploadConfig } from './config';
import { Journal, type JobRecord } from './journal';
import type { FinalFile } from './live-archive';
import { readDatasetManifest } from './manifest';
import { freeVerifiedDatasets } from './policies';
import { attemptUpload, CANCELLED, CLOSED, PAUSED, type AttemptContext } from './queue-attempt';
import { QueueJobs } from './queue-jobs';
import { liveJobsAtRunEnd, noteFinal, noteGrowing } from './queue-live';
import { StatusFeed, type VerifiedDataset } from './queue-status';
import { TargetPool } from './queue-targets';
import { liveFor, type LiveStatus, type UploadStatus } from './status';
import type { UploadObserver } from './target';
import { TokenBucket } from './throttle';

export type { VerifiedDataset } from './queue-status';

export interface UploadQueueOptions {
  config: UploadConfig;
  /** Where the journal lives (callers resolve it from flags, config.journalDir, defaults). */
  journalDir: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Instrumentation for tests and benchmarks. */
  observer?: UploadObserver;
  configureS3Client?: (client: S3Client) => void;
}

/** How often a live job whose run is open checks whether the run has closed meanwhile. */
const LIVE_POLL_MS = 5_000;

export class UploadQueue {
  private readonly live = new Map<string, LiveStatus>();
  private readonly targets: TargetPool;
  private readonly feed: StatusFeed;
  private readonly jobs: QueueJobs;
  private readonly attemptCtx: AttemptContext;
  private readonly net: TokenBucket;
  private readonly disk = new TokenBucket(undefined);
  private running: { id: string; ac: AbortController } | undefined;
  private loop: Promise<void> | undefined;
  private wake: () => void = () => undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly opts: UploadQueueOptions,
    private readonly journal: Journal,
  ) {
    const limit = opts.config.bandwidthLimitMBps;
    this.net = new TokenBucket(limit === undefined ? undefined : limit * 1e6);
    for (const job of journal.jobs.values()) this.live.set(job.id, liveFor(job));
    this.targets = new TargetPool(opts.config, opts, () =>
      this.running ? this.live.get(this.running.id) : undefined,
    );
    this.feed = new StatusFeed(journal, this.live, opts.logger);
    this.jobs = new QueueJobs(
      journal,
      this.live,
      opts.config,
      this.targets,
      this.feed,
      opts.logger,
    );
    const { live, targets, feed, jobs, net, disk } = this;
    const setRunning = (running: UploadQueue['running']): void => {
      this.running = running;
    };
    const logger = opts.logger;
    this.attemptCtx = { journal, live, targets, feed, jobs, net, disk, logger, setRunning };
  }

  static async open(opts: UploadQueueOptions): Promise<UploadQueue> {
    return new UploadQueue(opts, await Journal.open(opts.journalDir));
  }

  /** Starts uploading (jobs left queued by an earlier run resume). */
  start(): void {
    this.loop ??= this.runLoop();
  }

  /**
   * Queues `datasetDir` for `target`; returns the job id. A job still pending is returned as
   * is; a failed one is re-queued (it resumes from what the journal holds, parts on the
   * gateway included) rather than started afresh.
   */
  async enqueue(datasetDir: string, target: string): Promise<string> {
    if (this.closed) throw new StateError('the upload queue is closed');
    const cfg = this.targets.configOf(target);
    const dataset = path.resolve(datasetDir);
    await readDatasetManifest(dataset); // a clear error now rather than a failed job later
    const known = this.jobs.find(dataset, cfg.name, ['queued', 'paused', 'failed']);
    if (known?.state === 'failed') await this.retry(known.id);
    return known?.id ?? (await this.addJob(dataset, cfg.name, false));
  }

  /**
   * A run started writing `datasetDir`: queues a live job on every target whose policy is
   * `live` (nothing is read until the writer reports files final). Returns the job ids.
   */
  async enqueueRunStart(datasetDir: string): Promise<string[]> {
    const dataset = path.resolve(datasetDir);
    const ids: string[] = [];
    for (const t of this.opts.config.targets)
      if (archivePolicy(t) === 'live')
        ids.push(
          this.jobs.find(dataset, t.name, ['queued', 'paused'])?.id ??
            (await this.addJob(dataset, t.name, true)),
        );
    return ids;
  }

  /**
   * The dataset writer finished `file` of `datasetDir` (complete, hashed, never written again).
   * Journals it for every live job of the dataset and wakes the queue; the caller does not
   * wait for the journal (acquisition never waits on archiving): a record lost in a crash
   * only means the file goes at close.
   */
  fileFinal(datasetDir: string, file: FinalFile): void {
    noteFinal(this.journal, this.live, path.resolve(datasetDir), file, this.opts.logger);
    this.feed.changed(false);
    this.wake();
  }

  /**
   * The dataset writer's growing file `file.rel` (the OME-TIFF) has its bytes before
   * `file.finalBytes` final: live jobs of the dataset send its complete parts (not kept across
   * a restart: the close sends whatever was not sent).
   */
  fileGrowing(datasetDir: string, file: { rel: string; finalBytes: number }): void {
    noteGrowing(this.journal, this.live, path.resolve(datasetDir), file);
    this.wake();
  }

  /**
   * A run ended: its live jobs send what is left and the manifest; targets whose policy is
   * `at-close` get the dataset queued. Returns the ids of both.
   */
  async enqueueRunEnd(datasetDir: string): Promise<string[]> {
    const dataset = path.resolve(datasetDir);
    const ids = liveJobsAtRunEnd(this.journal, this.live, dataset);
    for (const t of this.opts.config.targets)
      if (archivePolicy(t) === 'at-close') ids.push(await this.enqueue(dataset, t.name));
    this.wake();
    return ids;
  }

  private async addJob(dataset: string, target: string, live: boolean): Promise<string> {
    if (this.closed) throw new StateError('the upload queue is closed');
    const id = randomUUID();
    await this.journal.append({
      t: 'job',
      id,
      dataset,
      target,
      at: Date.now(),
      ...(live ? { live: true } : {}),
    });
    const job = this.journal.jobs.get(id) as JobRecord;
    this.live.set(id, liveFor(job));
    this.feed.changed(true);
    this.wake();
    return id;
  }

  async pause(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job.state !== 'queued')
      throw new StateError(
        `upload ${id} is ${this.live.get(id)?.state}; only a queued or running upload can be paused`,
      );
    await this.jobs.setState(job, 'paused');
    if (this.running?.id === id) this.running.ac.abort(PAUSED);
  }

  async resume(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job.state !== 'paused') throw new StateError(`upload ${id} is not paused`);
    await this.jobs.setState(job, 'queued');
    this.wake();
  }

  /** Stops an upload for good; what reached the target stays there, without a manifest. */
  async cancel(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job.state === 'done') throw new StateError(`upload ${id} is already done`);
    await this.jobs.setState(job, 'cancelled');
    if (this.running?.id === id) this.running.ac.abort(CANCELLED);
    else await this.jobs.discard(job);
  }

  /** Re-queues a failed or cancelled upload; it resumes from what the journal holds. */
  async retry(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job.state !== 'failed' && job.state !== 'cancelled')
      throw new StateError(
        `upload ${id} is ${job.state}; only failed or cancelled uploads can be retried`,
      );
    const l = this.live.get(id);
    if (l) {
      l.attempts = 0;
      delete l.idleSinceMs;
    }
    await this.jobs.setState(job, 'queued');
    this.wake();
  }

  /**
   * Calls `fn` each time a dataset is verified on a target (once per job, after its journal
   * says done); returns the unsubscribe. Analysis hand-off (e.g. SLURM) hooks in here.
   */
  onVerified(fn: (e: VerifiedDataset) => void): () => void {
    return this.feed.onVerified(fn);
  }

  /** While an acquisition runs, local reads are held to the configured disk share. */
  setAcquisitionActive(active: boolean): void {
    const share = this.opts.config.diskShare;
    this.disk.setRate(active && share ? share.fraction * share.diskMBps * 1e6 : undefined);
  }

  snapshot(): UploadStatus[] {
    return this.feed.snapshot();
  }

  /** Calls `fn` with a fresh snapshot on every state change and at most 4×/s on progress. */
  subscribe(fn: (s: UploadStatus[]) => void): () => void {
    return this.feed.subscribe(fn);
  }

  /** Resolves when no upload is queued (waiting to retry counts as queued) or running. */
  whenIdle(): Promise<void> {
    return this.feed.whenIdle();
  }

  /** Deletes local datasets verified on a target with `freeLocalAfterDays` and older than that. */
  async applyRetention(nowMs = Date.now()): Promise<string[]> {
    const freed = await freeVerifiedDatasets(
      this.journal,
      this.opts.config,
      nowMs,
      this.opts.logger,
    );
    if (freed.length) this.feed.changed(true);
    return freed;
  }

  /** Stops uploading; an interrupted upload stays queued and resumes on the next open. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.running?.ac.abort(CLOSED);
    this.wake();
    await this.loop;
    this.feed.stop();
    this.targets.close();
    await this.journal.close();
    this.feed.releaseIdle();
  }

  private async runLoop(): Promise<void> {
    while (!this.closed) {
      const now = Date.now();
      let next: JobRecord | undefined;
      let wakeAt = Infinity;
      for (const job of this.journal.jobs.values()) {
        wakeAt = Math.min(wakeAt, await this.jobs.expireKeptParts(job, now));
        if (job.state !== 'queued') continue;
        const l = this.live.get(job.id);
        // A live job with nothing to send looks again when woken (a file, the run's end) or
        // every LIVE_POLL_MS (a run closed by recovery after a crash sends no event).
        if (l?.idleSinceMs !== undefined && now - l.idleSinceMs < LIVE_POLL_MS) {
          wakeAt = Math.min(wakeAt, l.idleSinceMs + LIVE_POLL_MS);
          continue;
        }
        const at = l?.retryAtMs ?? 0;
        if (at <= now) {
          next = job;
          break;
        }
        wakeAt = Math.min(wakeAt, at);
      }
      if (!next) {
        if (!this.feed.hasQueued()) this.feed.releaseIdle();
        await new Promise<void>((r) => {
          const t = wakeAt < Infinity ? setTimeout(r, wakeAt - now) : undefined;
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        continue;
      }
      await attemptUpload(this.attemptCtx, next);
    }
  }
}
