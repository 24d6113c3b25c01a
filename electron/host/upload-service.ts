/**
 * The host's side of archiving: opens the durable upload queue when the config has upload
 * targets, mirrors its status into AppState.uploads, queues runs on targets by their
 * `archive` policy (live: from the run's start, file by file as the writer finishes them;
 * at-close: finished runs), tells the queue while an acquisition runs (disk share), and
 * watches the acquisition disk's free space. Only datasets inside the datasets folder can be
 * queued. `onVerified` is where the analysis hand-off hooks in.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { StateError, ValidationError } from '../../drivers/errors';
import { sessionDir } from '../cli/session-file';
import type { AquilaConfig } from '../config/schema';
import { checkDiskSpace } from '../upload/disk-space';
import { UploadQueue, type VerifiedDataset } from '../upload/queue';
import type { AcquisitionService } from './acquisition-service';
import type { Logger } from './logger';
import type { StateStore } from './state-store';

const DISK_CHECK_MS = 30_000;
/** The free-local-space policy (targets' `freeLocalAfterDays`) is applied this often. */
const RETENTION_MS = 60 * 60_000;
const DEFAULT_DISK_POLICY = { minFreeGiB: 50, minFreeFraction: 0.05 };

export class UploadService {
  private queue: UploadQueue | null = null;
  private diskTimer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private readonly verifiedListeners = new Set<(e: VerifiedDataset) => void>();

  constructor(
    private readonly deps: {
      config: AquilaConfig;
      store: StateStore;
      acquisition: AcquisitionService;
      log: Logger;
    },
  ) {}

  async init(): Promise<void> {
    const { config, store, acquisition, log } = this.deps;
    store.update((s) => {
      s.storage.uploadTargets = config.upload?.targets.map((t) => t.name) ?? [];
    });
    if (config.upload) {
      const queue = await UploadQueue.open({
        config: config.upload,
        journalDir: config.upload.journalDir ?? path.join(sessionDir(), 'upload'),
        logger: log,
      });
      this.queue = queue;
      queue.onVerified((e) => {
        for (const fn of this.verifiedListeners) fn(e);
      });
      queue.subscribe((list) =>
        store.update((s) => {
          s.uploads = list;
        }),
      );
      store.update((s) => {
        s.uploads = queue.snapshot();
      });
      queue.start();
      const retain = () =>
        queue
          .applyRetention()
          .then((freed) => {
            for (const dir of freed)
              log.log('info', `Freed local copy of ${dir} (verified on its targets)`);
            if (freed.length) acquisition.refreshDatasets();
          })
          .catch((err: unknown) =>
            log.log('error', `Retention policy failed: ${(err as Error).message}`),
          );
      void retain();
      this.retentionTimer = setInterval(() => void retain(), RETENTION_MS);
      this.retentionTimer.unref();
    }
    acquisition.onRunEnd((run) => {
      this.queue?.setAcquisitionActive(false);
      if (this.queue && run.state === 'finished') {
        this.queue
          .enqueueRunEnd(run.dir)
          .catch((err: unknown) =>
            log.log(
              'error',
              `Auto-upload of ${run.dir} failed to queue: ${(err as Error).message}`,
            ),
          );
      }
      void this.checkDisk();
    });
    // Live archiving: a run's files are queued as the writer finishes them; each waits for
    // its run's live jobs to be journaled first.
    let liveJobs: Promise<unknown> = Promise.resolve();
    acquisition.onRunStart(({ dir }) => {
      this.queue?.setAcquisitionActive(true);
      const queue = this.queue;
      if (!queue) return;
      liveJobs = queue
        .enqueueRunStart(dir)
        .catch((err: unknown) =>
          log.log('error', `Live archiving of ${dir} failed to queue: ${(err as Error).message}`),
        );
    });
    acquisition.onDatasetFile((dir, file) => {
      const queue = this.queue;
      if (!queue) return;
      void liveJobs.then(() =>
        'sha256' in file ? queue.fileFinal(dir, file) : queue.fileGrowing(dir, file),
      );
    });
    await this.checkDisk();
    this.diskTimer = setInterval(() => void this.checkDisk(), DISK_CHECK_MS);
    this.diskTimer.unref();
  }

  private requireQueue(): UploadQueue {
    if (!this.queue)
      throw new StateError(
        'No upload targets are configured (add an "upload" section to the config)',
      );
    return this.queue;
  }

  /** `dataset` is a name or a folder; it must lie inside the datasets folder. */
  async enqueue(dataset: string, target: string): Promise<string> {
    const queue = this.requireQueue();
    const root = this.deps.acquisition.datasetsRoot;
    const dir = path.resolve(root, dataset);
    if (path.dirname(dir) !== root) {
      throw new ValidationError(
        `upload.enqueue: "${dataset}" is not a dataset folder inside ${root}`,
      );
    }
    // A missing folder is left to the queue, whose error names what is missing.
    const realDir = await realpath(dir).catch(() => null);
    const realRoot = await realpath(root).catch(() => root);
    if (realDir !== null && path.dirname(realDir) !== realRoot) {
      throw new ValidationError(
        `upload.enqueue: "${dataset}" is a link to ${realDir}, outside the datasets folder ${root}`,
      );
    }
    return queue.enqueue(dir, target);
  }

  /**
   * `fn` runs each time a dataset is verified on a target (analysis hand-off hooks in here);
   * returns the unsubscribe. May be called before `init`; never called without upload targets.
   */
  onVerified(fn: (e: VerifiedDataset) => void): () => void {
    this.verifiedListeners.add(fn);
    return () => this.verifiedListeners.delete(fn);
  }

  pause = (id: string) => this.requireQueue().pause(id);
  resume = (id: string) => this.requireQueue().resume(id);
  cancel = (id: string) => this.requireQueue().cancel(id);
  retry = (id: string) => this.requireQueue().retry(id);

  whenIdle(): Promise<void> {
    return this.queue?.whenIdle() ?? Promise.resolve();
  }

  async checkDisk(): Promise<void> {
    const root = this.deps.acquisition.datasetsRoot;
    const policy = this.deps.config.upload?.diskNearlyFull ?? DEFAULT_DISK_POLICY;
    try {
      let dir = root;
      while (dir !== path.dirname(dir)) {
        try {
          const d = await checkDiskSpace(dir, policy);
          const wasFull = this.deps.store.state.storage.nearlyFull;
          this.deps.store.update((s) => {
            Object.assign(s.storage, {
              freeBytes: d.freeBytes,
              totalBytes: d.totalBytes,
              nearlyFull: d.nearlyFull,
            });
          });
          if (d.nearlyFull && !wasFull)
            this.deps.log.log(
              'warn',
              `Acquisition disk nearly full: ${(d.freeBytes / 1024 ** 3).toFixed(1)} GiB free under ${root}`,
            );
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          dir = path.dirname(dir); // the datasets folder does not exist yet: measure its parent
        }
      }
    } catch (err) {
      this.deps.log.log('warn', `Cannot read free space under ${root}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.diskTimer);
    clearInterval(this.retentionTimer);
    await this.queue?.close();
  }
}
