/**
 * The FLImP-style plan: a JSON document (`"kind": "flimp"`) saved and loaded beside useq
 * plans. Scan a grid of tiles; on each, focus, snap, find ROIs; for up to `maxRois` ROIs:
 * centre the stage on it, focus, and acquire a time series under a laser programme until its
 * signal falls below `stopFraction` of the first frame's or `maxFrames` time points.
 * Units: µm, ms, mW. Format and examples: docs/automation.md.
 */
import { z } from 'zod';
import { ValidationError } from '../../../drivers/errors';
import { formatIssues } from '../../../drivers/validation';
import { autofocusParams, roiFindOptions } from '../../api/contract';

const finite = z.number().finite();

/** One laser line and camera setting used for a frame. */
export const illumination = z
  .object({
    laserId: z.string().min(1),
    powerMw: finite.min(0),
    exposureMs: finite.positive().max(60_000),
    /** Channel name in the dataset; default: the laser id. */
    name: z.string().min(1).max(64).optional(),
  })
  .strict();
export type Illumination = z.infer<typeof illumination>;

/** How to focus before a tile or an ROI. `lock`: the focus lock must hold (engaged if off). */
export const focusStep = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('lock') }).strict(),
  autofocusParams.extend({ mode: z.literal('software') }).strict(),
]);
export type FocusStep = z.infer<typeof focusStep>;

export const flimpPlan = z
  .object({
    kind: z.literal('flimp'),
    version: z.literal(1).default(1),
    /** Run name prefix; letters, digits, ".", "-", "_". */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,60}$/, 'letters, digits, ".", "-", "_" (max 61)')
      .default('flimp'),
    scan: z
      .object({
        /** Centre of the scanned area (stage µm); default: where the stage is at start. */
        centreUm: z.object({ xUm: finite, yUm: finite }).strict().optional(),
        columns: z.number().int().min(1).max(100),
        rows: z.number().int().min(1).max(100),
        /** Fraction of a field shared by neighbouring tiles, 0..0.9. */
        overlap: finite.min(0).max(0.9).default(0.1),
        /** Serpentine (boustrophedon) order: fewer long stage moves. */
        serpentine: z.boolean().default(true),
      })
      .strict(),
    /** The frame each tile's ROIs are found in. */
    tileIllumination: illumination,
    tileFocus: focusStep.default({ mode: 'none' }),
    rois: roiFindOptions.default({}),
    /** ROIs closer than this to one already found (tile overlaps) are the same ROI, µm. */
    duplicateWithinUm: finite.min(0).default(5),
    maxRois: z.number().int().min(1).max(10_000),
    roi: z
      .object({
        /** Move the stage so the ROI is at the centre of the field before imaging it. */
        centre: z.boolean().default(true),
        focus: focusStep.default({ mode: 'none' }),
        /** Illuminations of one time point, in order; the first one decides when to stop. */
        programme: z.array(illumination).min(1).max(8),
        /** Time between the starts of consecutive time points, ms (0 = as fast as possible). */
        intervalMs: finite.min(0).max(3_600_000).default(0),
        /** Stop when the ROI's background-subtracted mean falls below this fraction of its first. */
        stopFraction: finite.min(0).max(1).default(0.2),
        minFrames: z.number().int().min(1).default(2),
        maxFrames: z.number().int().min(1).max(100_000),
        /** Half-size of the square (px) whose mean is the ROI's signal; default from its area. */
        signalRadiusPx: z.number().int().min(1).max(512).optional(),
      })
      .strict()
      .refine((r) => r.minFrames <= r.maxFrames, {
        message: 'minFrames must not exceed maxFrames',
        path: ['minFrames'],
      }),
    /**
     * Opt-in XY drift correction between ROIs: each ROI is imaged at its found position plus
     * the drift measured on the ROIs imaged so far × the time since its tile was scanned,
     * the correction at most `maxStepUm` (drift-correction.ts).
     */
    driftCorrection: z
      .object({ xy: z.boolean(), maxStepUm: finite.positive().max(1_000).default(20) })
      .strict()
      .optional(),
    /** Dataset format of each ROI's dataset; default: the config's. */
    format: z.enum(['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff']).optional(),
    /** Upload target (config `upload.targets`) each ROI dataset is queued to when it closes. */
    uploadTarget: z.string().min(1).optional(),
  })
  .strict();

export type FlimpPlan = z.output<typeof flimpPlan>;
export type FlimpPlanInput = z.input<typeof flimpPlan>;

/** Validates a parsed JSON value as a FLImP plan; the error names each bad field. */
export function parseFlimpPlan(json: unknown, where = 'FLImP plan'): FlimpPlan {
  const r = flimpPlan.safeParse(json);
  if (!r.success) {
    const problems = formatIssues(r.error);
    throw new ValidationError(`${where} is not a valid FLImP plan:\n  ${problems.join('\n  ')}`, {
      problems,
    });
  }
  return r.data;
}
