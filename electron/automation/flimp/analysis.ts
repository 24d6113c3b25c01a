/**
 * The pixel analysis automation uses (focus measures, ROI finding, registration), as one
 * interface the host holds. INTERIM: the kernels run on the calling thread until B's
 * AnalysisPool (worker threads, electron/automation/analysis-pool.ts) lands; then
 * `createAnalysis` returns the pool and this adapter goes.
 */
import type { RoiPx } from '../../../drivers/devices';
import { StateError } from '../../../drivers/errors';
import {
  findRois,
  focusMeasure,
  registerPhaseCorrelation,
  type FocusMeasureName,
  type FoundRoi,
  type RoiFindOptions,
} from '../kernels';
import type { AutofocusOutcome } from './types';

export interface AutomationAnalysis {
  focusMeasure(
    name: FocusMeasureName,
    pixels: Uint16Array,
    widthPx: number,
    heightPx: number,
    roi?: RoiPx,
  ): Promise<number>;
  findRois(
    pixels: Uint16Array,
    widthPx: number,
    heightPx: number,
    options?: RoiFindOptions,
  ): Promise<FoundRoi[]>;
  register(
    reference: Uint16Array,
    moving: Uint16Array,
    widthPx: number,
    heightPx: number,
  ): Promise<{ dxPx: number; dyPx: number; confidence: number }>;
  close(): Promise<void>;
}

export function createAnalysis(): AutomationAnalysis {
  return {
    focusMeasure: async (name, px, w, h, roi) => focusMeasure(name, px, w, h, roi),
    findRois: async (px, w, h, o) => findRois(px, w, h, o),
    register: async (a, b, w, h) => registerPhaseCorrelation(a, b, w, h),
    close: async () => undefined,
  };
}

/** B's agreed FocusTarget / AutofocusOptions (electron/automation/autofocus.ts). */
export interface FocusTarget {
  positionUm(): Promise<number>;
  moveToUm(zUm: number): Promise<void>;
  score(): Promise<number>;
  limitsUm: { min: number; max: number };
}

export interface AutofocusOptions {
  rangeUm: number;
  toleranceUm: number;
  measure: FocusMeasureName;
  roi?: RoiPx;
  maxImages?: number;
}

/** INTERIM until electron/automation/autofocus.ts lands: refuses clearly. */
export async function autofocusSearch(
  _target: FocusTarget,
  _options: AutofocusOptions,
  _signal?: AbortSignal,
): Promise<AutofocusOutcome> {
  throw new StateError('software autofocus is not available in this build yet');
}
