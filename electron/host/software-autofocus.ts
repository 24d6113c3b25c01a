/**
 * Software autofocus in the host: Z moves go through the guarded focus drive (the safety
 * layer), frames are scored in the AnalysisPool, and are taken under the given light (a
 * FLImP step) or lit by the auto-shutter around each exposure.
 */
import { StateError } from '../../drivers/errors';
import type { AnalysisPool } from '../automation/analysis-pool';
import { autofocus, type AutofocusOptions } from '../automation/autofocus';
import type { AquilaConfig } from '../config/schema';
import type { AcquisitionEngine } from '../runner/types';
import { guardDevices } from '../safety/guarded-devices';
import type { SafetyLayer } from '../safety/safety-layer';
import type { DeviceManager } from './device-manager';

/** Autofocus options an API call, a plan step or a useq event leaves out. */
export const AUTOFOCUS_DEFAULTS = {
  rangeUm: 20,
  toleranceUm: 0.25,
  measure: 'normalized-variance',
} as const satisfies Partial<AutofocusOptions>;

/** The light a FLImP step focuses under; null: the camera and lasers as they are. */
export type AutofocusLight = {
  laserId: string;
  powerMw: number;
  exposureMs: number;
  name?: string;
} | null;

export interface SoftwareAutofocusContext {
  config: AquilaConfig;
  devices: DeviceManager;
  safety: SafetyLayer;
  /** The analysis pool (created on first use). */
  pool: () => AnalysisPool;
  /** One exposure with the armed line lit around it (auto-shutter), or the light as it is. */
  lit: <T>(acquire: () => Promise<T>) => Promise<T>;
}

export function runSoftwareAutofocus(
  ctx: SoftwareAutofocusContext,
  engine: AcquisitionEngine,
  p: AutofocusOptions,
  light: AutofocusLight,
  signal?: AbortSignal,
) {
  const focus = guardDevices(ctx.devices, ctx.safety).focus;
  if (!focus) throw new StateError('autofocus needs a focus (Z) drive');
  const limits = ctx.config.limits.zUm;
  const pool = ctx.pool();
  return autofocus(
    {
      positionUm: () => focus.getPositionUm(),
      moveToUm: async (z) => {
        await focus.moveToUm(z);
      },
      score: async () => {
        if (light)
          await engine.setupEvent({
            channel: {
              name: light.name ?? light.laserId,
              laserId: light.laserId,
              powerMw: light.powerMw,
            },
            exposureMs: light.exposureMs,
          });
        const f = light ? await engine.acquireFrame() : await ctx.lit(() => engine.acquireFrame());
        return pool.focusMeasure(p.measure, f.pixels, f.meta.widthPx, f.meta.heightPx, p.roi);
      },
      limitsUm: { min: limits.min, max: limits.max },
    },
    p,
    signal,
  );
}
