/** Pixel kernels of the automation loop: pure functions over 16-bit row-major frames. */
export { FOCUS_MEASURES, focusMeasure, type FocusMeasureName } from './focus-measures';
export { findRois, type FoundRoi, type RoiFindOptions } from './roi-find';
export { registerPhaseCorrelation, type Registration } from './phase-correlation';
