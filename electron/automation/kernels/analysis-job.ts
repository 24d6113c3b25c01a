/** One kernel call as a message (AnalysisPool ↔ its workers), and running it. */
import type { RoiPx } from '../../../drivers/devices';
import { focusMeasure, type FocusMeasureName } from './focus-measures';
import { findRois, type RoiFindOptions } from './roi-find';
import { registerPhaseCorrelation } from './phase-correlation';

export type AnalysisJob =
  | {
      op: 'focus';
      measure: FocusMeasureName;
      pixels: Uint16Array;
      widthPx: number;
      heightPx: number;
      roi?: RoiPx;
    }
  | { op: 'rois'; pixels: Uint16Array; widthPx: number; heightPx: number; options?: RoiFindOptions }
  | {
      op: 'register';
      reference: Uint16Array;
      moving: Uint16Array;
      widthPx: number;
      heightPx: number;
    };

export function runJob(job: AnalysisJob): unknown {
  switch (job.op) {
    case 'focus':
      return focusMeasure(job.measure, job.pixels, job.widthPx, job.heightPx, job.roi);
    case 'rois':
      return findRois(job.pixels, job.widthPx, job.heightPx, job.options);
    case 'register':
      return registerPhaseCorrelation(job.reference, job.moving, job.widthPx, job.heightPx);
  }
}
