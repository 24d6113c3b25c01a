/**
 * What a batch-script template may say about a verified dataset (its placeholder values), and
 * the dataset's analysis record `analysis.json`: the SLURM job ids and outcomes, beside
 * `provenance.json`. provenance.json is covered by manifest.sha256 and archived byte-identical,
 * so it is never rewritten after close; `analysis.json` is left out of the manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisView } from '../api/analysis-schema';
import { readProvenance } from '../storage/dataset-files';
import { writeJsonAtomicSync } from '../storage/fs-atomic';
import { datasetFiles, framesExpected } from '../storage/layout';
import type { UploadTargetConfig } from '../upload/config';
import type { AnalysisJobConfig } from './config';
import { AnalysisError } from './errors';
import { ValidationError } from '../../drivers/errors';
import type { PlaceholderValues } from './template';

/** SHA-256 (hex) of the dataset's manifest.sha256: names this exact dataset content. */
export function manifestDigest(datasetDir: string): string {
  const file = path.join(datasetDir, datasetFiles.manifest);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ValidationError(
      `dataset ${datasetDir} has no readable ${datasetFiles.manifest} (${(err as NodeJS.ErrnoException).code}); only closed, archived datasets are analysed`,
    );
  }
  return createHash('sha256').update(bytes).digest('hex');
}

export function objectUri(target: UploadTargetConfig, name: string): string {
  return target.kind === 's3'
    ? `s3://${target.bucket}/${target.prefix}${name}/`
    : `file://${path.resolve(target.path, name)}/`;
}

export function placeholderValues(
  datasetDir: string,
  digest: string,
  target: UploadTargetConfig,
  job: AnalysisJobConfig,
): PlaceholderValues {
  const prov = readProvenance(datasetDir);
  const name = path.basename(datasetDir);
  const root = job.cephfsRoot ?? (target.kind === 'filesystem' ? target.path : undefined);
  if (root === undefined && (job.script + job.outputDir).includes('cephfsPath'))
    throw new AnalysisError(
      `analysis job "${job.name}" uses {{cephfsPath}} but target "${target.name}" is not a file system: set cephfsRoot on the job`,
    );
  const l = prov.layout;
  return {
    dataset: name,
    localPath: datasetDir,
    objectUri: objectUri(target, name),
    cephfsPath: root === undefined ? '' : path.posix.join(root, name),
    manifestDigest: digest,
    target: target.name,
    job: job.name,
    'run.operator': prov.operator,
    'run.startedAt': prov.startedAt,
    'run.endedAt': prov.endedAt ?? '',
    'run.outcome': prov.outcome,
    'run.format': l.format,
    'run.imageFile': prov.imageFile,
    'run.positions': String(l.positions),
    'run.frames': String(prov.progress?.framesWritten ?? framesExpected(l)),
    'run.sizeT': String(l.sizes.t),
    'run.sizeC': String(l.sizes.c),
    'run.sizeZ': String(l.sizes.z),
    'run.sizeY': String(l.sizes.y),
    'run.sizeX': String(l.sizes.x),
    'run.pixelSizeUm': String(l.physical.pixelSizeUm),
    'run.channels': l.channels.map((c) => c.name).join(','),
  };
}

export interface AnalysisRecordFile {
  aquilaAnalysis: 1;
  /** analysis job name → its submissions and outcome. */
  jobs: Record<
    string,
    Pick<AnalysisView, 'target' | 'manifestDigest' | 'state' | 'reason' | 'where' | 'attempts'>
  >;
}

/** Writes `view` into its dataset's analysis.json (atomically); false when the folder is gone. */
export function recordInDataset(view: AnalysisView): boolean {
  if (!existsSync(view.dataset)) return false; // freed by the retention policy
  const file = path.join(view.dataset, datasetFiles.analysis);
  let doc: AnalysisRecordFile = { aquilaAnalysis: 1, jobs: {} };
  try {
    const old = JSON.parse(readFileSync(file, 'utf8')) as AnalysisRecordFile;
    if (old.aquilaAnalysis === 1 && typeof old.jobs === 'object') doc = old;
  } catch {
    // absent or torn: start afresh (the queue's journal holds the full history)
  }
  const { target, manifestDigest: digest, state, reason, where, attempts } = view;
  doc.jobs[view.job] = { target, manifestDigest: digest, state, reason, where, attempts };
  writeJsonAtomicSync(file, doc, 'disk');
  return true;
}
