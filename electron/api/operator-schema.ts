/**
 * Operator-experience commands (issue #18), in one block of the contract:
 * - `view.set`: the UI's view settings the host keeps for the operator (§4): a reload or a
 *   second client opens with the tab and jog steps the controlling operator last chose. They
 *   change no hardware; pages read them at `hello` only (a page's tab never switches under it).
 * - `stage.checkOrientation`: the one-minute stage-to-camera orientation check (§7).
 * - `dataset.readPlane`: one saved plane for the Data tab's viewer (§8).
 */
import { z } from 'zod';
import { command, none } from './schema-parts';

export const viewTab = z.enum(['control', 'acquire', 'automate', 'macros', 'navigate', 'data']);
export type ViewTab = z.infer<typeof viewTab>;

const jogStep = z.number().finite().positive().max(100_000);

export const viewSettings = z
  .object({
    tab: viewTab,
    /** XY jog step, µm. */
    jogStepUm: jogStep,
    /** Z jog step, µm. */
    jogStepZUm: jogStep,
  })
  .strict();
export type ViewSettings = z.infer<typeof viewSettings>;

export const DEFAULT_VIEW: ViewSettings = { tab: 'control', jogStepUm: 100, jogStepZUm: 1 };

const orientation = z.object({ flipX: z.boolean(), flipY: z.boolean(), rotate90: z.boolean() });
const viewShift = z.object({ xPx: z.number(), yPx: z.number() });

export const operatorCommands = {
  'view.set': command(
    viewSettings.partial().strict(),
    none,
    'Remember UI view settings (tab, jog steps µm) for the next page that opens.',
  ),
  'stage.checkOrientation': command(
    z.object({ stepUm: z.number().finite().positive().max(1_000).optional() }).strict(),
    z.object({
      measured: orientation,
      configured: orientation,
      matches: z.boolean(),
      afterXPx: viewShift,
      afterYPx: viewShift,
    }),
    'Snap, jog +X and +Y by stepUm (default 20) and back: which way the image moved, and the stageOrientation the config should have.',
  ),
  'dataset.readPlane': command(
    z
      .object({
        dataset: z.string().min(1).max(256),
        p: z.number().int().min(0).default(0),
        t: z.number().int().min(0),
        c: z.number().int().min(0),
        z: z.number().int().min(0),
      })
      .strict(),
    z.object({
      widthPx: z.number().int(),
      heightPx: z.number().int(),
      bitDepth: z.number().int(),
      /** The channel's name in the dataset (its LUT in the live view, if it has one). */
      channel: z.string(),
      sizes: z.object({ p: z.number(), t: z.number(), c: z.number(), z: z.number() }),
      /** Every channel's name, index = c (issue #17: the 3D view's channel selector). */
      channels: z.array(z.string()),
      /** The dataset's calibration (its layout, as in its OME metadata): µm per pixel in x, y. */
      pixelSizeUm: z.number(),
      /** µm between z planes (1 for a single plane). */
      zStepUm: z.number(),
      /** Little-endian samples (uint16 or uint8), row-major. */
      pixelsBase64: z.string(),
    }),
    'One saved plane of a dataset (OME-Zarr 0.4 / 0.5, sharded or not / OME-TIFF) for the Data tab viewer.',
  ),
} as const;
