/**
 * Issue #16 §2: SLURM analysis of archived datasets — the `analysis.*` commands and the job
 * view in AppState.analysis (electron/analysis/queue.ts keeps them; one entry per dataset ×
 * configured analysis job).
 */
import { z } from 'zod';
import { command } from './schema-parts';

/** One SLURM submission of an analysis job (a failed job's resubmission is a new attempt). */
export interface AnalysisAttempt {
  /** 1-based. */
  n: number;
  /** The SLURM job name; carries the manifest digest and the attempt, so it is looked up before any (re)submission. */
  slurmName: string;
  startedAt: number;
  jobId: string | null;
  /** The last SLURM state seen (PENDING, RUNNING, COMPLETED, FAILED, …). */
  slurmState: string | null;
  exitCode: number | null;
  signal: number | null;
  outputFile: string | null;
  endedAt: number | null;
}

export interface AnalysisView {
  /** `<digest first 16 hex>-<job>`: one per dataset content × analysis job. */
  id: string;
  /** The analysis job's name in the config. */
  job: string;
  /** Absolute path of the local dataset folder. */
  dataset: string;
  datasetName: string;
  /** The upload target whose verification started it. */
  target: string;
  /** SHA-256 of the dataset's manifest.sha256. */
  manifestDigest: string;
  /**
   * queued (waiting to submit) → submitting (sbatch may have run; looked up before any
   * resubmission) → submitted (polled) → completed | failed | cancelled.
   */
  state: 'queued' | 'submitting' | 'submitted' | 'completed' | 'failed' | 'cancelled';
  /** Why it failed (SLURM state and exit code, or the submission error). */
  reason: string | null;
  /** Where it is submitted: `this machine` or `user@host:port`. */
  where: string;
  maxAttempts: number;
  attempts: AnalysisAttempt[];
  updatedAt: number;
}

const datasetRef = z
  .object({
    /** Dataset name or folder inside the datasets folder. */
    dataset: z.string().min(1),
    /** Only this analysis job; default every configured job. */
    job: z.string().min(1).optional(),
  })
  .strict();

const views = z.object({ jobs: z.array(z.custom<AnalysisView>()) });

export const analysisCommands = {
  'analysis.status': command(
    datasetRef,
    views,
    "A dataset's analysis jobs: state, SLURM job id and state, exit code, output file (polls SLURM first).",
  ),
  'analysis.submit': command(
    datasetRef
      .extend({
        /** The upload target the dataset is on; default the one it was verified on. */
        target: z.string().min(1).optional(),
      })
      .strict(),
    views,
    'Submit (or resubmit, when failed or cancelled) the analysis jobs of a dataset verified on an upload target.',
  ),
  'analysis.cancel': command(
    datasetRef,
    views,
    "Cancel a dataset's queued or running analysis jobs (scancel).",
  ),
} as const;

export type AnalysisCommandName = keyof typeof analysisCommands;
