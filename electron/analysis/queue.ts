/**
 * The analysis hand-off queue (issue #16 §2): when a dataset is verified on an upload target,
 * each configured analysis job for that target is queued, submitted to SLURM, polled until it
 * ends, resubmitted when it failed (up to `maxAttempts`), and its job id and outcome are
 * written to the journal (journal.ts) and the dataset's analysis.json.
 *
 * Idempotent submission: the SLURM job name `aquila-<job>-<digest 16 hex>-<attempt>` (and
 * `--comment aquila:<digest>:<job>:<attempt>`) is journaled as `submitting` before `sbatch`
 * runs, and before any (re)submission SLURM is asked for jobs of that name (`squeue -t all`,
 * `sacct` where accounting exists): a crash between `sbatch` and recording the id adopts the
 * job instead of submitting it twice.
 *
 * Public surface: open · start · datasetVerified · submit · cancel · refresh · snapshot ·
 * subscribe · close.
 */
import path from 'node:path';
import { StateError, ValidationError } from '../../drivers/errors';
import type { AnalysisView } from '../api/analysis-schema';
import type { Logger } from '../host/logger';
import type { UploadConfig, UploadTargetConfig } from '../upload/config';
import type { AnalysisConfig, AnalysisJobConfig } from './config';
import { batchFor, newAttempt } from './batch';
import { manifestDigest, recordInDataset } from './dataset-facts';
import { AnalysisError } from './errors';
import { AnalysisJournal } from './journal';
import { isTerminal, runnerFor, SlurmClient } from './slurm';

export interface AnalysisQueueOptions {
  config: AnalysisConfig;
  /** The upload targets (object URIs and CephFS paths are derived from them). */
  upload: UploadConfig | undefined;
  /** Where the journal lives (config.journalDir wins when set). */
  journalDir: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Test hook: runs after sbatch answered, before its job id is journaled (crash tests). */
  afterSbatch?: (jobId: string) => Promise<void>;
}

const CLOSE_WAIT_MS = 500;
const ACTIVE = new Set<AnalysisView['state']>(['queued', 'submitting', 'submitted']);

export class AnalysisQueue {
  private readonly clients = new Map<string, SlurmClient>();
  private readonly listeners = new Set<(s: AnalysisView[]) => void>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  private constructor(
    private readonly opts: AnalysisQueueOptions,
    private readonly journal: AnalysisJournal,
  ) {}

  static open(opts: AnalysisQueueOptions): AnalysisQueue {
    const dir = opts.config.journalDir ?? opts.journalDir;
    const journal = AnalysisJournal.open(dir, (m) => opts.logger?.log('warn', m));
    return new AnalysisQueue(opts, journal);
  }

  /** Starts submitting and polling (journaled jobs resume: `submitting` ones are looked up first). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.schedule(0);
  }

  /** The upload queue's "verified on target": queues every analysis job for that target. */
  async datasetVerified(dataset: string, target: string): Promise<AnalysisView[]> {
    const jobs = this.opts.config.jobs.filter((j) => !j.targets || j.targets.includes(target));
    return this.exclusive(async () => {
      const out: AnalysisView[] = [];
      for (const job of jobs) out.push(this.create(path.resolve(dataset), target, job, false));
      this.kick();
      return structuredClone(out);
    });
  }

  /** Queues (or requeues, when failed or cancelled) a dataset's jobs; `target` defaults to the journaled one. */
  async submit(dataset: string, target?: string, jobName?: string): Promise<AnalysisView[]> {
    const dir = path.resolve(dataset);
    if (target !== undefined) this.targetConfig(target);
    return this.exclusive(async () => {
      const out: AnalysisView[] = [];
      for (const job of this.jobsNamed(jobName)) {
        const had = this.find(dir, job.name);
        const t = target ?? had?.target;
        if (!t)
          throw new ValidationError(
            `analysis.submit: ${path.basename(dir)} has no analysis record yet; name the upload target it is archived on`,
          );
        if (job.targets && !job.targets.includes(t)) continue;
        out.push(this.create(dir, t, job, true));
      }
      if (out.length === 0)
        throw new ValidationError(
          `analysis.submit: no analysis job runs for target "${target}" (jobs: ${this.jobsNamed(
            jobName,
          )
            .map((j) => `${j.name} → ${j.targets?.join(', ') ?? 'every target'}`)
            .join('; ')})`,
        );
      this.kick();
      return structuredClone(out);
    });
  }

