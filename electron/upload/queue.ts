/**
 * The durable upload queue. Datasets are archived one at a time, in enqueue order, to the
 * configured targets; every step is journaled (see journal.ts) so a restart or crash resumes
 * where it stopped. Transient failures are retried with bounded exponential backoff, then the
 * dataset is marked failed with the reason (retry by hand). Local data is only ever deleted by
 * `applyRetention`, and only after the remote copy was verified.
 *
 * Public surface: open · start · enqueue · enqueueRunEnd · pause · resume · cancel · retry ·
 * setAcquisitionActive · snapshot · subscribe · whenIdle · applyRetention · close.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { StateError, ValidationError } from '../../drivers/errors';
import type { Logger } from '../host/logger';
import type { UploadConfig, UploadTargetConfig } from './config';
import { asUploadError } from './errors';
import { Journal, type JobRecord, type JournalRecord } from './journal';
import { readDatasetManifest } from './manifest';
import { createTarget, freeVerifiedDatasets } from './policies';
import { backoffMs, liveFor, statusOf, type LiveStatus, type UploadStatus } from './status';
import type { UploadObserver, UploadTarget } from './target';
import { TokenBucket } from './throttle';

export interface UploadQueueOptions {
  config: UploadConfig;
  /** Where the journal lives (config.journalDir wins when set). */
  journalDir: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Instrumentation for tests and benchmarks. */
  observer?: UploadObserver;
  configureS3Client?: (client: S3Client) => void;
  /** Issue #16 §2: called once a dataset is verified on a target (analysis hand-off); must not throw. */
  onVerified?: (dataset: string, target: string) => void;
}

const PAUSED = Symbol('paused');
const CANCELLED = Symbol('cancelled');
const CLOSED = Symbol('closed');

