/**
 * The optional `upload` section of the Aquila config: where finished datasets are archived
 * (S3-compatible object storage such as Ceph RGW, or a mounted file system such as CephFS)
 * and the policies of the upload queue. Secrets are either named environment variables
 * (preferred) or inline; they are resolved by `resolveS3Credentials` and never logged.
 */
import { z } from 'zod';

const targetName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
    'a name of letters, digits, - or _ starting with a letter',
  );

const common = {
  name: targetName,
  /** Enqueue every dataset on this target when a run ends (the same as `archive: "at-close"`). */
  autoEnqueue: z.boolean().default(false),
  /**
   * When runs go to this target: `live` (each file is sent as soon as the writer has finished
   * and hashed it, the rest at close), `at-close` (the whole dataset when the run ends) or
   * `manual`. Default: `at-close` with `autoEnqueue`, else `manual`.
   */
  archive: z.enum(['live', 'at-close', 'manual']).optional(),
  /** Delete the local dataset once it is verified on this target and older than N days. */
  freeLocalAfterDays: z.number().min(0).optional(),
  /** Requests (S3 parts or small files) or file copies in flight at once. */
  concurrency: z.number().int().min(1).max(64).default(8),
};

/**
 * Default multipart part size, MiB. RGW pays per part (a part object and a bucket-index
 * update each, and the completion step merges them): on a local Pacific RGW, raw multipart
 * of 512 MiB files ran at 294 MB/s with 8 MiB parts and 354 MB/s with 64 MiB parts, against
 * 397-447 MB/s for whole-file PutObject. 32 MiB keeps most of that gain while memory stays
 * ≈ (concurrency + 2) × 32 MiB and a kill -9 re-sends at most one 32 MiB part (wire.ts).
 */
export const DEFAULT_PART_MIB = 32;

export const s3Credentials = z.union([
  z
    .object({
      accessKeyIdEnv: z.string().min(1),
      secretAccessKeyEnv: z.string().min(1),
    })
    .strict(),
  z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }).strict(),
]);
export type S3CredentialsSpec = z.infer<typeof s3Credentials>;

export const s3Target = z
  .object({
    ...common,
    kind: z.literal('s3'),
    endpoint: z.url(),
    bucket: z.string().min(3).max(63),
    /** Key prefix; the dataset lands at `<prefix><dataset name>/<relative path>`. */
    prefix: z.string().default(''),
    region: z.string().min(1).default('us-east-1'),
    /** Path-style addressing (`endpoint/bucket/key`); Ceph RGW without wildcard DNS needs it. */
    pathStyle: z.boolean().default(true),
    credentials: s3Credentials,
    /** Preferred multipart part size, MiB; raised if a file would need more than 10,000 parts. */
    partSizeMiB: z.number().int().min(5).max(5120).default(DEFAULT_PART_MIB),
    /**
     * A request whose connection moves no bytes for this long is abandoned and the attempt
     * retried (a stalled or overloaded gateway must not hang the queue), seconds.
     */
    stallTimeoutS: z.number().positive().max(3600).default(60),
  })
  .strict();
export type S3TargetConfig = z.infer<typeof s3Target>;

export const filesystemTarget = z
  .object({
    ...common,
    kind: z.literal('filesystem'),
    /** Destination directory (e.g. a CephFS mount); the dataset lands at `<path>/<dataset name>/`. */
    path: z.string().min(1),
  })
  .strict();
export type FilesystemTargetConfig = z.infer<typeof filesystemTarget>;

export const uploadTarget = z.discriminatedUnion('kind', [s3Target, filesystemTarget]);
export type UploadTargetConfig = z.infer<typeof uploadTarget>;

export const uploadConfig = z
  .object({
    targets: z.array(uploadTarget).min(1),
    /** Directory of the queue journal; default `<user data>/upload` chosen by the host. */
    journalDir: z.string().min(1).optional(),
    /** Total upload rate limit over all targets, MB/s (10^6 bytes). Absent: unlimited. */
    bandwidthLimitMBps: z.number().positive().optional(),
    /**
     * While an acquisition runs, upload reads at most `fraction` × `diskMBps` from the
     * acquisition disk (`diskMBps`: the disk's sustained read+write rate, MB/s).
     */
    diskShare: z
      .object({ fraction: z.number().gt(0).max(1), diskMBps: z.number().positive() })
      .strict()
      .optional(),
    /**
     * A failed upload's incomplete S3 multipart uploads stay on the gateway this long, hours,
     * so `aquila upload retry` resumes them instead of sending their parts again; then they are
     * aborted (the gateway frees their parts). 0 aborts them as soon as the upload fails.
     */
    keepFailedPartsH: z.number().min(0).default(24),
    retry: z
      .object({
        baseMs: z.number().int().min(1).default(1_000),
        maxMs: z.number().int().min(1).default(60_000),
        /** Consecutive failed attempts before a dataset is marked failed (retry by hand). */
        maxAttempts: z.number().int().min(1).default(12),
      })
      .strict()
      .default({ baseMs: 1_000, maxMs: 60_000, maxAttempts: 12 }),
    /** The acquisition disk counts as nearly full below either threshold. */
    diskNearlyFull: z
      .object({
        minFreeGiB: z.number().min(0).default(50),
        minFreeFraction: z.number().min(0).max(1).default(0.05),
      })
      .strict()
      .default({ minFreeGiB: 50, minFreeFraction: 0.05 }),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.targets.forEach((t, i) => {
      if (seen.has(t.name))
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'name'],
          message: `duplicate upload target name "${t.name}"`,
        });
      seen.add(t.name);
      if (t.autoEnqueue && t.archive === 'manual')
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'archive'],
          message: `target "${t.name}" sets autoEnqueue: true but archive: "manual"; keep one`,
        });
    });
  });
export type UploadConfig = z.infer<typeof uploadConfig>;
export type UploadConfigInput = z.input<typeof uploadConfig>;

export type ArchivePolicy = 'live' | 'at-close' | 'manual';

export function archivePolicy(t: UploadTargetConfig): ArchivePolicy {
  return t.archive ?? (t.autoEnqueue ? 'at-close' : 'manual');
}
