/**
 * The Aquila configuration file (JSON). `assets/configs/simulated.json` is the default.
 * A JSON Schema generated from this (`npm run config:schema`) sits beside the sample
 * configs for editors. Driver-specific `options` are validated by each driver.
 */
import { z } from 'zod';
import { analysisConfig } from '../analysis/config';
import { sampleHolder } from '../api/navigator-schema';
import { IDENTITY_ORIENTATION, stageOrientation } from './stage-orientation';
import { uploadConfig } from '../upload/config';

const range = (what: string) =>
  z
    .object({ min: z.number().finite(), max: z.number().finite() })
    .strict()
    .refine((r) => r.min < r.max, { message: `${what}: min must be less than max` });

export const deviceSpec = z
  .object({
    id: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
        'a name of letters, digits, - or _ starting with a letter',
      ),
    kind: z.enum(['xy-stage', 'z-drive', 'laser', 'camera', 'focus-sensor']),
    driver: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type DeviceSpec = z.infer<typeof deviceSpec>;

export const channelPreset = z
  .object({
    name: z.string().min(1),
    laserId: z.string().min(1),
    powerMw: z.number().finite().min(0),
    exposureMs: z.number().finite().positive(),
  })
  .strict();

export const simOptions = z
  .object({
    seed: z.number().int().default(1),
    /** Number of cells scattered over the slide region around the origin. */
    cellCount: z.number().int().min(0).max(100_000).default(400),
    /** Half-width of the populated slide region, µm. */
    slideHalfWidthUm: z.number().positive().default(2_000),
    /**
     * What the slide holds (drivers/sim/world.ts SimSampleType): `cells` (default),
     * `sparse-cells` (FLImP-like), `dense-tissue`, `beads`, `empty`.
     */
    sample: z.enum(['cells', 'sparse-cells', 'dense-tissue', 'beads', 'empty']).default('cells'),
    /** Coverslip geometry; absent: a seeded tilt of at most 1 µm/mm. */
    coverslip: z
      .object({
        tiltXUmPerMm: z.number().finite().min(-100).max(100).default(0),
        tiltYUmPerMm: z.number().finite().min(-100).max(100).default(0),
        /** Paraboloid about the stage origin, µm per mm² of (x² + y²). */
        curvatureUmPerMm2: z.number().finite().min(-100).max(100).default(0),
        /** Coverslip height at the stage origin at t = 0, focus-drive µm. */
        offsetUm: z.number().finite().default(0),
        /** Holes in the carrier: no sample, no focus-sensor reflection. */
        holes: z
          .array(
            z
              .object({
                xUm: z.number().finite(),
                yUm: z.number().finite(),
                radiusUm: z.number().positive(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
    /** Thermal focus drift and sample XY drift (seeded); absent: the original settling drift. */
    drift: z
      .object({
        /** Mean focus drift rate, µm/min (varies ±50 % minute to minute). */
        zUmPerMin: z.number().finite().min(-100).max(100).default(0),
        /** Chance per minute of an abrupt focus step, 0..1. */
        zStepProbPerMin: z.number().min(0).max(1).default(0),
        /** Size of a focus step, µm. */
        zStepUm: z.number().min(0).max(100).default(0),
        /** Sample XY drift, µm/min. */
        xyUmPerMin: z.number().min(0).max(1_000).default(0),
      })
      .strict()
      .optional(),
    /**
     * How the simulated camera is mounted, in the form of `stageOrientation`; absent: as the
     * config's `stageOrientation` says (set it apart to try the orientation check).
     */
    cameraMount: stageOrientation.optional(),
  })
  .strict();

export const aquilaConfig = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    devices: z.array(deviceSpec).min(1),
    limits: z
      .object({
        xUm: range('limits.xUm'),
        yUm: range('limits.yUm'),
        /** Z limits protect the objective: zUm.max is the closest approach to the sample. */
        zUm: range('limits.zUm'),
      })
      .strict(),
    /** Issue #17: the XY stage's mechanical travel (µm per axis); limits must lie inside it. */
    stage: z
      .object({
        travelUm: z
          .object({ xUm: range('stage.travelUm.xUm'), yUm: range('stage.travelUm.yUm') })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    channels: z.array(channelPreset).default([]),
    storage: z
      .object({
        /** Folder that receives datasets; `~` expands to the home folder. */
        datasetsRoot: z.string().min(1).default('~/AquilaData'),
        format: z.enum(['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff']).default('ome-zarr-0.4'),
        /** Zarr v3 only: planes per shard (1 = no sharding). */
        shardPlanes: z.number().int().min(1).max(255).default(1),
      })
      .strict()
      .default({ datasetsRoot: '~/AquilaData', format: 'ome-zarr-0.4', shardPlanes: 1 }),
    sim: simOptions.default({
      seed: 1,
      cellCount: 400,
      slideHalfWidthUm: 2_000,
      sample: 'cells',
    }),
    /** Live view with no client watching stops after this many seconds, light off. */
    liveIdleStopS: z.number().positive().max(86_400).default(60),
    /** Archiving of finished datasets (electron/upload/config.ts); absent: no upload targets. */
    upload: uploadConfig.optional(),
    /** SLURM analysis of archived datasets (electron/analysis/config.ts, issue #16 §2). */
    analysis: analysisConfig.optional(),
    /** Issue #17 (navigator): the plate, slide or dish on the stage, drawn on the map. */
    sampleHolder: sampleHolder.optional(),
    /** Stage-to-camera orientation (issue #18 §7, stage-orientation.ts); default: identity. */
    stageOrientation: stageOrientation.default(IDENTITY_ORIENTATION),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.devices.forEach((d, i) => {
      if (ids.has(d.id))
        ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'id'],
          message: `duplicate device id "${d.id}"`,
        });
      ids.add(d.id);
    });
    for (const kind of ['xy-stage', 'z-drive', 'camera', 'focus-sensor'] as const) {
      const n = cfg.devices.filter((d) => d.kind === kind).length;
      if (n > 1)
        ctx.addIssue({
          code: 'custom',
          path: ['devices'],
          message: `at most one ${kind} is supported, found ${n}`,
        });
    }
    checkAnalysisTargets(cfg, ctx);
    checkLimitsInsideTravel(cfg, ctx);
    const lasers = new Set(cfg.devices.filter((d) => d.kind === 'laser').map((d) => d.id));
    cfg.channels.forEach((c, i) => {
      if (!lasers.has(c.laserId))
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'laserId'],
          message: `"${c.laserId}" is not a configured laser (have: ${[...lasers].join(', ') || 'none'})`,
        });
    });
  });

export type AquilaConfig = z.infer<typeof aquilaConfig>;
export type SimOptions = z.infer<typeof simOptions>;

/** Issue #17: the safety limits lie inside the stage's mechanical travel, when it is given. */
function checkLimitsInsideTravel(
  cfg: Pick<AquilaConfig, 'limits' | 'stage'>,
  ctx: z.RefinementCtx,
): void {
  const travel = cfg.stage?.travelUm;
  if (!travel) return;
  for (const axis of ['xUm', 'yUm'] as const) {
    const l = cfg.limits[axis];
    const t = travel[axis];
    if (l.min < t.min || l.max > t.max)
      ctx.addIssue({
        code: 'custom',
        path: ['limits', axis],
        message: `limits.${axis} [${l.min}, ${l.max}] lies outside stage.travelUm.${axis} [${t.min}, ${t.max}]: the safety limits must be inside the stage's travel`,
      });
  }
}

/** Issue #16 §2: analysis jobs name upload targets that exist and can give a CephFS path. */
function checkAnalysisTargets(
  cfg: Pick<AquilaConfig, 'upload' | 'analysis'>,
  ctx: z.RefinementCtx,
): void {
  if (!cfg.analysis) return;
  const targets = cfg.upload?.targets ?? [];
  if (targets.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['analysis'],
      message:
        'analysis jobs start when a dataset is verified on an upload target: add an "upload" section',
    });
  cfg.analysis.jobs.forEach((job, i) => {
    job.targets?.forEach((name, k) => {
      if (!targets.some((t) => t.name === name))
        ctx.addIssue({
          code: 'custom',
          path: ['analysis', 'jobs', i, 'targets', k],
          message: `"${name}" is not a configured upload target (have: ${targets.map((t) => t.name).join(', ') || 'none'})`,
        });
    });
    const usesCephfs = /\{\{\s*cephfsPath\s*\}\}/.test(job.script + job.outputDir);
    const s3 = targets.filter(
      (t) => t.kind === 's3' && (!job.targets || job.targets.includes(t.name)),
    );
    if (usesCephfs && !job.cephfsRoot && s3.length)
      ctx.addIssue({
        code: 'custom',
        path: ['analysis', 'jobs', i, 'cephfsRoot'],
        message: `the job uses {{cephfsPath}} but target "${s3[0]!.name}" is S3: set cephfsRoot (where its datasets appear on the cluster)`,
      });
  });
}
