/** The automation commands' schemas (issue #12; docs/automation.md); their state is in state.ts. */
import { z } from 'zod';
import { command, finite, none, roi } from './schema-parts';

/** Focus measures of the software autofocus (electron/automation/kernels). */
export const focusMeasureName = z.enum([
  'normalized-variance',
  'brenner',
  'tenengrad',
  'vollath-f4',
  'laplacian-variance',
]);

/** ROI finding options (electron/automation/kernels); all optional, the kernels' defaults apply. */
export const roiFindOptions = z
  .object({
    threshold: z
      .union([
        z.literal('otsu'),
        z.literal('triangle'),
        z.object({ value: z.number().finite().min(0) }).strict(),
      ])
      .optional(),
    /** Floor under automatic thresholds, in noise standard deviations (default 4). */
    minSigmas: z.number().finite().min(0).max(100).optional(),
    /** Hysteresis fraction of the threshold, 0..1 (default 1: a single threshold). */
    hysteresis: z.number().finite().min(0).max(1).optional(),
    /** Split touching round objects at their necks (default false). */
    split: z.boolean().optional(),
    backgroundRadiusPx: z.number().finite().min(0).optional(),
    smoothSigmaPx: z.number().finite().min(0).optional(),
    minAreaPx: z.number().finite().min(0).optional(),
    maxAreaPx: z.number().finite().positive().optional(),
    minCircularity: z.number().finite().min(0).max(1).optional(),
    minMeanIntensity: z.number().finite().min(0).optional(),
    edgeMarginPx: z.number().finite().min(0).optional(),
    maxOverlap: z.number().finite().min(0).max(1).optional(),
    maxCount: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const autofocusParams = z
  .object({
    /** Search half-range around the current Z, µm (default 20). */
    rangeUm: z.number().finite().positive().max(1_000).optional(),
    /** Required accuracy, µm (default 0.25). */
    toleranceUm: z.number().finite().positive().max(100).optional(),
    measure: focusMeasureName.optional(),
    roi: roi.optional(),
    maxImages: z.number().int().min(3).max(500).optional(),
  })
  .strict();

export const autofocusResult = z.object({
  zUm: finite,
  startZUm: finite,
  images: z.number().int(),
  curve: z.array(z.object({ zUm: finite, score: finite })),
  peakScore: finite,
  noiseScore: finite,
});

/** One ROI found in a frame: pixel geometry (pixel (i, j) centred at (i, j)) and stage µm. */
export const foundRoiView = z.object({
  xPx: finite,
  yPx: finite,
  xUm: finite,
  yUm: finite,
  areaPx: finite,
  meanIntensity: finite,
  integratedIntensity: finite,
  circularity: finite,
  bbox: roi,
  score: finite,
});

export type FoundRoiView = z.infer<typeof foundRoiView>;
export const roiVerdict = z.enum(['pending', 'accepted', 'rejected']);
export type RoiVerdict = z.infer<typeof roiVerdict>;

/** Commands added by #12's remainder (focus-lock trace, host-side ROI verdicts). */
export const automationExtraCommands = {
  'rois.setVerdict': command(
    z
      .object({
        /** The frame of the list the verdict is about (AppState.roiFinder.frameSeq). */
        frameSeq: z.number().int(),
        index: z.number().int().min(0),
        verdict: roiVerdict,
      })
      .strict(),
    none,
    'Accept or reject one ROI of the last rois.find result (or back to pending); every client sees the verdicts in AppState.roiFinder.',
  ),
  'rois.clear': command(none, none, 'Forget the last rois.find result and its verdicts.'),
  'focusLock.trace': command(
    z.object({ afterMs: finite.optional() }).strict(),
    z.object({
      samples: z.array(z.object({ tMs: finite, errorUm: finite.nullable() })),
    }),
    "The focus lock's full-rate error samples (one per loop iteration, the last minute or so) taken after `afterMs` (epoch ms); errorUm null where there was no usable spot.",
  ),
};
