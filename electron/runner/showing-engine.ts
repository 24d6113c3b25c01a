/**
 * An AcquisitionEngine whose frames are also shown (e.g. on the display bus), at most every
 * `everyMs` (0: every frame).
 */
import type { AcquiredFrame, AcquisitionEngine } from './types';

export function showingFrames(
  inner: AcquisitionEngine,
  show: (frame: AcquiredFrame) => void,
  everyMs: number,
): AcquisitionEngine {
  let lastShown = 0;
  return {
    snapshotHardware: () => inner.snapshotHardware(),
    restoreHardware: (s) => inner.restoreHardware(s),
    setupEvent: (e) => inner.setupEvent(e),
    lasersOff: () => inner.lasersOff(),
    acquireFrame: async (into) => {
      const f = await inner.acquireFrame(into);
      const now = Date.now();
      if (now - lastShown >= everyMs) {
        lastShown = now;
        show(f);
      }
      return f;
    },
  };
}
