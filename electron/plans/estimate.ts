/**
 * Duration, frame count and data volume of an expanded plan.
 *
 * Model (stated in docs/plans.md): events run one after another on one timeline starting
 * at 0. Before an event the stage moves in XY along the straight line (distance / stage
 * speed), then Z (|Δz| / focus speed); the first event's position costs nothing (the
 * start position is unknown). An event never starts before its `min_start_time`
 * (measured from the run start or the last `reset_event_timer` event). Each frame then
 * takes its exposure (event exposure, else the channel preset's, else the last one used)
 * plus a fixed read-out/overhead. Autofocus events are counted but cost nothing. Data:
 * frames × width × height × 2 bytes (uint16), uncompressed.
 */
import type { MdaEvent } from './events';
import type { PlanBinding } from './resolve';

export interface PlanEstimate {
  events: number;
  frames: number;
  autofocusEvents: number;
  widthPx: number;
  heightPx: number;
  bytesPerPixel: 2;
  bytes: number;
  durationS: number;
  exposureS: number;
  travelS: number;
  waitS: number;
  overheadS: number;
}

export interface EstimateOptions {
  /** Read-out and software overhead per frame, ms (the simulated camera's read-out is 10 ms). */
  perFrameOverheadMs?: number;
  /** Exposure assumed before any event or preset sets one, ms. */
  initialExposureMs?: number;
}

export function estimatePlan(
  events: Iterable<MdaEvent>,
  binding: PlanBinding,
  opts: EstimateOptions = {},
): PlanEstimate {
  const overheadMs = opts.perFrameOverheadMs ?? 10;
  let exposureMs = opts.initialExposureMs ?? 10;
  const widthPx = binding.camera?.widthPx ?? 0;
  const heightPx = binding.camera?.heightPx ?? 0;
  let t = 0;
  let origin = 0;
  let x: number | undefined;
  let y: number | undefined;
  let z: number | undefined;
  const out = {
    events: 0,
    frames: 0,
    autofocusEvents: 0,
    exposureS: 0,
    travelS: 0,
    waitS: 0,
    overheadS: 0,
  };
  for (const e of events) {
    out.events++;
    if (e.reset_event_timer) origin = t;
    if (e.min_start_time !== undefined && origin + e.min_start_time > t) {
      out.waitS += origin + e.min_start_time - t;
      t = origin + e.min_start_time;
    }
    const nx = e.x_pos ?? x;
    const ny = e.y_pos ?? y;
    if (x !== undefined && y !== undefined && nx !== undefined && ny !== undefined) {
      const s = Math.hypot(nx - x, ny - y) / binding.stageSpeedUmPerS;
      out.travelS += s;
      t += s;
    }
    [x, y] = [nx, ny];
    if (e.z_pos !== undefined) {
      if (z !== undefined) {
        const s = Math.abs(e.z_pos - z) / binding.focusSpeedUmPerS;
        out.travelS += s;
        t += s;
      }
      z = e.z_pos;
    }
    if (e.action) {
      out.autofocusEvents++;
      continue;
    }
    const preset = e.channel ? binding.presets.get(e.channel.config) : undefined;
    exposureMs = e.exposure ?? preset?.exposureMs ?? exposureMs;
    out.frames++;
    out.exposureS += exposureMs / 1000;
    out.overheadS += overheadMs / 1000;
    t += (exposureMs + overheadMs) / 1000;
  }
  return {
    ...out,
    widthPx,
    heightPx,
    bytesPerPixel: 2,
    bytes: out.frames * widthPx * heightPx * 2,
    durationS: t,
  };
}