export class UploadQueue {
  private readonly live = new Map<string, LiveStatus>();
  private readonly targets = new Map<string, UploadTarget>();
  private readonly listeners = new Set<(s: UploadStatus[]) => void>();
  private readonly net: TokenBucket;
  private readonly disk = new TokenBucket(undefined);
  private running: { id: string; ac: AbortController } | undefined;
  private loop: Promise<void> | undefined;
  private wake: () => void = () => undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private emitTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    private readonly opts: UploadQueueOptions,
    private readonly journal: Journal,
  ) {
    const limit = opts.config.bandwidthLimitMBps;
    this.net = new TokenBucket(limit === undefined ? undefined : limit * 1e6);
    for (const job of journal.jobs.values()) this.live.set(job.id, liveFor(job));
  }

  static async open(opts: UploadQueueOptions): Promise<UploadQueue> {
    return new UploadQueue(opts, await Journal.open(opts.config.journalDir ?? opts.journalDir));
  }

  /** Starts uploading (jobs left queued by an earlier run resume). */
  start(): void {
    this.loop ??= this.runLoop();
  }

  /** Queues `datasetDir` for `target`; returns the job id (the existing one if already pending). */
  async enqueue(datasetDir: string, target: string): Promise<string> {
    if (this.closed) throw new StateError('the upload queue is closed');
    const cfg = this.targetConfig(target);
    const dataset = path.resolve(datasetDir);
    await readDatasetManifest(dataset); // a clear error now rather than a failed job later
    for (const job of this.journal.jobs.values())
      if (
        job.dataset === dataset &&
        job.target === cfg.name &&
        ['queued', 'paused'].includes(job.state)
      )
        return job.id;
    const id = randomUUID();
    await this.journal.append({ t: 'job', id, dataset, target: cfg.name, at: Date.now() });
    const job = this.journal.jobs.get(id) as JobRecord;
    this.live.set(id, liveFor(job));
    this.changed(true);
    this.wake();
    return id;
  }

  /** Queues a finished run's dataset on every target with `autoEnqueue`. */
  async enqueueRunEnd(datasetDir: string): Promise<string[]> {
    const ids: string[] = [];
    for (const t of this.opts.config.targets)
      if (t.autoEnqueue) ids.push(await this.enqueue(datasetDir, t.name));
    return ids;
  }

  async pause(id: string): Promise<void> {
    const job = this.job(id);
    if (job.state !== 'queued')
      throw new StateError(
        `upload ${id} is ${this.live.get(id)?.state}; only a queued or running upload can be paused`,
      );
    await this.setState(job, 'paused');
    if (this.running?.id === id) this.running.ac.abort(PAUSED);
  }

  async resume(id: string): Promise<void> {
    const job = this.job(id);
    if (job.state !== 'paused') throw new StateError(`upload ${id} is not paused`);
    await this.setState(job, 'queued');
    this.wake();
  }

  /** Stops an upload for good; what reached the target stays there, without a manifest. */
  async cancel(id: string): Promise<void> {
    const job = this.job(id);
    if (job.state === 'done') throw new StateError(`upload ${id} is already done`);
    await this.setState(job, 'cancelled');
    if (this.running?.id === id) this.running.ac.abort(CANCELLED);
    else await this.discard(job);
  }

  /** Re-queues a failed or cancelled upload; it resumes from what the journal holds. */
  async retry(id: string): Promise<void> {
    const job = this.job(id);
    if (job.state !== 'failed' && job.state !== 'cancelled')
      throw new StateError(
        `upload ${id} is ${job.state}; only failed or cancelled uploads can be retried`,
      );
    const l = this.live.get(id);
    if (l) l.attempts = 0;
    await this.setState(job, 'queued');
    this.wake();
  }

  /** While an acquisition runs, local reads are held to the configured disk share. */
  setAcquisitionActive(active: boolean): void {
    const share = this.opts.config.diskShare;
    this.disk.setRate(active && share ? share.fraction * share.diskMBps * 1e6 : undefined);
  }

  snapshot(): UploadStatus[] {
    return [...this.journal.jobs.values()].map((job) =>
      statusOf(job, this.live.get(job.id) ?? liveFor(job)),
    );
  }

  /** Calls `fn` with a fresh snapshot on every state change and at most 4×/s on progress. */
  subscribe(fn: (s: UploadStatus[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves when no upload is queued (waiting to retry counts as queued) or running. */
  whenIdle(): Promise<void> {
    if (!this.hasQueued()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Deletes local datasets verified on a target with `freeLocalAfterDays` and older than that. */
  async applyRetention(nowMs = Date.now()): Promise<string[]> {
    const freed = await freeVerifiedDatasets(
      this.journal,
      this.opts.config,
      nowMs,
      this.opts.logger,
    );
    if (freed.length) this.changed(true);
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
    clearTimeout(this.emitTimer);
    for (const t of this.targets.values()) t.close();
    await this.journal.close();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async runLoop(): Promise<void> {
    while (!this.closed) {
      const now = Date.now();
      let next: JobRecord | undefined;
      let wakeAt = Infinity;
      for (const job of this.journal.jobs.values()) {
        if (job.state !== 'queued') continue;
        const at = this.live.get(job.id)?.retryAtMs ?? 0;
        if (at <= now) {
          next = job;
          break;
        }
        wakeAt = Math.min(wakeAt, at);
      }
      if (!next) {
        if (!this.hasQueued()) for (const w of this.idleWaiters.splice(0)) w();
        await new Promise<void>((r) => {
          const t = wakeAt < Infinity ? setTimeout(r, wakeAt - now) : undefined;
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        continue;
      }
      await this.attempt(next);
    }
  }

  private async attempt(job: JobRecord): Promise<void> {
    const l = this.live.get(job.id) ?? liveFor(job);
    this.live.set(job.id, l);
    const ac = new AbortController();
    this.running = { id: job.id, ac };
    delete l.retryAtMs;
    l.state = 'uploading';
    l.bytesDone = 0;
    l.meter.reset();
    this.changed(true);
    const log = this.opts.logger;
    try {
      const target = this.target(job.target);
      const manifest = await readDatasetManifest(job.dataset);
      l.bytesTotal = manifest.totalBytes;
      log?.log(
        'info',
        `upload: ${manifest.name} → "${job.target}" (${manifest.files.length + 1} files, ${manifest.totalBytes} bytes)`,
      );
      await target.upload({
        job,
        manifest,
        record: (r: JournalRecord) => this.journal.append(r),
        net: this.net,
        disk: this.disk,
        signal: ac.signal,
        progress: (bytes) => {
          l.bytesDone += bytes;
          l.meter.add(bytes);
          this.changed(false);
        },
        phase: (p) => {
          l.state = p;
          this.changed(true);
        },
      });
      l.attempts = 0;
      delete l.reason;
      await this.setState(job, 'done');
      log?.log('info', `upload: ${manifest.name} verified on "${job.target}"`);
      this.opts.onVerified?.(job.dataset, job.target);
    } catch (err) {
      const why = ac.signal.aborted ? ac.signal.reason : undefined;
      if (why === PAUSED || why === CANCELLED || why === CLOSED) {
        l.state = why === CLOSED ? 'queued' : job.state;
        if (why === CANCELLED) await this.discard(job);
      } else {
        const e = asUploadError(err, `upload of ${job.dataset} to "${job.target}"`);
        l.attempts++;
        const { baseMs, maxMs, maxAttempts } = this.opts.config.retry;
        if (e.transient && l.attempts < maxAttempts) {
          const delay = backoffMs(l.attempts, baseMs, maxMs);
          l.retryAtMs = Date.now() + delay;
          l.reason = e.message;
          l.state = 'queued';
          log?.log(
            'warn',
            `upload: attempt ${l.attempts} failed, retrying in ${delay} ms: ${e.message}`,
          );
        } else {
          delete l.reason;
          await this.setState(job, 'failed', e.message);
          log?.log('error', `upload: failed: ${e.message}`);
        }
      }
    } finally {
      this.running = undefined;
      this.changed(true);
    }
  }

  /** Frees what a cancelled upload holds on its target that no one can see (S3 multipart parts). */
  private async discard(job: JobRecord): Promise<void> {
    try {
      await this.target(job.target).discard?.(job);
    } catch (err) {
      this.opts.logger?.log('warn', `upload: cleaning up after cancel: ${(err as Error).message}`);
    }
  }

  private target(name: string): UploadTarget {
    let t = this.targets.get(name);
    if (!t) {
      t = createTarget(this.targetConfig(name), this.opts);
      this.targets.set(name, t);
    }
    return t;
  }

  private targetConfig(name: string): UploadTargetConfig {
    const cfg = this.opts.config.targets.find((t) => t.name === name);
    if (!cfg)
      throw new ValidationError(
        `unknown upload target "${name}" (configured: ${this.opts.config.targets.map((t) => t.name).join(', ')})`,
      );
    return cfg;
  }

  private job(id: string): JobRecord {
    const job = this.journal.jobs.get(id);
    if (!job) throw new ValidationError(`no upload with id ${id}`);
    return job;
  }

  private async setState(
    job: JobRecord,
    state: JobRecord['state'],
    reason?: string,
  ): Promise<void> {
    const r: JournalRecord = { t: 'status', id: job.id, state, at: Date.now() };
    if (reason !== undefined) r.reason = reason;
    await this.journal.append(r);
    const l = this.live.get(job.id);
    if (l) {
      l.state = state;
      if (state === 'done') l.bytesDone = l.bytesTotal;
      if (state !== 'queued') delete l.retryAtMs;
    }
    this.changed(true);
  }

  private hasQueued(): boolean {
    for (const job of this.journal.jobs.values()) if (job.state === 'queued') return true;
    return false;
  }

  private changed(now: boolean): void {
    if (!this.listeners.size) return;
    if (!now && this.emitTimer) return;
    clearTimeout(this.emitTimer);
    this.emitTimer = setTimeout(
      () => {
        this.emitTimer = undefined;
        const snap = this.snapshot();
        for (const fn of this.listeners) fn(snap);
      },
      now ? 0 : 250,
    );
  }
}
