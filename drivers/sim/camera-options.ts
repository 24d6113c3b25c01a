/** Options of the simulated camera (config `devices[].options`); unknown keys are rejected. */
import { z } from 'zod';

export const simCameraOptions = z
  .object({
    widthPx: z.number().int().min(16).max(16_384).default(2048),
    heightPx: z.number().int().min(16).max(16_384).default(2048),
    /** Pixel size at the sample plane, µm (camera pixel / magnification). */
    pixelSizeUm: z.number().positive().max(100).default(0.1083),
    /** RMS read noise per pixel, electrons. */
    readNoiseE: z.number().min(0).max(1_000).default(1.6),
    /** Black level, ADU. */
    offsetAdu: z.number().int().min(0).max(60_000).default(100),
    /** Conversion gain, ADU per photoelectron. */
    gainAduPerE: z.number().positive().max(1_000).default(0.5),
    /** Sensor read-out time added to every frame period, ms. */
    readoutMs: z.number().min(0).max(10_000).default(10),
    /**
     * Overlap (streaming) mode, as sCMOS cameras stream a sequence: when an exposure ends
     * the sensor starts the next one while the last frame is read out, and holds frames in
     * a buffer of `OVERLAP_BUFFER_FRAMES` until they are taken. A snap takes the next
     * streamed frame while the camera settings, the light and the stage are as they were
     * when the last exposure ended (snaps back to back then cost the exposure, not
     * exposure + read-out); any other snap starts a fresh exposure.
     */
    overlap: z.boolean().default(false),
    /** `sample`: image the virtual slide; `test-pattern`: pre-rendered frames with a counter. */
    mode: z.enum(['sample', 'test-pattern']).default('sample'),
    /** Render threads for live/snap; 0 renders on the calling thread (tests only). */
    renderWorkers: z.number().int().min(0).max(8).default(2),
  })
  .strict();

export type SimCameraOptions = z.output<typeof simCameraOptions>;

/** Frames an overlap-mode camera holds for the next snap (camera `overlap` option). */
export const OVERLAP_BUFFER_FRAMES = 4;

/** Exposure range accepted by setExposureMs, ms. */
export const MIN_EXPOSURE_MS = 0.01;
export const MAX_EXPOSURE_MS = 60_000;
export const BINNINGS = [1, 2, 4] as const;
