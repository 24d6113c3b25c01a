/**
 * INTERIM until B's electron/automation/autofocus.ts lands (agreed signature below): the
 * software autofocus refuses clearly; then this file goes and the service imports B's.
 */
import type { RoiPx } from '../../../drivers/devices';
import { StateError } from '../../../drivers/errors';
import type { FocusMeasureName } from '../kernels';
import type { AutofocusOutcome } from './types';

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
