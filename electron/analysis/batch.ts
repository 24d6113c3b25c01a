/**
 * One SLURM submission of an analysis job: its attempt record (the job name carries the
 * manifest digest and the attempt number, so it can be looked up before any resubmission)
 * and the `sbatch` script and arguments built from the job's config and the dataset.
 */
import type { AnalysisAttempt, AnalysisView } from '../api/analysis-schema';
import { readProvenance } from '../storage/dataset-files';
import type { UploadTargetConfig } from '../upload/config';
import type { AnalysisJobConfig } from './config';
import { placeholderValues } from './dataset-facts';
import { renderTemplate } from './template';

export function newAttempt(r: AnalysisView): AnalysisAttempt {
  const n = r.attempts.length + 1;
  return {
    n,
    slurmName: `aquila-${r.job}-${r.manifestDigest.slice(0, 16)}-${n}`,
    startedAt: Date.now(),
    jobId: null,
    slurmState: null,
    exitCode: null,
    signal: null,
    outputFile: null,
    endedAt: null,
  };
}

/** The batch script (placeholders shell-quoted) and the sbatch arguments for attempt `a`. */
export function batchFor(
  r: AnalysisView,
  a: AnalysisAttempt,
  job: AnalysisJobConfig,
  target: UploadTargetConfig,
): { script: string; args: string[] } {
  const values = placeholderValues(r.dataset, r.manifestDigest, target, job);
  const s = job.sbatch;
  const out = `${renderTemplate(job.outputDir, values, false)}/${s.array ? '%x-%A_%a' : '%x-%j'}.out`;
  const args = [
    `--job-name=${a.slurmName}`,
    `--comment=aquila:${r.manifestDigest}:${r.job}:${a.n}`,
    `--output=${out}`,
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.time ? [`--time=${s.time}`] : []),
    ...(s.memory ? [`--mem=${s.memory}`] : []),
    ...(s.cpusPerTask ? [`--cpus-per-task=${s.cpusPerTask}`] : []),
    ...(s.account ? [`--account=${s.account}`] : []),
  ];
  if (s.array === 'positions')
    args.push(`--array=0-${readProvenance(r.dataset).layout.positions - 1}`);
  return { script: renderTemplate(job.script, values, true), args };
}
