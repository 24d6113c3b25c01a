/**
 * Issue #14: a camera's own named features (GenICam SFNC and vendor features) through the
 * API, for the device panel's feature browser and scripts. Only cameras that implement
 * FeatureCamera (drivers/devices.ts) have them; others answer E_UNSUPPORTED. The features
 * the Camera interface drives itself (exposure, ROI, binning, pixel format, acquisition and
 * trigger control) are readable but refused by `camera.setFeature`, naming the command to use,
 * so the host's camera state never goes stale. `commandAccess` in contract.ts classifies them.
 */
import { z } from 'zod';
import { command } from './schema-parts';

export const featureValue = z.union([z.number().finite(), z.string(), z.boolean()]);
export type FeatureValue = z.infer<typeof featureValue>;

/** One feature as the device panel shows it. */
export const featureView = z.object({
  name: z.string(),
  type: z.string(),
  /** RW, RO, WO, NA (not available now), NI (not implemented). */
  access: z.string(),
  description: z.string().optional(),
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  inc: z.number().optional(),
  entries: z.array(z.string()).optional(),
  /** Current value, where readable. */
  value: featureValue.optional(),
  /** Why the value could not be read. */
  error: z.string().optional(),
  /** Set through this command instead of camera.setFeature (the Camera interface owns it). */
  managedBy: z.string().optional(),
});
export type FeatureView = z.infer<typeof featureView>;

const featureName = z.string().min(1).max(256);

export const cameraFeatureCommands = {
  'camera.listFeatures': command(
    z.object({}).strict(),
    z.object({ cameraId: z.string(), features: z.array(featureView) }),
    "The camera's named features in its own order: type, access, range or entries, unit and current value.",
  ),
  'camera.getFeature': command(
    z.object({ name: featureName }).strict(),
    featureView,
    'One camera feature with its current value.',
  ),
  'camera.setFeature': command(
    z
      .object({
        name: featureName,
        /** null executes a command feature. */
        value: featureValue.nullable(),
      })
      .strict(),
    featureView,
    'Write a camera feature (null executes a command feature); answers the feature as read back.',
  ),
} as const;

export type CameraFeatureCommandName = keyof typeof cameraFeatureCommands;
