/**
 * The upload queue's live-archiving bookkeeping (see live-archive.ts): which live jobs hear
 * of a final or growing file or of the run's end, and what a live job has to send while its
 * run is still writing.
 */
import type { Logger } from '../host/logger';
import type { Journal, JobRecord } from './journal';
import { pendingFinals, runClosed, type FinalFile } from './live-archive';
import type { DatasetManifest } from './manifest';
import type { LiveStatus } from './status';

type LiveMap = ReadonlyMap<string, LiveStatus>;

/**
 * Journals `file` as final for every live job of `dataset` still to finish, without waiting
 * (a record lost in a crash only means the file goes at close), and wakes those jobs.
 */
export function noteFinal(
  journal: Journal,
  live: LiveMap,
  dataset: string,
  file: FinalFile,
  logger?: Logger,
): void {
  for (const job of journal.jobs.values()) {
    if (!job.live || job.dataset !== dataset || job.state === 'done') continue;
    if (job.state === 'cancelled') continue;
    const at = Date.now();
    journal
      .append({ t: 'final', id: job.id, ...file, at })
      .catch((err: unknown) =>
        logger?.log(
          'warn',
          `upload: cannot journal ${file.rel} as final (${(err as Error).message}); it goes at close`,
        ),
      );
    const l = live.get(job.id);
    if (l) delete l.idleSinceMs;
  }
}

/** Records the final prefix of a growing file for the queued live jobs of `dataset`. */
export function noteGrowing(
  journal: Journal,
  live: LiveMap,
  dataset: string,
  file: { rel: string; finalBytes: number },
): void {
  for (const job of journal.jobs.values()) {
    if (!job.live || job.dataset !== dataset || job.state !== 'queued') continue;
    const l = live.get(job.id);
    if (!l) continue;
    l.growing.set(file.rel, file.finalBytes);
    delete l.idleSinceMs;
  }
}

/** The ids of the live jobs of `dataset` not yet done (the run ended), woken. */
export function liveJobsAtRunEnd(journal: Journal, live: LiveMap, dataset: string): string[] {
  const ids: string[] = [];
  for (const job of journal.jobs.values())
    if (job.live && job.dataset === dataset && job.state !== 'done') {
      const l = live.get(job.id);
      if (l) delete l.idleSinceMs;
      ids.push(job.id);
    }
  return ids;
}

/** What a live job sends while its run is writing: final files and grown prefixes. */
export interface LiveBatch {
  manifest: DatasetManifest;
  grown: [string, number][];
}

/**
 * For a live job whose run was open at the last look: `undefined` if the run has closed
 * meanwhile (the job sends the whole dataset), `'idle'` if nothing is ready to send, else
 * the batch to send now.
 */
export async function liveBatch(
  job: JobRecord,
  l: LiveStatus,
): Promise<LiveBatch | 'idle' | undefined> {
  if (!job.live || !l.runOpen) return undefined;
  l.runOpen = !(await runClosed(job.dataset));
  if (!l.runOpen) return undefined;
  const manifest = pendingFinals(job);
  const grown = [...l.growing].filter(([rel, n]) => n > (l.growingSent.get(rel) ?? 0));
  return manifest.files.length || grown.length ? { manifest, grown } : 'idle';
}
