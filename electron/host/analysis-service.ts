/**
 * The host's side of the SLURM analysis hand-off (issue #16 §2): opens the analysis queue when
 * the config has an `analysis` section, hands it every dataset the upload queue verifies on a
 * target, mirrors its jobs into AppState.analysis, and serves the `analysis.*` commands.
 * Datasets are named as in `upload.enqueue`: a name or folder inside the datasets folder.
 */
import path from 'node:path';
import { StateError, ValidationError } from '../../drivers/errors';
import type { AnalysisCommandName, AnalysisView } from '../api/contract';
import { sessionDir } from '../cli/session-file';
import type { AquilaConfig } from '../config/schema';
import { AnalysisQueue } from '../analysis/queue';
import type { Handlers } from './command-handlers';
import type { Logger } from './logger';
import type { StateStore } from './state-store';

export class AnalysisService {
  private queue: AnalysisQueue | null = null;

  constructor(
    private readonly deps: {
      config: AquilaConfig;
      store: StateStore;
      log: Logger;
      /** The datasets folder (the acquisition service's). */
      datasetsRoot: () => string;
    },
  ) {}

  init(): void {
    const { config, store, log } = this.deps;
    if (!config.analysis) return;
    const queue = AnalysisQueue.open({
      config: config.analysis,
      upload: config.upload,
      journalDir: path.join(sessionDir(), 'analysis'),
      logger: log,
    });
    this.queue = queue;
    const mirror = (list: AnalysisView[]) =>
      store.update((s) => {
        s.analysis = list;
      });
    queue.subscribe(mirror);
    mirror(queue.snapshot());
    queue.start();
  }

  /** The upload queue's "verified on target" (UploadService.onVerified). */
  datasetVerified = (dataset: string, target: string): void => {
    this.queue
      ?.datasetVerified(dataset, target)
      .catch((err: unknown) =>
        this.deps.log.log(
          'error',
          `Analysis of ${path.basename(dataset)} could not be queued: ${(err as Error).message}`,
        ),
      );
  };

  handlers(): Pick<Handlers, AnalysisCommandName> {
    return {
      'analysis.status': async (p) => ({
        jobs: await this.requireQueue().refresh(this.dir(p.dataset), p.job),
      }),
      'analysis.submit': async (p) => ({
        jobs: await this.requireQueue().submit(this.dir(p.dataset), p.target, p.job),
      }),
      'analysis.cancel': async (p) => ({
        jobs: await this.requireQueue().cancel(this.dir(p.dataset), p.job),
      }),
    };
  }

  async close(): Promise<void> {
    await this.queue?.close();
  }

  private requireQueue(): AnalysisQueue {
    if (!this.queue)
      throw new StateError(
        'No analysis jobs are configured (add an "analysis" section to the config; see docs/analysis.md)',
      );
    return this.queue;
  }

  private dir(dataset: string): string {
    const root = this.deps.datasetsRoot();
    const dir = path.resolve(root, dataset);
    if (path.dirname(dir) !== root)
      throw new ValidationError(`"${dataset}" is not a dataset folder inside ${root}`);
    return dir;
  }
}