  /** Cancels a dataset's queued and submitted jobs (scancel for those SLURM has). */
  async cancel(dataset: string, jobName?: string): Promise<AnalysisView[]> {
    const dir = path.resolve(dataset);
    return this.exclusive(async () => {
      const out: AnalysisView[] = [];
      for (const r of this.recordsOf(dir, jobName)) {
        const a = r.attempts.at(-1);
        if (ACTIVE.has(r.state)) {
          if (r.state === 'submitting' && a)
            a.jobId ??= (await this.client(r).findByName(a.slurmName))[0] ?? null;
          if (a?.jobId && r.state !== 'queued') await this.client(r).cancel(a.jobId);
          if (a && r.state !== 'queued') a.endedAt = Date.now();
          this.finish(r, 'cancelled', 'cancelled by request');
        }
        out.push(r);
      }
      return structuredClone(out);
    });
  }

  /** Polls SLURM now for a dataset's submitted jobs; answers its records. */
  async refresh(dataset: string, jobName?: string): Promise<AnalysisView[]> {
    const dir = path.resolve(dataset);
    return this.exclusive(async () => {
      const list = this.recordsOf(dir, jobName);
      for (const r of list) if (r.state === 'submitted') await this.poll(r);
      return structuredClone(list);
    });
  }

  /** Copies, newest first (the host's state store freezes what it is given). */
  snapshot(): AnalysisView[] {
    return structuredClone(this.list());
  }

