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
 * applyRetention · close.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { StateError, ValidationError } from '../../drivers/errors';
import type { Logger } from '../host/logger';
import { archivePolicy, type UploadConfig, type UploadTargetConfig } from './config';
import { asUploadError, type UploadError } from './errors';
import { Journal, type JobRecord, type JournalRecord } from './journal';
import { forgetDisagreeing, pendingFinals, runClosed, type FinalFile } from './live-archive';
import { readDatasetManifest, type DatasetManifest } from './manifest';
import { createTarget, freeVerifiedDatasets } from './policies';
import { backoffMs, liveFor, statusOf, type LiveStatus, type UploadStatus } from './status';
import type { UploadAttempt, UploadObserver, UploadTarget } from './target';
import { TokenBucket } from './throttle';

/** A dataset whose every file and manifest are verified on a target (see `onVerified`). */
export interface VerifiedDataset {
  jobId: string;
  /** Absolute path of the local dataset folder. */
  dataset: string;
  target: string;
  /** sha256 (hex) of the dataset's manifest.sha256 as verified on the target. */
  manifestDigest: string;
}

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

const PAUSED = Symbol('paused');
const CANCELLED = Symbol('cancelled');
const CLOSED = Symbol('closed');
/** How often a live job whose run is open checks whether the run has closed meanwhile. */
const LIVE_POLL_MS = 5_000;
/** After a failed abort of a failed upload's parts (gateway down), the next try. */
const ABORT_RETRY_MS = 10 * 60_000;

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
  private readonly abortRetryAt = new Map<string, number>();
  private readonly verifiedListeners = new Set<(e: VerifiedDataset) => void>();

  private constructor(
    private readonly opts: UploadQueueOptions,
    private readonly journal: Journal,
  ) {
    const limit = opts.config.bandwidthLimitMBps;
    this.net = new TokenBucket(limit === undefined ? undefined : limit * 1e6);
    for (const job of journal.jobs.values()) this.live.set(job.id, liveFor(job));
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
    const cfg = this.targetConfig(target);
    const dataset = path.resolve(datasetDir);
    await readDatasetManifest(dataset); // a clear error now rather than a failed job later
    const known = this.findJob(dataset, cfg.name, ['queued', 'paused', 'failed']);
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
          this.findJob(dataset, t.name, ['queued', 'paused'])?.id ??
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
    const dataset = path.resolve(datasetDir);
    for (const job of this.journal.jobs.values()) {
      if (!job.live || job.dataset !== dataset || job.state === 'done') continue;
      if (job.state === 'cancelled') continue;
      const at = Date.now();
      this.journal
        .append({ t: 'final', id: job.id, ...file, at })
        .catch((err: unknown) =>
          this.opts.logger?.log(
            'warn',
            `upload: cannot journal ${file.rel} as final (${(err as Error).message}); it goes at close`,
          ),
        );
      const l = this.live.get(job.id);
      if (l) delete l.idleSinceMs;
    }
    this.changed(false);
    this.wake();
  }

  /**
   * The dataset writer's growing file `file.rel` (the OME-TIFF) has its bytes before
   * `file.finalBytes` final: live jobs of the dataset send its complete parts (not kept across
   * a restart: the close sends whatever was not sent).
   */
  fileGrowing(datasetDir: string, file: { rel: string; finalBytes: number }): void {
    const dataset = path.resolve(datasetDir);
    for (const job of this.journal.jobs.values()) {
      if (!job.live || job.dataset !== dataset || job.state !== 'queued') continue;
      const l = this.live.get(job.id);
      if (!l) continue;
      l.growing.set(file.rel, file.finalBytes);
      delete l.idleSinceMs;
    }
    this.wake();
  }

  /**
   * A run ended: its live jobs send what is left and the manifest; targets whose policy is
   * `at-close` get the dataset queued. Returns the ids of both.
   */
  async enqueueRunEnd(datasetDir: string): Promise<string[]> {
    const dataset = path.resolve(datasetDir);
    const ids: string[] = [];
    for (const job of this.journal.jobs.values())
      if (job.live && job.dataset === dataset && job.state !== 'done') {
        const l = this.live.get(job.id);
        if (l) delete l.idleSinceMs;
        ids.push(job.id);
      }
    for (const t of this.opts.config.targets)
      if (archivePolicy(t) === 'at-close') ids.push(await this.enqueue(dataset, t.name));
    this.wake();
    return ids;
  }

  private findJob(
    dataset: string,
    target: string,
    states: JobRecord['state'][],
  ): JobRecord | undefined {
    for (const job of this.journal.jobs.values())
      if (job.dataset === dataset && job.target === target && states.includes(job.state))
        return job;
    return undefined;
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
    this.changed(true);
    this.wake();
    return id;
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
    if (l) {
      l.attempts = 0;
      delete l.idleSinceMs;
    }
    await this.setState(job, 'queued');
    this.wake();
  }

  /**
   * Calls `fn` each time a dataset is verified on a target (once per job, after its journal
   * says done); returns the unsubscribe. Analysis hand-off (e.g. SLURM) hooks in here.
   */
  onVerified(fn: (e: VerifiedDataset) => void): () => void {
    this.verifiedListeners.add(fn);
    return () => this.verifiedListeners.delete(fn);
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
        if (job.state === 'failed' && job.mpus.size) {
          const expires = Math.max(
            job.stateAt + this.opts.config.keepFailedPartsH * 3_600_000,
            this.abortRetryAt.get(job.id) ?? 0,
          );
          if (expires <= now) await this.abortParts(job, 'kept too long after the failure');
          else wakeAt = Math.min(wakeAt, expires);
        }
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
    const log = this.opts.logger;
    let manifest: DatasetManifest | undefined;
    let grown: [string, number][] = [];
    if (job.live && l.runOpen) {
      l.runOpen = !(await runClosed(job.dataset));
      if (l.runOpen) {
        manifest = pendingFinals(job);
        grown = [...l.growing].filter(([rel, n]) => n > (l.growingSent.get(rel) ?? 0));
        if (!manifest.files.length && !grown.length) {
          l.idleSinceMs = Date.now();
          this.changed(false);
          return;
        }
      }
    }
    delete l.idleSinceMs;
    const ac = new AbortController();
    this.running = { id: job.id, ac };
    delete l.retryAtMs;
    l.state = 'uploading';
    l.bytesDone = 0;
    l.meter.reset();
    this.changed(true);
    try {
      const target = this.target(job.target);
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
        record: (r: JournalRecord) => this.journal.append(r),
        net: this.net,
        disk: this.disk,
        signal: ac.signal,
        progress: (bytes) => {
          l.bytesDone += bytes;
          l.meter.add(bytes);
          delete l.reason; // moving again: the last error is history
          this.changed(false);
        },
        phase: (p) => {
          l.state = p;
          this.changed(true);
        },
      };
      if (manifest.files.length || !partial) await target.upload(attempt);
      for (const [rel, finalBytes] of grown) {
        await target.sendGrowing?.(attempt, rel, finalBytes);
        l.growingSent.set(rel, finalBytes);
      }
      l.attempts = 0;
      delete l.reason;
      if (partial) {
        l.state = 'queued';
        return;
      }
      await this.setState(job, 'done');
      const manifestDigest = createHash('sha256').update(manifest.manifestBytes).digest('hex');
      for (const fn of this.verifiedListeners) {
        try {
          fn({ jobId: job.id, dataset: job.dataset, target: job.target, manifestDigest });
        } catch (err) {
          log?.log(
            'error',
            `upload: a verified-dataset listener failed: ${(err as Error).message}`,
          );
        }
      }
      const resent = l.bytesResent ? `; ${l.bytesResent} bytes re-sent after interruptions` : '';
      log?.log('info', `upload: ${manifest.name} verified on "${job.target}"${resent}`);
    } catch (err) {
      const why = ac.signal.aborted ? ac.signal.reason : undefined;
      if (why === PAUSED || why === CANCELLED || why === CLOSED) {
        l.state = why === CLOSED ? 'queued' : job.state;
        if (why === CANCELLED) await this.discard(job);
      } else
        await this.failed(
          job,
          l,
          asUploadError(err, `upload of ${job.dataset} to "${job.target}"`),
        );
    } finally {
      this.running = undefined;
      this.changed(true);
    }
  }

  /**
   * A failed attempt: retried with backoff while transient and attempts are left (always while
   * a live job's run is still writing: the run must not lose its archive to an outage), else
   * the job fails. Parts of a file that changed locally are useless and aborted at once.
   */
  private async failed(job: JobRecord, l: LiveStatus, e: UploadError): Promise<void> {
    const log = this.opts.logger;
    l.attempts++;
    const { baseMs, maxMs, maxAttempts } = this.opts.config.retry;
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
    if (job.mpus.size && this.opts.config.keepFailedPartsH === 0)
      reason += `; ${await this.abortParts(job, 'the upload failed')}`;
    else if (job.mpus.size) {
      const until = new Date(Date.now() + this.opts.config.keepFailedPartsH * 3_600_000);
      reason += `; ${job.mpus.size} incomplete multipart upload(s) stay on the gateway for \`aquila upload retry\` until ${until.toISOString()}, then are aborted`;
    }
    await this.setState(job, 'failed', reason);
    log?.log('error', `upload: failed: ${reason}`);
  }

  /** Aborts the job's multipart uploads (or those of `rels`) on its target; says what it did. */
  private async abortParts(job: JobRecord, why: string, rels?: string[]): Promise<string> {
    let aborted: string[];
    try {
      aborted = (await this.target(job.target).discard?.(job, rels)) ?? [];
    } catch (err) {
      const msg = `cannot abort incomplete multipart uploads (${(err as Error).message})`;
      this.opts.logger?.log('warn', `upload: ${msg}`);
      if (!rels) this.abortRetryAt.set(job.id, Date.now() + ABORT_RETRY_MS);
      return msg;
    }
    for (const rel of aborted) await this.journal.append({ t: 'mpu-aborted', id: job.id, rel });
    const msg = `aborted ${aborted.length} incomplete multipart upload(s) on the gateway (${why}): ${aborted.join(', ')}`;
    if (aborted.length) this.opts.logger?.log('info', `upload: ${job.dataset}: ${msg}`);
    return msg;
  }

  /** Frees what a cancelled upload holds on its target that no one can see (S3 multipart parts). */
  private async discard(job: JobRecord): Promise<void> {
    try {
      await this.target(job.target).discard?.(job);
    } catch (err) {
      this.opts.logger?.log('warn', `upload: cleaning up after cancel: ${(err as Error).message}`);
    }
  }

  /** Counts bytes this process sends a second time for the running job (after interruptions). */
  private noteSend(rel: string, n: number, bytes: number): void {
    const l = this.running && this.live.get(this.running.id);
    if (!l) return;
    const key = `${rel}#${n}`;
    if (l.sent.has(key)) l.bytesResent += bytes;
    else l.sent.add(key);
  }

  private target(name: string): UploadTarget {
    let t = this.targets.get(name);
    if (!t) {
      t = createTarget(this.targetConfig(name), {
        ...this.opts,
        observer: {
          sending: (rel, n, bytes) => {
            this.opts.observer?.sending?.(rel, n, bytes);
            this.noteSend(rel, n, bytes);
          },
        },
      });
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
