/**
 * Live archiving (a target with `archive: "live"`): the queue holds a `live` job from the
 * moment its run starts; the dataset writer reports each file once it is complete and hashed
 * (an OME-Zarr chunk or closed shard) and the queue journals it as `final` and sends it; the
 * growing OME-TIFF goes part by part (`UploadTarget.sendGrowing`), its header part at close.
 * Files that change until close (metadata, provenance, frames.jsonl) and the manifest go when
 * the run has closed, as for any dataset; files sent live are then skipped if the manifest
 * agrees with the hash the writer reported, and sent again if not.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { JobRecord } from './journal';
import { MANIFEST_NAME, type DatasetManifest } from './manifest';

export type { FinalFile } from '../pipeline/writer-messages';

/** True once the dataset's manifest exists (its run has closed, or recovery closed it). */
export async function runClosed(dataset: string): Promise<boolean> {
  return access(path.join(dataset, MANIFEST_NAME)).then(
    () => true,
    () => false,
  );
}

/** The final files not yet on the target, as a manifest for a partial attempt. */
export function pendingFinals(job: JobRecord): DatasetManifest {
  const files = [...job.finals]
    .filter(([rel]) => !job.filesDone.has(rel))
    .map(([rel, f]) => ({ rel, sha256: f.sha256, sizeBytes: f.sizeBytes }));
  return {
    datasetDir: job.dataset,
    name: path.basename(job.dataset),
    files,
    manifestBytes: Buffer.alloc(0),
    totalBytes: files.reduce((n, f) => n + f.sizeBytes, 0),
  };
}

/**
 * Files sent live whose manifest hash differs from what the writer reported (it should never
 * happen): forgotten as done, so this attempt sends them again.
 */
export function forgetDisagreeing(job: JobRecord, manifest: DatasetManifest): string[] {
  const redo: string[] = [];
  for (const f of manifest.files) {
    const live = job.finals.get(f.rel);
    if (live && live.sha256 !== f.sha256 && job.filesDone.delete(f.rel)) redo.push(f.rel);
  }
  return redo;
}

/** Acquired (reported final) vs archived bytes, and how long the oldest unsent file waits. */
export function liveProgress(
  job: JobRecord,
  nowMs: number,
): { acquiredBytes: number; archivedBytes: number; lagS: number } {
  let acquiredBytes = 0;
  let archivedBytes = 0;
  let oldest = nowMs;
  for (const [rel, f] of job.finals) {
    acquiredBytes += f.sizeBytes;
    if (job.filesDone.has(rel)) archivedBytes += f.sizeBytes;
    else oldest = Math.min(oldest, f.at);
  }
  return { acquiredBytes, archivedBytes, lagS: Math.max(0, (nowMs - oldest) / 1_000) };
}
