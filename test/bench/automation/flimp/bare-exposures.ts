/**
 * The in-process baseline of the FLImP-run bench: the same exposures through the same
 * camera with nothing else — `tiles` single snaps at the tile exposure, then `series` runs
 * of `frames` back-to-back snaps at the ROI exposure (streamed in overlap mode, as an ROI's
 * series is). Each series starts a fresh exposure (the stream is left to lapse between
 * series, untimed), as after an ROI's stage move. Measured beside the run, on the same
 * loaded machine, so the ratio run / baseline cancels most of the load.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Camera } from '../../../../drivers/devices';

export interface BareExposures {
  tiles: number;
  tileExposureMs: number;
  series: number;
  frames: number;
  exposureMs: number;
}

/** Wall ms of the snaps (the gaps between series not counted) and the process CPU ms. */
export async function bareExposures(
  cam: Camera,
  o: BareExposures,
): Promise<{ wallMs: number; cpuMs: number }> {
  let wallMs = 0;
  const cpu0 = process.cpuUsage();
  const timed = async (exposureMs: number, snaps: number) => {
    await cam.setExposureMs(exposureMs);
    // Longer than the camera keeps a streamed frame: the next snap exposes afresh.
    await sleep(5 * exposureMs + 20);
    const t0 = performance.now();
    for (let i = 0; i < snaps; i++) await cam.snap();
    wallMs += performance.now() - t0;
  };
  for (let i = 0; i < o.tiles; i++) await timed(o.tileExposureMs, 1);
  for (let i = 0; i < o.series; i++) await timed(o.exposureMs, o.frames);
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}
