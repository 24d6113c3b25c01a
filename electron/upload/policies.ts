/**
 * Target construction and the free-local-space policy. Local data is deleted only for jobs
 * whose remote copy was verified (state `done` in the journal), whose target sets
 * `freeLocalAfterDays`, whose manifest is older than that, and when no other job for the same
 * dataset is still pending.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../host/logger';
import type { UploadConfig, UploadTargetConfig } from './config';
import { FilesystemTarget } from './fs-target';
import type { Journal } from './journal';
import { MANIFEST_NAME } from './manifest';
import { resolveS3Credentials } from './s3-client';
import { S3Target } from './s3-target';
import type { UploadObserver, UploadTarget } from './target';

export function createTarget(
  cfg: UploadTargetConfig,
  opts: {
    env?: NodeJS.ProcessEnv;
    observer?: UploadObserver;
    configureS3Client?: (c: S3Client) => void;
  },
): UploadTarget {
  if (cfg.kind === 'filesystem') return new FilesystemTarget(cfg, opts.observer);
  return new S3Target(cfg, resolveS3Credentials(cfg, opts.env), {
    ...(opts.observer ? { observer: opts.observer } : {}),
    ...(opts.configureS3Client ? { configureClient: opts.configureS3Client } : {}),
  });
}

export async function freeVerifiedDatasets(
  journal: Journal,
  config: UploadConfig,
  nowMs: number,
  logger?: Logger,
): Promise<string[]> {
  const freed: string[] = [];
  const jobs = [...journal.jobs.values()];
  for (const job of jobs) {
    const days = config.targets.find((t) => t.name === job.target)?.freeLocalAfterDays;
    if (days === undefined || job.state !== 'done' || job.freed) continue;
    const pending = jobs.some(
      (j) => j.dataset === job.dataset && j.state !== 'done' && j.state !== 'cancelled',
    );
    if (pending) continue;
    const manifest = await stat(path.join(job.dataset, MANIFEST_NAME)).catch(() => undefined);
    if (!manifest || nowMs - manifest.mtimeMs < days * 86_400_000) continue;
    await rm(job.dataset, { recursive: true, force: true });
    await journal.append({ t: 'freed', id: job.id, at: nowMs });
    logger?.log('info', `upload: freed local dataset ${job.dataset} (verified on "${job.target}")`);
    freed.push(job.dataset);
  }
  return freed;
}
