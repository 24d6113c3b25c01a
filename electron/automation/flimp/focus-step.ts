/** One focus step of a plan (before a tile or an ROI): none, the focus lock, or software autofocus. */
import type { FocusRecord } from './journal';
import type { FocusStep, Illumination } from './plan-schema';
import type { FlimpDeps } from './types';

export async function runFocusStep(
  step: FocusStep,
  light: Illumination,
  deps: FlimpDeps,
  signal: AbortSignal,
): Promise<FocusRecord | null> {
  if (step.mode === 'none') return null;
  if (step.mode === 'lock') {
    const { zUm } = await deps.analysis.holdLock(signal);
    return { mode: 'lock', zUm };
  }
  try {
    const r = await deps.analysis.autofocus(step, light, signal);
    return {
      mode: 'software',
      zUm: r.zUm,
      images: r.images,
      curve: r.curve,
      peakScore: r.peakScore,
      noiseScore: r.noiseScore,
    };
  } finally {
    // Autofocus frames switch the line on; nothing exposes between steps.
    await deps.engine.lasersOff();
  }
}
