/**
 * The optional `analysis` section of the Aquila config (issue #16 §2): SLURM batch jobs
 * submitted when a dataset is verified on an upload target. Each job is a batch-script
 * template with `{{placeholder}}`s (see PLACEHOLDERS; substituted shell-quoted, an unknown
 * one is a config error), its `sbatch` options, and where to submit: `sbatch` on this machine
 * or on a login node over `ssh` (the system client, key login, strict host-key checking).
 */
import { z } from 'zod';
import { placeholdersIn, PLACEHOLDERS } from './template';

const jobName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
    'a name of letters, digits, - or _ starting with a letter',
  );

/** Environment passed to the SLURM commands (e.g. SLURM_CONF), on this machine or the login node. */
const envVars = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string())
  .default({});

export const localSubmit = z.object({ kind: z.literal('local'), env: envVars }).strict();

export const sshSubmit = z
  .object({
    kind: z.literal('ssh'),
    /** The login node; a host name or address (no user@). */
    host: z.string().regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or address'),
    port: z.number().int().min(1).max(65_535).default(22),
    user: z.string().regex(/^[a-z_][a-z0-9_.-]*$/i, 'a user name'),
    /** Private key file for the login (`ssh -i`); BatchMode: no passphrase prompt. */
    keyFile: z.string().min(1),
    /** known_hosts holding the login node's host key; checked strictly (no trust on first use). */
    knownHostsFile: z.string().min(1),
    env: envVars,
  })
  .strict();

export const submitTarget = z.discriminatedUnion('kind', [localSubmit, sshSubmit]);
export type SubmitTarget = z.infer<typeof submitTarget>;

export const sbatchOptions = z
  .object({
    partition: z
      .string()
      .regex(/^[A-Za-z0-9_.,-]+$/, 'a partition name')
      .optional(),
    /** Wall-time limit in a form sbatch takes: `MM`, `HH:MM:SS`, `D-HH:MM`… */
    time: z
      .string()
      .regex(/^(\d+-)?\d+(:\d+){0,2}$/, 'a time limit such as 30, 01:00:00 or 1-12:00')
      .optional(),
    /** Memory per node: `4G`, `500M`… */
    memory: z
      .string()
      .regex(/^\d+[KMGT]?$/, 'memory such as 4G or 500M')
      .optional(),
    cpusPerTask: z.number().int().min(1).max(1024).optional(),
    /**
     * `positions`: a job array with one task per stage position of the dataset
     * (`SLURM_ARRAY_TASK_ID` = position index); absent: one task.
     */
    array: z.literal('positions').optional(),
    account: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'an account name')
      .optional(),
  })
  .strict()
  .default({});
export type SbatchOptions = z.infer<typeof sbatchOptions>;

export const analysisJob = z
  .object({
    name: jobName,
    /** Upload targets whose verification submits this job; absent: every target. */
    targets: z.array(z.string().min(1)).min(1).optional(),
    /** The batch script (`#!/bin/bash` …) with `{{placeholder}}`s; sbatch reads it on stdin. */
    script: z.string().min(1),
    sbatch: sbatchOptions,
    /** Folder (on the cluster) for the job's output file `<job>-<id>.out`; placeholders allowed. */
    outputDir: z.string().min(1),
    /**
     * Where the target's datasets appear on the cluster's file system (CephFS), for
     * `{{cephfsPath}}` = `<cephfsRoot>/<dataset>`; absent: a filesystem target's own `path`.
     */
    cephfsRoot: z.string().min(1).optional(),
    submit: submitTarget,
    /** Attempts for one dataset before it is left failed (a failed job is resubmitted). */
    maxAttempts: z.number().int().min(1).max(10).default(1),
  })
  .strict()
  .superRefine((job, ctx) => {
    for (const field of ['script', 'outputDir'] as const)
      for (const name of placeholdersIn(job[field]))
        if (!(PLACEHOLDERS as readonly string[]).includes(name))
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `unknown placeholder {{${name}}} (known: ${PLACEHOLDERS.join(', ')})`,
          });
  });
export type AnalysisJobConfig = z.infer<typeof analysisJob>;

export const analysisConfig = z
  .object({
    jobs: z.array(analysisJob).min(1),
    /** How often submitted jobs are polled, s. */
    pollIntervalS: z.number().min(0.2).max(3_600).default(15),
    /** Directory of the submission journal; default `<user data>/analysis` chosen by the host. */
    journalDir: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.jobs.forEach((j, i) => {
      if (seen.has(j.name))
        ctx.addIssue({
          code: 'custom',
          path: ['jobs', i, 'name'],
          message: `duplicate analysis job name "${j.name}"`,
        });
      seen.add(j.name);
    });
  });
export type AnalysisConfig = z.infer<typeof analysisConfig>;
export type AnalysisConfigInput = z.input<typeof analysisConfig>;
