/**
 * The upload queue's durable journal: one JSON record per line in `upload-journal.jsonl`,
 * appended and fdatasync'ed before `append` resolves (group commit: records that arrive
 * while a sync runs share the next one). A torn last line from a crash is ignored on open.
 * On open the file is compacted (written to a temp file, fsync'ed, renamed over) so it does
 * not grow without bound. The journal is the only state that survives a restart or kill -9.
 * One process at a time, through a kernel-held lock (journal-lock.ts): a holder that died
 * (kill -9) never blocks the next one.
 */
import { open, readFile, rename, mkdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { lockJournal, type JournalLock } from './journal-lock';

export type JobState = 'queued' | 'paused' | 'done' | 'failed' | 'cancelled';

export type JournalRecord =
  /** `live`: queued when its run started; files are sent as they become final. */
  | { t: 'job'; id: string; dataset: string; target: string; at: number; live?: boolean }
  | { t: 'status'; id: string; state: JobState; reason?: string; at: number }
  /**
   * An S3 multipart upload was created (or adopted) for `rel` with this part size; `growing`:
   * created while the file was still being written (live archiving), so without the sha256
   * metadata, which is not known yet.
   */
  | { t: 'mpu'; id: string; rel: string; uploadId: string; partBytes: number; growing?: true }
  /** Part `n` of `rel` was accepted by the gateway with ETag `md5` (hex). */
  | { t: 'part'; id: string; rel: string; n: number; md5: string }
  /** `rel` is on the target and verified. */
  | { t: 'file'; id: string; rel: string }
  /** The multipart upload of `rel` was aborted on the gateway (its parts are gone). */
  | { t: 'mpu-aborted'; id: string; rel: string }
  /** Live archiving: the dataset writer reported `rel` final (it will not change again). */
  | { t: 'final'; id: string; rel: string; sha256: string; sizeBytes: number; at: number }
  /** The local copy of the dataset was deleted by the free-space policy. */
  | { t: 'freed'; id: string; at: number };

export interface MpuRecord {
  uploadId: string;
  partBytes: number;
  growing?: true;
  /** part number → md5 hex of parts the gateway accepted. */
  parts: Map<number, string>;
}

export interface JobRecord {
  id: string;
  dataset: string;
  target: string;
  enqueuedAt: number;
  state: JobState;
  reason?: string;
  stateAt: number;
  filesDone: Set<string>;
  mpus: Map<string, MpuRecord>;
  freed: boolean;
  live: boolean;
  /** Live archiving: files reported final by the writer, in report order. */
  finals: Map<string, { sha256: string; sizeBytes: number; at: number }>;
}

export function applyRecord(jobs: Map<string, JobRecord>, r: JournalRecord): void {
  if (r.t === 'job') {
    jobs.set(r.id, {
      id: r.id,
      dataset: r.dataset,
      target: r.target,
      enqueuedAt: r.at,
      state: 'queued',
      stateAt: r.at,
      filesDone: new Set(),
      mpus: new Map(),
      freed: false,
      live: r.live === true,
      finals: new Map(),
    });
    return;
  }
  const job = jobs.get(r.id);
  if (!job) return;
  switch (r.t) {
    case 'status':
      job.state = r.state;
      job.stateAt = r.at;
      if (r.reason === undefined) delete job.reason;
      else job.reason = r.reason;
      break;
    case 'mpu':
      job.mpus.set(r.rel, {
        uploadId: r.uploadId,
        partBytes: r.partBytes,
        parts: new Map(),
        ...(r.growing ? { growing: true } : {}),
      });
      break;
    case 'part':
      job.mpus.get(r.rel)?.parts.set(r.n, r.md5);
      break;
    case 'file':
      job.filesDone.add(r.rel);
      job.mpus.delete(r.rel);
      break;
    case 'mpu-aborted':
      job.mpus.delete(r.rel);
      break;
    case 'final':
      job.finals.set(r.rel, { sha256: r.sha256, sizeBytes: r.sizeBytes, at: r.at });
      break;
    case 'freed':
      job.freed = true;
      break;
  }
}

function* recordsOf(job: JobRecord): Generator<JournalRecord> {
  yield {
    t: 'job',
    id: job.id,
    dataset: job.dataset,
    target: job.target,
    at: job.enqueuedAt,
    ...(job.live ? { live: true } : {}),
  };
  const status: JournalRecord = { t: 'status', id: job.id, state: job.state, at: job.stateAt };
  if (job.reason !== undefined) status.reason = job.reason;
  yield status;
  if (job.state !== 'done' && job.state !== 'cancelled') {
    for (const [rel, f] of job.finals) yield { t: 'final', id: job.id, rel, ...f };
    for (const rel of job.filesDone) yield { t: 'file', id: job.id, rel };
    for (const [rel, m] of job.mpus) {
      yield {
        t: 'mpu',
        id: job.id,
        rel,
        uploadId: m.uploadId,
        partBytes: m.partBytes,
        ...(m.growing ? { growing: true as const } : {}),
      };
      for (const [n, md5] of m.parts) yield { t: 'part', id: job.id, rel, n, md5 };
    }
  }
  if (job.freed) yield { t: 'freed', id: job.id, at: job.stateAt };
}

export class Journal {
  private pending: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(
    private readonly fh: FileHandle,
    readonly jobs: Map<string, JobRecord>,
    private readonly lock: JournalLock,
  ) {}

  /** Opens (creating) the journal in `dir`, replays it into `jobs` and compacts it. */
  static async open(dir: string): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const lock = await lockJournal(dir);
    try {
      return await Journal.load(dir, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private static async load(dir: string, lock: JournalLock): Promise<Journal> {
    // The pid file of earlier versions; the kernel-held lock replaces it.
    await rm(path.join(dir, 'upload-journal.lock'), { force: true });
    const file = path.join(dir, 'upload-journal.jsonl');
    const jobs = new Map<string, JobRecord>();
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        applyRecord(jobs, JSON.parse(line) as JournalRecord);
      } catch {
        // a torn final line from a crash mid-append; everything before it is intact
      }
    }
    const tmp = `${file}.tmp`;
    const out = await open(tmp, 'w');
    const lines: string[] = [];
    for (const job of jobs.values()) for (const r of recordsOf(job)) lines.push(JSON.stringify(r));
    await out.writeFile(lines.length ? `${lines.join('\n')}\n` : '');
    await out.sync();
    await out.close();
    await rename(tmp, file);
    const dirFh = await open(dir, 'r');
    await dirFh.sync().catch(() => undefined);
    await dirFh.close();
    return new Journal(await open(file, 'a'), jobs, lock);
  }

  /** Applies `r` to the in-memory state at once; resolves when it is on disk. */
  append(r: JournalRecord): Promise<void> {
    applyRecord(this.jobs, r);
    return new Promise((done, fail) => {
      this.pending.push({ line: `${JSON.stringify(r)}\n`, done, fail });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.fh.write(batch.map((b) => b.line).join(''));
        await this.fh.datasync();
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.fh.close();
    await this.lock.release();
  }
}