  private list(): AnalysisView[] {
    return [...this.journal.records.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  subscribe(fn: (s: AnalysisView[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Stops polling; journaled jobs resume on the next open. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    // A SLURM command in flight (ssh may take a while) is not waited for beyond CLOSE_WAIT_MS:
    // the host's shutdown is bounded, every record is already journaled before each command,
    // and an interrupted submission is looked up by name on the next open.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.chain, new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  // ------------------------------------------------------------------------- internals

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StateError('the analysis queue is closed'));
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.closed || !this.started) return;
    this.timer = setTimeout(() => {
      void this.exclusive(() => this.step())
        .catch((err: unknown) =>
          this.opts.logger?.log('error', `analysis: ${(err as Error).message}`),
        )
        .finally(() => this.schedule(this.opts.config.pollIntervalS * 1000));
    }, ms);
  }

  private kick(): void {
    if (this.started) this.schedule(0);
  }

  /** One pass: submit what is queued or was mid-submission, then poll what SLURM has. */
  private async step(): Promise<void> {
    for (const r of this.list().reverse()) {
      if (this.closed) return;
      try {
        if (r.state === 'queued' || r.state === 'submitting') await this.submitOne(r);
        else if (r.state === 'submitted') await this.poll(r);
      } catch (err) {
        this.opts.logger?.log('warn', `analysis ${r.id}: ${(err as Error).message}`);
      }
    }
  }

  private create(dir: string, target: string, job: AnalysisJobConfig, manual: boolean) {
    this.targetConfig(target);
    const digest = manifestDigest(dir);
    const id = `${digest.slice(0, 16)}-${job.name}`;
    const had = this.journal.records.get(id);
    if (had && (ACTIVE.has(had.state) || !manual)) return had;
    const r: AnalysisView = had ?? {
      id,
      job: job.name,
      dataset: dir,
      datasetName: path.basename(dir),
      target,
      manifestDigest: digest,
      state: 'queued',
      reason: null,
      where: this.client({ job: job.name }).runner.where,
      maxAttempts: job.maxAttempts,
      attempts: [],
      updatedAt: 0,
    };
    if (had) {
      Object.assign(r, { state: 'queued', reason: null, target, dataset: dir });
      r.maxAttempts = r.attempts.length + job.maxAttempts;
    }
    this.save(r);
    return r;
  }

  private async submitOne(r: AnalysisView): Promise<void> {
    if (!this.opts.config.jobs.some((j) => j.name === r.job))
      return this.finish(r, 'failed', `analysis job "${r.job}" is no longer configured`);
    const job = this.jobConfig(r.job);
    const slurm = this.client(r);
    if (r.state === 'queued') {
      r.attempts.push(newAttempt(r));
      r.state = 'submitting';
      this.save(r); // before sbatch: a crash from here on is resolved by the lookup below
    }
    const a = r.attempts.at(-1)!;
    try {
      const existing = await slurm.findByName(a.slurmName);
      if (existing.length) {
        a.jobId = existing[0]!;
        this.opts.logger?.log(
          'warn',
          `analysis: ${r.datasetName} "${r.job}" attempt ${a.n} was already submitted as job ${a.jobId}; not submitting again`,
        );
      } else {
        const { script, args } = batchFor(r, a, job, this.targetConfig(r.target));
        a.jobId = await slurm.submit(script, args);
        await this.opts.afterSbatch?.(a.jobId);
        this.opts.logger?.log(
          'info',
          `analysis: ${r.datasetName} "${r.job}" submitted as job ${a.jobId} on ${slurm.runner.where}`,
        );
      }
      r.state = 'submitted';
      r.reason = null;
      this.save(r);
    } catch (err) {
      if (err instanceof AnalysisError && err.details?.retry) {
        r.reason = err.message; // stays `submitting`: looked up again on the next pass
        this.save(r);
        throw err;
      }
      a.endedAt = Date.now();
      this.finish(r, 'failed', `submission failed: ${(err as Error).message}`);
    }
  }

  private async poll(r: AnalysisView): Promise<void> {
    const a = r.attempts.at(-1);
    if (!a?.jobId) return;
    const info = await this.client(r).jobInfo(a.jobId);
    if (!info) {
      a.endedAt = Date.now();
      this.finish(
        r,
        'failed',
        `SLURM no longer knows job ${a.jobId} (last seen ${a.slurmState ?? 'never'}; no accounting to ask)`,
      );
      return;
    }
    const changed =
      info.state !== a.slurmState ||
      info.exitCode !== a.exitCode ||
      info.outputFile !== a.outputFile;
    Object.assign(a, {
      slurmState: info.state,
      exitCode: info.exitCode,
      signal: info.signal,
      outputFile: info.outputFile ?? a.outputFile,
    });
    if (!isTerminal(info.state)) {
      if (changed) this.save(r);
      return;
    }
    a.endedAt = Date.now();
    if (info.state === 'COMPLETED') return this.finish(r, 'completed', null);
    if (info.state === 'CANCELLED')
      return this.finish(r, 'cancelled', `job ${a.jobId} was cancelled`);
    const why = `job ${a.jobId} ${info.state}, exit code ${info.exitCode ?? '?'}${info.signal ? ` (signal ${info.signal})` : ''}`;
    if (r.attempts.length < r.maxAttempts) {
      r.state = 'queued';
      r.reason = `${why}; resubmitting (attempt ${r.attempts.length + 1} of ${r.maxAttempts})`;
      this.opts.logger?.log('warn', `analysis: ${r.datasetName} "${r.job}": ${r.reason}`);
      this.save(r);
      this.kick();
      return;
    }
    this.finish(r, 'failed', why);
  }

  private finish(r: AnalysisView, state: AnalysisView['state'], reason: string | null): void {
    r.state = state;
    r.reason = reason;
    this.save(r);
    const level = state === 'completed' ? 'info' : 'warn';
    this.opts.logger?.log(
      level,
      `analysis: ${r.datasetName} "${r.job}" ${state}${reason ? `: ${reason}` : ''}`,
    );
  }

  private save(r: AnalysisView): void {
    this.journal.save(r);
    try {
      recordInDataset(r);
    } catch (err) {
      this.opts.logger?.log(
        'warn',
        `analysis: cannot write ${r.datasetName}/analysis.json: ${(err as Error).message}`,
      );
    }
    const snap = this.snapshot();
    for (const fn of this.listeners) fn(snap);
  }

  private client(r: Pick<AnalysisView, 'job'>): SlurmClient {
    let c = this.clients.get(r.job);
    if (!c) {
      c = new SlurmClient(runnerFor(this.jobConfig(r.job).submit, this.opts.env));
      this.clients.set(r.job, c);
    }
    return c;
  }

  private jobConfig(name: string): AnalysisJobConfig {
    const job = this.opts.config.jobs.find((j) => j.name === name);
    if (!job) throw new ValidationError(`analysis job "${name}" is not configured`);
    return job;
  }

  private jobsNamed(name: string | undefined): AnalysisJobConfig[] {
    return name === undefined ? this.opts.config.jobs : [this.jobConfig(name)];
  }

  private targetConfig(name: string): UploadTargetConfig {
    const t = this.opts.upload?.targets.find((x) => x.name === name);
    if (!t) throw new ValidationError(`"${name}" is not a configured upload target`);
    return t;
  }

  private find(dir: string, job: string): AnalysisView | undefined {
    return this.recordsOf(dir, job)[0];
  }

  private recordsOf(dir: string, job?: string): AnalysisView[] {
    return this.list().filter((r) => r.dataset === dir && (job === undefined || r.job === job));
  }
}
