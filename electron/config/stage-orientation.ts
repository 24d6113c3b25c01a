/**
 * Config `stageOrientation` (issue #18 §7): how the stage's axes appear in the camera image,
 * for the jog pad, the arrow keys and the operator's sense of direction. A stage move of
 * (dx, dy) µm shifts the field of view, in image axes (x right, y down), by:
 *   1. rotate90: (dx, dy) → (−dy, dx) (the camera is turned a quarter turn);
 *   2. flipX: negate x; flipY: negate y (a mirror in the light path or a reversed axis).
 * All false (the default): image +x is stage +x, image +y (down) is stage +y. Automation
 * converts pixels to stage µm through it (electron/automation/pixel-to-stage.ts), and the
 * simulated camera is mounted this way unless `sim.cameraMount` says otherwise. The resolved
 * config, this included, is kept in every dataset's provenance.
 */
import { z } from 'zod';
import type { StageOrientation } from '../api/contract';

export const stageOrientation: z.ZodType<StageOrientation> = z
  .object({
    flipX: z.boolean().default(false),
    flipY: z.boolean().default(false),
    rotate90: z.boolean().default(false),
  })
  .strict() as z.ZodType<StageOrientation>;

export { IDENTITY_ORIENTATION } from '../api/shared/orientation';
