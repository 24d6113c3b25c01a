/**
 * What the queue hands a target for one attempt at one dataset, and what a target is.
 * A target resumes from `job` (the journal's view), records progress through `record`
 * (durable before it resolves) and throws an UploadError on failure.
 */
import type { JobRecord, JournalRecord } from './journal';
import type { DatasetManifest } from './manifest';
import type { TokenBucket } from './throttle';

export type UploadPhase = 'uploading' | 'verifying';

export interface UploadAttempt {
  job: JobRecord;
  manifest: DatasetManifest;
  /**
   * Live archiving while the run is still writing: `manifest` lists only files already final;
   * send them and stop (no manifest object, no clean-up of other incomplete uploads).
   */
  partial?: boolean;
  record(r: JournalRecord): Promise<void>;
  /** Network send limit (bytes). */
  net: TokenBucket;
  /** Local disk read limit (bytes) while an acquisition runs. */
  disk: TokenBucket;
  signal: AbortSignal;
  /** `bytes` more of the dataset are on the target (sent or found already there). */
  progress(bytes: number): void;
  phase(p: UploadPhase): void;
}

/** Test and benchmark instrumentation; never needed in production. */
export interface UploadObserver {
  /** A request carrying `bytes` of `rel` (part `n`, 0 for a whole file) is about to be sent. */
  sending?(rel: string, n: number, bytes: number): void;
}

export interface UploadTarget {
  readonly name: string;
  readonly kind: 's3' | 'filesystem';
  upload(attempt: UploadAttempt): Promise<void>;
  /**
   * Live archiving of a file still being written whose bytes before `finalBytes` are final:
   * sends its complete parts except the first (which holds the header, rewritten at close)
   * into a multipart upload that the close-time `upload` resumes and completes.
   */
  sendGrowing?(attempt: UploadAttempt, rel: string, finalBytes: number): Promise<void>;
  /**
   * After a cancel or failure: release hidden remote state (abort the job's multipart uploads,
   * or only those of `rels`); returns the files whose uploads were aborted.
   */
  discard?(job: JobRecord, rels?: readonly string[]): Promise<string[]>;
  close(): void;
}

/**
 * At most `limit` tasks in flight. `acquire` waits for a free slot (the caller may then do
 * sequential work such as reading the next part), `spawn` runs a task that frees the slot when
 * it settles. The first failure is kept, reported to `onFail` and rethrown by `acquire`/`drain`.
 */
export class Slots {
  private active = 0;
  private waiters: (() => void)[] = [];
  private readonly tasks = new Set<Promise<void>>();
  private firstError: unknown;
  private failed = false;

  constructor(
    private readonly limit: number,
    private readonly onFail: (err: unknown) => void = () => undefined,
  ) {}

  async acquire(): Promise<void> {
    while (this.active >= this.limit) await new Promise<void>((r) => this.waiters.push(r));
    this.throwIfFailed();
    this.active++;
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  /** Runs `task` in the slot taken by the last `acquire`. */
  spawn(task: () => Promise<void>): void {
    const p: Promise<void> = task()
      .catch((err: unknown) => {
        if (!this.failed) {
          this.failed = true;
          this.firstError = err;
          this.onFail(err);
        }
      })
      .finally(() => {
        this.tasks.delete(p);
        this.release();
      });
    this.tasks.add(p);
  }

  throwIfFailed(): void {
    if (this.failed) throw this.firstError;
  }

  /** Waits for every spawned task; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.tasks.size) await Promise.all([...this.tasks]);
    this.throwIfFailed();
  }
}
